import { DateTime } from 'luxon';
import { DEFAULT_SCHEDULE, WEEKDAYS, type LmsConnection, type Part, type Schedule, type Settings } from '../model';
import { nextWindowStart, windowContaining } from './windows';

/**
 * What a part runs on when neither the school's settings nor the connection say otherwise: every
 * 30 minutes, except reconcile, which reads the whole LMS back and so runs nightly (issue 5).
 */
export const DEFAULT_PART_SCHEDULES: Readonly<Record<Part, Schedule>> = {
  upload: DEFAULT_SCHEDULE,
  results: DEFAULT_SCHEDULE,
  'course-tracking': DEFAULT_SCHEDULE,
  reconcile: { kind: 'window', days: [...WEEKDAYS], start: '01:00', end: '05:00' },
};

/** The schedule a part of one connection runs on: the connection's own, else the school's, else the default. */
export function effectiveSchedule(
  settings: Pick<Settings, 'schedules'>,
  connection: Pick<LmsConnection, 'schedules'> | undefined,
  part: Part,
): Schedule {
  return connection?.schedules[part] ?? settings.schedules[part] ?? DEFAULT_PART_SCHEDULES[part];
}

/**
 * When a part should next run, never earlier than `after` (usually now); `after` itself means "run now".
 *
 * - interval: one period after the last run started (a manual run counts, so it resets the schedule);
 *   now if it never ran, and now — once — if that moment has passed (after sleep or while stopped).
 * - window: now when `after` is inside a window this part has not run in yet; otherwise the start
 *   of the next window. One run per window, however long it stays open; a manual run inside a
 *   window counts as that window's run.
 *
 * Times are in `timeZone` (IANA), so a 22:00 window stays at 22:00 local across daylight saving.
 */
export function nextRun(schedule: Schedule, timeZone: string, after: Date, lastRunStart?: Date): Date {
  assertTimeZone(timeZone);
  // A last run "in the future" means the clock was set back: count it as having just run.
  const last = lastRunStart && lastRunStart > after ? after : lastRunStart;
  if (schedule.kind === 'interval') {
    if (!last) return after;
    const due = last.getTime() + schedule.minutes * 60_000;
    return new Date(Math.max(due, after.getTime()));
  }
  const open = windowContaining(schedule, timeZone, after);
  if (open && !(last && last >= open.start)) return after;
  return nextWindowStart(schedule, timeZone, after);
}

function assertTimeZone(timeZone: string): void {
  if (!DateTime.now().setZone(timeZone).isValid) throw new RangeError(`Not a known time zone: ${timeZone}`);
}
