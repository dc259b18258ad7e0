import { DateTime } from 'luxon';
import type { Course, Lifecycle, LmsCourse, Mapping, RolloverPause } from '../../model';
import type { AppliedState } from './applied-state';
import { selectOperations, type OpKind, type UploadPlan } from './operations';

/**
 * The term lifecycle's two pure rules (model/lifecycle.ts holds the settings):
 *
 * - `activeRolloverPause`: is a rollover pause on now, and which — removals are then always held;
 * - `endedCourseChanges`: which LMS courses ClassBridge closes (and hides) because their SMS end date
 *   has passed, and which it hid that an admin has opened again (shown in the LMS again).
 *
 * Both read days in the school's time zone (settings.timeZone): an SMS date is a day there, and a day
 * starts at its midnight, not UTC's.
 */

/** A rollover pause that is on. */
export interface ActivePause {
  source: 'dates' | 'between-terms';
  /** First paused day (YYYY-MM-DD); null when computed and no SMS course has ended yet. */
  from: string | null;
  /** The day removals flow again (not paused); null when computed and no next course start is known. */
  until: string | null;
  /** "rollover pause until 2027-02-01": what the preview and the held message say. */
  label: string;
}

const day = (iso: string, zone: string) => DateTime.fromISO(iso.slice(0, 10), { zone }).startOf('day');

/**
 * The rollover pause in force at `now`, or null. Explicit windows first (the school's own dates), then
 * `betweenTerms`: no SMS course with dates is running today (a course with no end date runs on, one
 * with neither date is left out), and it is before `daysBeforeNext` days ahead of the next course start.
 * The snapshot has course dates but no terms, so that is all it can be computed from; with no dated
 * course at all it is never on (set explicit windows instead).
 */
export function activeRolloverPause(
  pause: RolloverPause | undefined,
  courses: readonly Pick<Course, 'startDate' | 'endDate'>[],
  timeZone: string,
  now: Date,
): ActivePause | null {
  if (!pause) return null;
  const at = DateTime.fromJSDate(now, { zone: timeZone });
  for (const w of pause.windows) {
    if (at >= day(w.from, timeZone) && at < day(w.until, timeZone))
      return { source: 'dates', from: w.from, until: w.until, label: `rollover pause until ${w.until}` };
  }
  if (!pause.betweenTerms) return null;
  const today = at.toISODate()!;
  let lastEnd: string | null = null;
  let nextStart: string | null = null;
  for (const c of courses) {
    const start = c.startDate?.slice(0, 10);
    const end = c.endDate?.slice(0, 10);
    if (!start && !end) continue;
    // ISO days compare as strings.
    if ((!start || start <= today) && (!end || today <= end)) return null; // a course is running
    if (end && end < today && (lastEnd === null || end > lastEnd)) lastEnd = end;
    if (start && start > today && (nextStart === null || start < nextStart)) nextStart = start;
  }
  if (lastEnd === null && nextStart === null) return null;
  const until = nextStart ? day(nextStart, timeZone).minus({ days: pause.betweenTerms.daysBeforeNext }) : null;
  if (until && at >= until) return null; // the days before the next term: removals go through again
  const from = lastEnd ? day(lastEnd, timeZone).plus({ days: 1 }).toISODate()! : null;
  const untilDay = until?.toISODate() ?? null;
  const label = untilDay
    ? `rollover pause until ${untilDay} (${pause.betweenTerms.daysBeforeNext} days before the next SMS courses start on ${nextStart})`
    : `rollover pause since ${from} (the last SMS course ended ${lastEnd}), until the next courses' start dates are in the SMS export`;
  return { source: 'between-terms', from, until: untilDay, label };
}

/** One LMS course the ended-course rule closes. */
export interface ClosingCourse {
  lmsId: number;
  /** The SMS course key and code it is linked or matched to. */
  smsCourse: string;
  code: string;
  /** The SMS end date (YYYY-MM-DD) that passed. */
  endDate: string;
  /** Hide it in the LMS too: only with 'close-and-hide', and only a course ClassBridge created. */
  hide: boolean;
  /** "Its SMS end date 2026-11-30 has passed." — recorded with the state. */
  reason: string;
}

export interface EndedCourseChanges {
  close: ClosingCourse[];
  /** Courses ClassBridge hid that are Open again (an admin opened them): shown in the LMS again. */
  show: LmsCourse[];
}

