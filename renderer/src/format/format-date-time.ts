/** How a school reads dates: its own time zone, and the English of its country where we know it. */
export interface SchoolClock {
  timeZone: string;
  locale: string;
}

const readerDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(clock: SchoolClock, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${clock.locale}|${clock.timeZone}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    try {
      cached = new Intl.DateTimeFormat(clock.locale, { ...options, timeZone: clock.timeZone });
    } catch {
      // An unknown zone or locale (an old browser's tz data): the reader's own clock beats no date at all.
      cached = new Intl.DateTimeFormat(undefined, options);
    }
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * Engine timestamps are ISO strings. Without a clock they are shown in the reader's own locale and zone;
 * with the school's clock (see useSchoolClock) in the school's zone and locale, the same on every computer.
 */
export function formatDateTime(iso: string, clock?: SchoolClock): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return clock
    ? formatter(clock, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
    : readerDateTime.format(date);
}

/** A calendar day (no time) in the school's zone, e.g. "3 Mar" for a chart axis or "3 Mar 2026" with the year. */
export function formatDay(iso: string, clock: SchoolClock, withYear = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(clock, { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) }).format(date);
}

/** The school's calendar day of an instant, as YYYY-MM-DD (for grouping runs by day). */
export function dayKey(date: Date, timeZone: string): string {
  const parts = formatter({ locale: 'en-CA', timeZone }, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The `count` calendar days up to and including today in the school's zone, oldest first, as YYYY-MM-DD. */
export function lastDays(count: number, timeZone: string, now = new Date()): string[] {
  const [year, month, day] = dayKey(now, timeZone).split('-').map(Number) as [number, number, number];
  const days: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    // Calendar arithmetic on the day itself (UTC noon), so daylight-saving changes never skip or repeat a day.
    days.push(new Date(Date.UTC(year, month - 1, day - back, 12)).toISOString().slice(0, 10));
  }
  return days;
}

/** A YYYY-MM-DD day as the school writes it ("3 Mar"), independent of any zone. */
export function formatDayKey(key: string, locale: string, withYear = false): string {
  return formatDay(`${key}T12:00:00Z`, { locale, timeZone: 'UTC' }, withYear);
}

/** How long a run took, in words an admin reads at a glance: "0.4 s", "12 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(startedAt: string, finishedAt: string | null): string | null {
  if (finishedAt === null) return null;
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "5:05 pm" for a moment today (in the school's zone), else "3 Mar, 5:05 pm": for one-line summaries. */
export function formatWhen(iso: string, clock: SchoolClock, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = formatter(clock, { timeStyle: 'short' }).format(date);
  if (dayKey(date, clock.timeZone) === dayKey(now, clock.timeZone)) return time;
  return `${formatter(clock, { day: 'numeric', month: 'short' }).format(date)}, ${time}`;
}
