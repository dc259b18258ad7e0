import { takeId, type SimGradeItem, type SimState } from './state';

/** A grade item with Moodle's defaults for what is not given (a 0–100 item, visible, first in order). */
export function gradeItem(
  item: Pick<SimGradeItem, 'id' | 'courseid' | 'itemtype'> & Partial<SimGradeItem>,
): SimGradeItem {
  return {
    itemmodule: null,
    iteminstance: null,
    itemnumber: null,
    itemname: null,
    idnumber: null,
    categoryid: null,
    grademin: 0,
    grademax: 100,
    hidden: false,
    locked: false,
    sortorder: 1,
    cmid: null,
    ...item,
  };
}

/** A graded activity as a teacher adds one (an assignment). */
export interface ActivitySpec {
  name: string;
  /** Highest grade (default 100). */
  grademax?: number;
  /** Hidden from students (a mark not released yet); with a time, hidden until then (Moodle's "Hidden until"). */
  hidden?: boolean | { until: number };
}

/**
 * What teachers do in a running site, for tests, the demo and benchmarks: add graded activities to a
 * course's gradebook (under its top category, after the existing items) and mark students.
 * Changes `state` in place, like an edit through Moodle's own pages.
 */
export function addActivities(state: SimState, courseId: number, activities: readonly ActivitySpec[]): SimGradeItem[] {
  const top = [...state.gradeCategories.values()].find((c) => c.courseid === courseId && c.parent === null);
  const after = Math.max(
    1,
    ...[...state.gradeItems.values()].filter((i) => i.courseid === courseId).map((i) => i.sortorder),
  );
  return activities.map((activity, n) => {
    const id = takeId(state, 'gradeItem');
    const item = gradeItem({
      id,
      courseid: courseId,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: id,
      itemnumber: 0,
      itemname: activity.name,
      categoryid: top?.id ?? null,
      grademax: activity.grademax ?? 100,
      sortorder: after + n + 1,
      ...hiding(activity.hidden),
    });
    state.gradeItems.set(id, item);
    return item;
  });
}

/** Moodle keeps one column for both: 1 hidden, a timestamp hidden until then (the sim splits them). */
function hiding(hidden: boolean | { until: number } | undefined): { hidden: boolean; hiddenuntil?: number } {
  if (hidden === undefined || hidden === false) return { hidden: false };
  return hidden === true ? { hidden: true } : { hidden: false, hiddenuntil: hidden.until };
}

/** A teacher's mark for one student in one activity; `hidden` hides this one grade (the grader report's eye). */
export function gradeStudent(
  state: SimState,
  itemId: number,
  userId: number,
  finalgrade: number,
  options: { hidden?: boolean | { until: number } } = {},
): void {
  state.grades.push({
    itemid: itemId,
    userid: userId,
    finalgrade,
    ...hiding(options.hidden),
    feedback: '',
    timemodified: Math.floor(Date.now() / 1000),
  });
}

/** The users with the student role in each course (from role assignments), one pass over them. */
export function studentsByCourse(state: SimState): Map<number, number[]> {
  const student = [...state.roles.values()].find((r) => r.shortname === 'student')?.id;
  const out = new Map<number, number[]>();
  for (const ra of state.roleAssignments) {
    if (ra.roleid !== student) continue;
    const list = out.get(ra.courseid);
    if (!list) out.set(ra.courseid, [ra.userid]);
    else if (!list.includes(ra.userid)) list.push(ra.userid);
  }
  return out;
}