export interface EndedCourseInput {
  lifecycle: Lifecycle | undefined;
  courseMatch: Mapping['courseMatch'];
  /** The connection's tracked LMS courses (Deleted included), with who last changed their state. */
  lmsCourses: readonly LmsCourse[];
  /** The SMS snapshot's courses (their end dates). */
  courses: readonly Pick<Course, 'smsId' | 'code' | 'endDate'>[];
  /** Links, what ClassBridge created, and the end date last sent for a course gone from the export. */
  applied: AppliedState;
  timeZone: string;
  now: Date;
}

/**
 * The ended-course rule. A New or Open LMS course linked (or matched by the mapping's courseMatch) to an
 * SMS course whose end date is at least `closeAfterDays` days past is closed. An SMS course gone from the
 * export is judged by the end date ClassBridge last sent to the LMS. An admin's explicit Open made after
 * the course was due to close is kept: the rule closes a course once, never against the admin.
 */
export function endedCourseChanges(input: EndedCourseInput): EndedCourseChanges {
  const { lifecycle, applied, timeZone } = input;
  const show = input.lmsCourses.filter((c) => c.state === 'Open' && c.hiddenInLmsAt !== undefined);
  if (!lifecycle || lifecycle.endedCourses === 'keep') return { close: [], show };

  const byId = new Map(input.lmsCourses.map((c) => [c.lmsId, c]));
  const byMatch = new Map<string, LmsCourse>();
  for (const c of input.lmsCourses) {
    const value = input.courseMatch === 'idnumber' ? c.idnumber : c.shortname;
    if (value !== '' && c.state !== 'Deleted') byMatch.set(value, c);
  }
  const ends = new Map<string, { code: string; endDate: string }>();
  for (const c of input.courses) if (c.endDate) ends.set(c.smsId, { code: c.code, endDate: c.endDate.slice(0, 10) });
  const inSnapshot = new Set(input.courses.map((c) => c.smsId));
  for (const key in applied.courses) {
    const sent = applied.courses[key]!;
    if (inSnapshot.has(key) || !sent.endDate) continue;
    // What ClassBridge sent is the start of the day after the (inclusive) end date (plan/dates.ts).
    const endDate = DateTime.fromSeconds(sent.endDate, { zone: timeZone }).minus({ days: 1 }).toISODate();
    if (endDate) ends.set(key, { code: sent.idnumber || sent.shortname, endDate });
  }

  const at = DateTime.fromJSDate(input.now, { zone: timeZone });
  const close: ClosingCourse[] = [];
  const seen = new Set<number>();
  for (const [key, end] of ends) {
    const closeAt = day(end.endDate, timeZone).plus({ days: 1 + lifecycle.closeAfterDays });
    if (at < closeAt) continue;
    const linked = applied.links.courses[key];
    const course = linked !== undefined ? byId.get(linked) : byMatch.get(end.code);
    if (!course || seen.has(course.lmsId)) continue;
    if (course.state !== 'New' && course.state !== 'Open') continue;
    if (
      course.state === 'Open' &&
      course.stateChangedBy === 'admin' &&
      course.stateChangedAt !== undefined &&
      DateTime.fromISO(course.stateChangedAt) >= closeAt
    )
      continue; // the admin opened it after it was due to close: their call stands
    seen.add(course.lmsId);
    const created = linked === course.lmsId && applied.courses[key]?.origin === 'created';
    const after = lifecycle.closeAfterDays > 0 ? ` (closed ${lifecycle.closeAfterDays} days after, as set)` : '';
    close.push({
      lmsId: course.lmsId,
      smsCourse: key,
      code: end.code,
      endDate: end.endDate,
      hide: lifecycle.endedCourses === 'close-and-hide' && created,
      reason: `Its SMS end date ${end.endDate} has passed${after}.`,
    });
  }
  return { close: close.sort((a, b) => a.lmsId - b.lmsId), show };
}

/** The operations that take something away: what a rollover pause holds. */
export const REMOVAL_OP_KINDS: readonly OpKind[] = [
  'suspendUsers',
  'suspendEnrolments',
  'unenrol',
  'removeCohortMembers',
];

/** The plan without its removals: what goes through during a rollover pause while the removals wait. */
export function withoutRemovals(plan: UploadPlan): UploadPlan {
  return selectOperations(
    plan,
    (kind) => !REMOVAL_OP_KINDS.includes(kind),
    () => true,
  );
}
