import type { CourseListItem } from '../../core/contract/contract';
import { COURSE_STATES, type CourseState } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

export interface CoursesListOptions {
  state?: string[];
  search?: string;
  connection?: string;
}

function parseStates(values: readonly string[] | undefined): CourseState[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((value) => {
    const state = COURSE_STATES.find((s) => s.toLowerCase() === value.toLowerCase());
    if (!state) throw new UsageError(`Unknown course state "${value}". Use one of: ${COURSE_STATES.join(', ')}.`);
    return state;
  });
}

/** "12 enrolments, 30 results (avg 64 %)" — what ClassBridge syncs into a course and reads from it. */
function describeActivity(course: CourseListItem): string {
  const parts: string[] = [];
  if (course.enrolments !== undefined) parts.push(`${course.enrolments} enrolments`);
  if (course.results) {
    const average = course.results.averageProgress;
    parts.push(`${course.results.count} results${average === null ? '' : ` (avg ${Math.round(average)} %)`}`);
  }
  return parts.length > 0 ? ` — ${parts.join(', ')}` : '';
}

/** `classbridge courses list`: the LMS courses course tracking found, with the state the admin gave them. */
export async function coursesListCommand(dataDir: string, options: CoursesListOptions, out: Output): Promise<void> {
  const states = parseStates(options.state);
  const { courses, names } = await withEngine(dataDir, async (engine) => ({
    courses: await callApi(engine, 'courses:list', {
      ...(options.connection ? { connectionId: options.connection } : {}),
      ...(states ? { states } : {}),
      ...(options.search ? { search: options.search } : {}),
    }),
    names: new Map((await callApi(engine, 'connections:list', {})).map((c) => [c.id, c.name])),
  }));
  out.result(courses, () => {
    if (courses.length === 0) {
      out.line(
        states || options.search
          ? 'No course matches.'
          : 'No LMS courses are known yet: run `classbridge sync course-tracking` to read the course list.',
      );
      return;
    }
    const several = new Set(courses.map((c) => c.connectionId)).size > 1;
    const idWidth = Math.max(...courses.map((c) => String(c.lmsId).length));
    for (const c of courses) {
      const where = several ? `${names.get(c.connectionId) ?? c.connectionId}  ` : '';
      out.line(
        `${where}${String(c.lmsId).padStart(idWidth)}  ${c.state.padEnd(7)} ${c.shortname}  ${c.fullname}${describeActivity(c)}`,
      );
      // ClassBridge's own Close (model/lifecycle.ts) says why; an admin's decision needs no reason.
      if (c.state === 'Closed' && c.stateChangedBy === 'classbridge')
        out.line(
          `${' '.repeat(where.length + idWidth + 2)}closed by ClassBridge: ${c.stateReason ?? ''}${c.hiddenInLmsAt ? ' Hidden in the LMS.' : ''}`,
        );
    }
    const count = (state: CourseState) => courses.filter((c) => c.state === state).length;
    out.line(
      `${courses.length} courses: ${count('Open')} open, ${count('New')} new, ${count('Closed')} closed, ${count('Deleted')} deleted.`,
    );
    if (count('New') > 0)
      out.line(
        'ClassBridge syncs only Open courses: open the ones it manages with `classbridge courses open <id|shortname>…` (or on the Courses page).',
      );
  });
}

export interface CoursesSetStateOptions {
  connection?: string;
  allNew?: boolean;
}

/**
 * The courses the admin named: an LMS course id, or a short name or id number (any case). Every name
 * must match exactly one course, or nothing changes.
 */
export function resolveCourses(all: readonly CourseListItem[], names: readonly string[]): CourseListItem[] {
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  const found = new Map<string, CourseListItem>();
  for (const name of names) {
    const wanted = name.trim().toLowerCase();
    const byId = /^\d+$/.test(wanted) ? all.filter((c) => c.lmsId === Number(wanted)) : [];
    const byShortname = all.filter((c) => c.shortname.toLowerCase() === wanted);
    const byIdnumber = all.filter((c) => c.idnumber !== '' && c.idnumber.toLowerCase() === wanted);
    const matches = [byId, byShortname, byIdnumber].find((m) => m.length > 0) ?? [];
    const [first] = matches;
    if (!first) unknown.push(name);
    else if (matches.length > 1) ambiguous.push(name);
    else found.set(`${first.connectionId}:${first.lmsId}`, first);
  }
  const problems: string[] = [];
  if (unknown.length > 0)
    problems.push(
      `No course ${unknown.map((n) => `"${n}"`).join(', ')} in the course list (see \`classbridge courses list\`; a course created in the LMS since the last course tracking appears after \`classbridge sync course-tracking\`).`,
    );
  if (ambiguous.length > 0)
    problems.push(
      `${ambiguous.map((n) => `"${n}"`).join(', ')} matches courses in more than one LMS: add --connection <id>.`,
    );
  if (problems.length > 0) throw new CommandFailed(`Nothing was changed. ${problems.join(' ')}`);
  return [...found.values()];
}

const SKIP_WORDS = {
  unchanged: 'already',
  deleted: 'is deleted in the LMS and cannot be',
  'not-found': 'is no longer in the course list, so not',
} as const;

/** `classbridge courses open|close <course…>`: the Courses page's Open / Close, for the named courses. */
export async function coursesSetStateCommand(
  dataDir: string,
  names: readonly string[],
  state: 'Open' | 'Closed',
  options: CoursesSetStateOptions,
  out: Output,
): Promise<void> {
  if (options.allNew && names.length > 0) throw new UsageError('Name courses or use --all-new, not both.');
  if (!options.allNew && names.length === 0)
    throw new UsageError(`Name the courses to ${state === 'Open' ? 'open' : 'close'} (id or short name).`);
  const { answer, chosen } = await withEngine(dataDir, async (engine) => {
    const all = await callApi(engine, 'courses:list', options.connection ? { connectionId: options.connection } : {});
    const chosen = options.allNew ? all.filter((c) => c.state === 'New') : resolveCourses(all, names);
    if (chosen.length === 0) return { answer: { changed: 0, skipped: [] }, chosen };
    const answer = await callApi(engine, 'courses:setState', {
      courses: chosen.map((c) => ({ connectionId: c.connectionId, lmsId: c.lmsId })),
      state,
    });
    return { answer, chosen };
  });
  const label = (key: { connectionId: string; lmsId: number }): string => {
    const course = chosen.find((c) => c.connectionId === key.connectionId && c.lmsId === key.lmsId);
    return course ? `${course.shortname} (${course.lmsId})` : String(key.lmsId);
  };
  const word = state === 'Open' ? 'open' : 'closed';
  out.result(answer, () => {
    if (options.allNew && chosen.length === 0) out.line('No course is New.');
    else out.line(`${answer.changed} ${answer.changed === 1 ? 'course' : 'courses'} marked ${state}.`);
    for (const s of answer.skipped) out.line(`  ${label(s)} ${SKIP_WORDS[s.reason]} ${word}.`);
    if (state === 'Open' && answer.changed > 0)
      out.line('The next upload enrols into them, and the next download reads their results.');
    if (state === 'Closed' && answer.changed > 0)
      out.line(
        'Their results are no longer read, and their enrolments stay as they are in the LMS (nobody is unenrolled); open them again to resume.',
      );
  });
  const refused = answer.skipped.filter((s) => s.reason !== 'unchanged');
  if (refused.length > 0)
    throw new CommandFailed(`${refused.length} course(s) could not be marked ${state}.`, { reported: true });
}
