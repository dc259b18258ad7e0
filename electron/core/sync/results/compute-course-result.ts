import type { LmsGradeItem, LmsUserGrades } from '../../../../adapters/contract';

/** One line of the report card. */
export interface ActivityResult {
  itemId: number;
  name: string;
  /** As the LMS shows it (e.g. "62.00", "B+"); null when not graded. */
  grade: string | null;
  percentage: number | null;
}

/** One student's result in one course, computed from their gradebook. */
export interface CourseResult {
  /** Activities with a grade ÷ activities not hidden, 0–100, two decimals; 0 when there is none. */
  progressPercent: number;
  /** The course total as the LMS shows it; null when there is no course total or it has no grade. */
  grade: string | null;
  gradePercent: number | null;
  /** The report card: every activity the student can see, in gradebook order. */
  activities: ActivityResult[];
}

/**
 * An activity is a grade item of type `mod` (an assignment, quiz, …). Course and category totals
 * are aggregates, not activities. Manual items (a teacher's "Participation" column) are not
 * activities either: nothing in the course is there to be done, so they would count a student as
 * behind for a column the teacher has not filled in yet; they still reach the course total.
 */
export function isActivity(item: LmsGradeItem): boolean {
  return item.type === 'mod';
}

/**
 * Progress, course grade and report card for one student. Hidden activities (the item, or this
 * student's grade, hidden from students) count neither way and stay off the report card, so the SMS
 * never shows a mark the teacher has not released.
 *
 * A course with no visible activity gives 0 %, not null: the store and the SMS record both require a
 * number, and "nothing done yet" is what 0 % already says; a later activity simply raises it.
 */
export function computeCourseResult(userGrades: LmsUserGrades): CourseResult {
  const activities = userGrades.items.filter((item) => isActivity(item) && !item.hidden);
  const graded = activities.filter((item) => item.raw !== null).length;
  const total = userGrades.items.find((item) => item.type === 'course');
  return {
    progressPercent: activities.length === 0 ? 0 : roundTo2((graded / activities.length) * 100),
    grade: total ? shownGrade(total) : null,
    gradePercent: total && shownGrade(total) !== null ? total.percentage : null,
    activities: activities.map((item) => ({
      itemId: item.id,
      name: item.name,
      grade: shownGrade(item),
      percentage: item.raw === null ? null : item.percentage,
    })),
  };
}

/** Moodle formats "no grade" as "-"; that is an absence, not a grade. */
function shownGrade(item: LmsGradeItem): string | null {
  if (item.raw === null) return null;
  const text = item.formatted?.trim() ?? '';
  return text === '' || text === '-' ? String(item.raw) : text;
}

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}
