/**
 * Quiet hours: alerts decided inside the window wait in the outbox until it ends, in the school's
 * time zone (luxon, so a daylight-saving change moves nothing). A window may cross midnight
 * (22:00–06:30). The test alert never waits: the admin asked for it now.
 */
import { DateTime } from 'luxon';

export interface QuietHours {
  start: string;
  end: string;
}

function minutesOf(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether `now` falls in the window (start included, end not); an empty window (start = end) never does. */
export function isQuiet(now: Date, quiet: QuietHours | undefined, timeZone: string): boolean {
  if (!quiet) return false;
  const local = DateTime.fromJSDate(now).setZone(timeZone);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** When the quiet hours that hold `now` end (now itself when it is not quiet). */
export function quietEnds(now: Date, quiet: QuietHours | undefined, timeZone: string): Date {
  if (!quiet || !isQuiet(now, quiet, timeZone)) return now;
  const local = DateTime.fromJSDate(now).setZone(timeZone);
  const end = minutesOf(quiet.end);
  let at = local.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  if (at <= local) at = at.plus({ days: 1 });
  return at.toJSDate();
}
