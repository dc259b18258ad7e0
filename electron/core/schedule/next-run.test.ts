import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LmsConnectionSchema, type Schedule, type Settings } from '../model';
import { DEFAULT_PART_SCHEDULES, effectiveSchedule, nextRun } from './next-run';
import { windowContaining } from './windows';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const every30: Schedule = { kind: 'interval', minutes: 30 };

/** Local wall-clock time of an instant, e.g. "Sun 22:00". */
function local(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).setLocale('en-US').toFormat('ccc HH:mm');
}

/** Feeds nextRun its own answers, as the scheduler does: every fire of a schedule between two dates. */
function fires(schedule: Schedule, zone: string, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  let now = from;
  let last: Date | undefined;
  for (;;) {
    const due = nextRun(schedule, zone, now, last);
    if (due >= to) return out;
    out.push(due);
    last = due;
    now = new Date(due.getTime() + MIN); // the run takes a minute; ask again when it ends
    if (out.length > 1000) throw new Error('runaway');
  }
}

describe('effectiveSchedule', () => {
  const connection = LmsConnectionSchema.parse({
    id: 'moodle-main',
    kind: 'lms',
    provider: 'moodle',
    name: 'Moodle',
    url: 'https://moodle.school.nz',
    schedules: { results: { kind: 'interval', minutes: 60 } },
  });
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    schedules: { results: every30, upload: { kind: 'interval', minutes: 15 } },
  };

  it('prefers the connection, then the school settings, then the default', () => {
    expect(effectiveSchedule(settings, connection, 'results')).toEqual({ kind: 'interval', minutes: 60 });
    expect(effectiveSchedule(settings, connection, 'upload')).toEqual({ kind: 'interval', minutes: 15 });
    expect(effectiveSchedule(settings, connection, 'course-tracking')).toEqual(every30);
    expect(effectiveSchedule(DEFAULT_SETTINGS, undefined, 'upload')).toEqual(every30);
  });

  it('runs reconcile nightly by default', () => {
    expect(effectiveSchedule(DEFAULT_SETTINGS, connection, 'reconcile')).toEqual(DEFAULT_PART_SCHEDULES.reconcile);
    expect(DEFAULT_PART_SCHEDULES.reconcile).toMatchObject({ kind: 'window', start: '01:00' });
  });
});

describe('nextRun: interval', () => {
  const now = at('2025-06-01T10:00:00Z');

  it('runs now when it never ran', () => {
    expect(nextRun(every30, 'UTC', now)).toEqual(now);
  });

  it('runs one period after the last run started', () => {
    expect(nextRun(every30, 'UTC', now, at('2025-06-01T09:50:00Z'))).toEqual(at('2025-06-01T10:20:00Z'));
  });

  it('runs once now, not once per missed period, when the due time passed long ago', () => {
    expect(nextRun(every30, 'UTC', now, at('2025-05-31T10:00:00Z'))).toEqual(now);
  });

  it('treats a last run in the future (clock set back) as just run', () => {
    expect(nextRun(every30, 'UTC', now, at('2025-06-02T10:00:00Z'))).toEqual(at('2025-06-01T10:30:00Z'));
  });

  it('refuses an unknown time zone', () => {
    expect(() => nextRun(every30, 'Mars/Olympus', now)).toThrow(/time zone/);
  });
});

