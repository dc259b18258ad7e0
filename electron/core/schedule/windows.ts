import { DateTime } from 'luxon';
import { WEEKDAYS, type Schedule } from '../model';

export type WindowSchedule = Extract<Schedule, { kind: 'window' }>;

/** One real occurrence of a weekly window: [start, end) as instants. */
export interface WindowOccurrence {
  start: Date;
  end: Date;
}

/**
 * A window that daylight saving swallows (02:00–03:00 on the spring-forward night: both ends become
 * 03:00) still gets this much time, so its day is not silently skipped.
 */
const MIN_WINDOW_MS = 60_000;

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/**
 * The occurrence of `window` that contains `at`, if any. Windows never cross midnight (the model
 * requires start < end, and '24:00' is the end of the day), so only `at`'s own local day can hold it;
 * the day before is checked too in case a zone moves its clocks at midnight.
 */
export function windowContaining(window: WindowSchedule, timeZone: string, at: Date): WindowOccurrence | undefined {
  const today = calendarDayOf(at, timeZone);
  for (const offset of [-1, 0]) {
    const occurrence = occurrenceOn(window, timeZone, addDays(today, offset));
    if (occurrence && occurrence.start <= at && at < occurrence.end) return occurrence;
  }
  return undefined;
}

/** The start of the first occurrence of `window` strictly after `after`. */
export function nextWindowStart(window: WindowSchedule, timeZone: string, after: Date): Date {
  const today = calendarDayOf(after, timeZone);
  // Eight days always reach the same weekday next week, and the model requires at least one day.
  for (let offset = 0; offset <= 8; offset++) {
    const occurrence = occurrenceOn(window, timeZone, addDays(today, offset));
    if (occurrence && occurrence.start > after) return occurrence.start;
  }
  throw new Error(`The window has no day to run on: ${JSON.stringify(window.days)}`);
}

/**
 * The window on one calendar day, in the zone's local time. Local times are built from the calendar
 * day (not by adding 24 h), so 22:00 stays 22:00 across a daylight-saving change. A local time that
 * does not exist (spring forward) moves forward by the gap; one that happens twice (fall back) is
 * taken the first time, as luxon does.
 */
function occurrenceOn(window: WindowSchedule, timeZone: string, day: CalendarDay): WindowOccurrence | undefined {
  const weekday = DateTime.fromObject(day, { zone: 'UTC' }).weekday; // 1 = Monday, as WEEKDAYS
  const name = WEEKDAYS[weekday - 1];
  if (name === undefined || !window.days.includes(name)) return undefined;
  const start = localInstant(day, window.start, timeZone);
  const end = localInstant(day, window.end, timeZone);
  return { start, end: new Date(Math.max(end.getTime(), start.getTime() + MIN_WINDOW_MS)) };
}

/** 'HH:MM' on `day` in the zone; '24:00' is midnight at the end of that day. */
function localInstant(day: CalendarDay, hhmm: string, timeZone: string): Date {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const date = hour === 24 ? addDays(day, 1) : day;
  return DateTime.fromObject({ ...date, hour: hour % 24, minute }, { zone: timeZone }).toJSDate();
}

function calendarDayOf(at: Date, timeZone: string): CalendarDay {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return { year: local.year, month: local.month, day: local.day };
}

/** Calendar arithmetic in UTC, where every day has 24 hours. */
function addDays(day: CalendarDay, days: number): CalendarDay {
  const moved = DateTime.fromObject(day, { zone: 'UTC' }).plus({ days });
  return { year: moved.year, month: moved.month, day: moved.day };
}
