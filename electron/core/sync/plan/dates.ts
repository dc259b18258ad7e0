import { DateTime } from 'luxon';

/**
 * Turns SMS dates (ISO days, YYYY-MM-DD) into LMS unix seconds in the school's time zone. A start
 * date is the start of that day; an end date is inclusive, so it becomes the start of the next day.
 * Cached per date: a school has few distinct dates and 100,000 enrolments.
 */
export function createDateConverter(timeZone: string): {
  start(date: string | undefined): number;
  end(date: string | undefined): number;
} {
  const cache = new Map<string, number>();
  const convert = (date: string | undefined, plusDays: number): number => {
    if (!date) return 0;
    const cacheKey = `${plusDays}:${date}`;
    let seconds = cache.get(cacheKey);
    if (seconds === undefined) {
      const day = DateTime.fromISO(date.slice(0, 10), { zone: timeZone });
      // An unreadable date is treated as no date rather than a wrong one; import validates dates first.
      seconds = day.isValid ? Math.round(day.startOf('day').plus({ days: plusDays }).toSeconds()) : 0;
      cache.set(cacheKey, seconds);
    }
    return seconds;
  };
  return { start: (date) => convert(date, 0), end: (date) => convert(date, 1) };
}