describe('nextRun: window', () => {
  const zone = 'Pacific/Auckland';
  const weeknights: Schedule = { kind: 'window', days: ['mon', 'wed'], start: '22:00', end: '24:00' };

  it('waits for the start of the next window', () => {
    // Monday 2 June 2025, 12:00 NZST (UTC+12)
    const due = nextRun(weeknights, zone, at('2025-06-02T00:00:00Z'));
    expect(due).toEqual(at('2025-06-02T10:00:00Z'));
    expect(local(due, zone)).toBe('Mon 22:00');
  });

  it('runs now inside a window it has not run in, and only once per window', () => {
    const inside = at('2025-06-02T11:00:00Z'); // Mon 23:00
    expect(nextRun(weeknights, zone, inside)).toEqual(inside);
    expect(nextRun(weeknights, zone, inside, at('2025-05-28T10:00:00Z'))).toEqual(inside);
    const ranAt2230 = at('2025-06-02T10:30:00Z');
    expect(local(nextRun(weeknights, zone, inside, ranAt2230), zone)).toBe('Wed 22:00');
  });

  it("counts a manual run inside the window as the window's run", () => {
    const manual = at('2025-06-02T10:05:00Z'); // Mon 22:05
    expect(nextRun(weeknights, zone, at('2025-06-02T10:06:00Z'), manual)).toEqual(at('2025-06-04T10:00:00Z'));
  });

  it("reads '24:00' as the end of the day", () => {
    expect(windowContaining(weeknights, zone, at('2025-06-02T11:59:59Z'))).toBeDefined(); // Mon 23:59:59
    expect(windowContaining(weeknights, zone, at('2025-06-02T12:00:00Z'))).toBeUndefined(); // Tue 00:00
    expect(windowContaining(weeknights, zone, at('2025-06-02T09:59:59Z'))).toBeUndefined(); // Mon 21:59:59
  });

  const dstCases = [
    { zone: 'Pacific/Auckland', change: 'April (daylight saving ends)', from: '2025-03-20', to: '2025-04-25' },
    { zone: 'Pacific/Auckland', change: 'September (daylight saving starts)', from: '2025-09-15', to: '2025-10-15' },
    { zone: 'Australia/Sydney', change: 'April (daylight saving ends)', from: '2025-03-20', to: '2025-04-25' },
    { zone: 'Australia/Sydney', change: 'October (daylight saving starts)', from: '2025-09-22', to: '2025-10-22' },
  ];
  for (const c of dstCases) {
    it(`fires a weekly Sunday 22:00–24:00 window once a week at 22:00 local across ${c.zone}'s ${c.change}`, () => {
      const sunday: Schedule = { kind: 'window', days: ['sun'], start: '22:00', end: '24:00' };
      const from = DateTime.fromISO(c.from, { zone: c.zone }).toJSDate();
      const to = DateTime.fromISO(c.to, { zone: c.zone }).toJSDate();
      const got = fires(sunday, c.zone, from, to);
      const sundays = countWeekdays(c.from, c.to, 7);
      expect(got).toHaveLength(sundays);
      for (const fire of got) expect(local(fire, c.zone)).toBe('Sun 22:00');
      const gapsInHours = got.slice(1).map((d, i) => (d.getTime() - (got[i] as Date).getTime()) / 3_600_000);
      // One gap is 167 or 169 hours: the clocks moved, the window did not.
      expect(gapsInHours.filter((h) => h !== 168)).toHaveLength(1);
      expect([167, 169]).toContain(gapsInHours.find((h) => h !== 168));
    });
  }

  it('still runs a window that the spring-forward gap swallows, once, when the clock reaches it', () => {
    // Auckland, Sunday 28 September 2025: 02:00 NZST jumps to 03:00 NZDT, so 02:00–03:00 never happens.
    const gap: Schedule = { kind: 'window', days: ['sun'], start: '02:00', end: '03:00' };
    const got = fires(gap, 'Pacific/Auckland', at('2025-09-26T00:00:00Z'), at('2025-10-03T00:00:00Z'));
    expect(got).toEqual([at('2025-09-27T14:00:00Z')]); // 03:00 NZDT
  });

  it('runs a window that the fall-back hour repeats only once', () => {
    // Auckland, Sunday 6 April 2025: 03:00 NZDT falls back to 02:00 NZST, so 02:00–03:00 happens twice.
    const repeated: Schedule = { kind: 'window', days: ['sun'], start: '02:00', end: '03:00' };
    const got = fires(repeated, 'Pacific/Auckland', at('2025-04-04T00:00:00Z'), at('2025-04-11T00:00:00Z'));
    expect(got).toEqual([at('2025-04-05T13:00:00Z')]); // 02:00 NZDT, the first time round
    // At 02:30 NZST (the second time round) the window has already had its run.
    const secondTime = at('2025-04-05T14:30:00Z');
    expect(nextRun(repeated, 'Pacific/Auckland', secondTime, got[0])).toEqual(at('2025-04-12T14:00:00Z'));
  });
});

/** Days with this ISO weekday (7 = Sunday) from `from` (inclusive) to `to` (exclusive). */
function countWeekdays(from: string, to: string, weekday: number): number {
  let n = 0;
  for (let d = DateTime.fromISO(from); d < DateTime.fromISO(to); d = d.plus({ days: 1 }))
    if (d.weekday === weekday) n++;
  return n;
}
