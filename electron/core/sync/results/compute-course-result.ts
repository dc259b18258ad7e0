import type { LmsGradeItem, LmsUserGrades } from '../../../../adapters/contract';

/** One line of the report card. */
export interface ActivityResult {
  itemId: number;
  name: string;
  /** As the LMS shows it (e.g. "62.00", "B+"); null when not graded. */
  grade: string | null;
  percentage: number | null;
}

/**
 * What to send when a hidden mark counts in a student's course total (Moodle's
 * grade_report_user_showtotalsifcontainhidden, which no web service reveals):
 * - 'hide' (Moodle's default, 0): no total, as the student sees none;
 * - 'recompute' (Moodle's 1): the total without the hidden items, when ClassBridge can redo Moodle's
 *   sum exactly (natural aggregation, checked against Moodle's own figure); otherwise no total.
 * Moodle's 2 (the real total) is never sent: it would carry a mark the teacher has not released.
 */
export type HiddenTotals = 'hide' | 'recompute';

export interface ResultOptions {
  /** Default 'hide'. */
  hiddenTotals?: HiddenTotals;
}

/** One student's result in one course, computed from their gradebook. */
export interface CourseResult {
  /** Activities with a grade ÷ activities not hidden, 0–100, two decimals; 0 when there is none. */
  progressPercent: number;
  /**
   * The released course total as the LMS shows it; null when there is no course total, it has no
   * grade, or a hidden mark counts in it and it cannot be sent without (see HiddenTotals).
   */
  grade: string | null;
  gradePercent: number | null;
  /**
   * The same percentage unrounded (exactPercent): what an outcome is decided from, so 49.995 % is not
   * competent against a 50 % pass mark although it shows as 50.00. Null exactly when gradePercent is.
   */
  gradeExact: number | null;
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
 * student's grade, hidden from students, or hidden until a date still ahead) count neither way and
 * stay off the report card, so the SMS never shows a mark the teacher has not released.
 *
 * The course total ClassBridge's token reads is the real one (its role has moodle/grade:viewhidden,
 * needed to read every student's gradebook): hidden marks count in it. releasedTotal keeps it out of
 * the SMS unless no hidden mark counts in it.
 *
 * A course with no visible activity gives 0 %, not null: the store and the SMS record both require a
 * number, and "nothing done yet" is what 0 % already says; a later activity simply raises it.
 */
export function computeCourseResult(userGrades: LmsUserGrades, options: ResultOptions = {}): CourseResult {
  const activities = userGrades.items.filter((item) => isActivity(item) && !item.hidden);
  const graded = activities.filter((item) => item.raw !== null).length;
  const total = releasedTotal(userGrades.items, options.hiddenTotals ?? 'hide');
  return {
    progressPercent: activities.length === 0 ? 0 : roundTo2((graded / activities.length) * 100),
    grade: total.grade,
    gradePercent: total.gradePercent,
    gradeExact: total.gradeExact,
    activities: activities.map((item) => ({
      itemId: item.id,
      name: item.name,
      grade: shownGrade(item),
      percentage: item.raw === null ? null : item.percentage,
    })),
  };
}

const NO_TOTAL = { grade: null, gradePercent: null, gradeExact: null } as const;

/** Within Moodle's display rounding (5 decimals are stored; sums of a few items stay far inside this). */
const same = (a: number, b: number): boolean => Math.abs(a - b) < 0.005;

/**
 * The course total a student may see. A hidden total, or one a hidden mark counts in, is not sent
 * ('hide'), or is summed again without the hidden items ('recompute') — only when Moodle's own figure
 * proves the total is the plain sum of its items (natural aggregation without weights, drops or extra
 * credit): every other aggregation cannot be redone from the report, so then no total is sent either.
 * A hidden item without a mark changes nothing (only graded items count), so the total goes as it is.
 */
function releasedTotal(
  items: readonly LmsGradeItem[],
  mode: HiddenTotals,
): { grade: string | null; gradePercent: number | null; gradeExact: number | null } {
  const total = items.find((item) => item.type === 'course');
  if (!total || total.hidden) return NO_TOTAL;
  const shown = shownGrade(total);
  if (shown === null) return NO_TOTAL;
  const hiddenMarks = items.filter((i) => i.type !== 'course' && i.hidden && i.raw !== null);
  if (hiddenMarks.length === 0)
    return {
      grade: shown,
      gradePercent: total.percentage,
      gradeExact: total.percentage === null ? null : (exactPercent(total) ?? total.percentage),
    };
  if (mode === 'hide' || hiddenMarks.some((i) => i.type === 'category')) return NO_TOTAL;
  const gradedLeaves = items.filter((i) => (i.type === 'mod' || i.type === 'manual') && i.raw !== null);
  const sum = (list: readonly LmsGradeItem[], pick: (i: LmsGradeItem) => number | null) =>
    list.reduce<number | null>((acc, i) => {
      const v = pick(i);
      return acc === null || v === null ? null : acc + v;
    }, 0);
  const realSum = sum(gradedLeaves, (i) => i.raw);
  const realMax = sum(gradedLeaves, (i) => i.gradeMax);
  const totalMax = total.gradeMax;
  const totalMin = total.gradeMin ?? 0;
  if (realSum === null || realMax === null || totalMax === null || total.raw === null) return NO_TOTAL;
  if (totalMin !== 0 || !same(realSum, total.raw) || !same(realMax, totalMax)) return NO_TOTAL;
  const released = gradedLeaves.filter((i) => !i.hidden);
  const value = sum(released, (i) => i.raw) ?? 0;
  const max = sum(released, (i) => i.gradeMax) ?? 0;
  if (released.length === 0 || max <= 0) return NO_TOTAL;
  const exact = exactOf((value / max) * 100);
  const percent = roundTo2(exact);
  return { grade: formatLike(total.formatted, value, percent), gradePercent: percent, gradeExact: exact };
}

/**
 * A recomputed total in the display Moodle used for the real one: points ("84.00", same decimals) or a
 * percentage ("60.00 %"). A letter ("B+") needs the course's letter boundaries, which the report does
 * not give, so the text is left out and the percentage still goes.
 */
function formatLike(formatted: string | null, value: number, percent: number): string | null {
  const text = formatted?.trim() ?? '';
  const points = /^-?\d+(?:\.(\d+))?$/.exec(text);
  if (points) return value.toFixed(points[1]?.length ?? 0);
  const pct = /^-?\d+(?:\.(\d+))?\s*%$/.exec(text);
  if (pct) return `${percent.toFixed(pct[1]?.length ?? 0)} %`;
  return null;
}

/** Moodle formats "no grade" as "-"; that is an absence, not a grade. */
function shownGrade(item: LmsGradeItem): string | null {
  if (item.raw === null) return null;
  const text = item.formatted?.trim() ?? '';
  return text === '' || text === '-' ? String(item.raw) : text;
}

/**
 * The percentage of a grade from Moodle's raw grade and range, without the display rounding (Moodle
 * keeps grades to 5 decimals; gradeformatted and percentageformatted round to the item's display
 * decimals, 2 by default). Null when the range is not in the report (its range column is off): then
 * only the LMS's own rounded percentage is known, and that is what is used.
 */
export function exactPercent(item: Pick<LmsGradeItem, 'raw' | 'gradeMin' | 'gradeMax'>): number | null {
  const { raw, gradeMin: min, gradeMax: max } = item;
  if (raw === null || min === null || max === null || !(max > min)) return null;
  return exactOf(((raw - min) / (max - min)) * 100);
}

/**
 * Floating-point noise off, nothing else: 0.29 × 100 is 28.999999999999996 in binary, which would fail
 * a 29 % pass mark the LMS value meets. Nine decimals keep every digit a 5-decimal grade can carry.
 */
function exactOf(value: number): number {
  return Number(value.toFixed(9));
}

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}
