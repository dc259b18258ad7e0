import { describe, expect, it } from 'vitest';
import type { Schedule } from '../model';
import { MAX_RETRY_MS, nextRunAfterFailure, retryDelayMs } from './backoff';
import { dueAt } from './due';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * MIN);

describe('retryDelayMs', () => {
  it('doubles from one minute and stops at 30 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n) / MIN)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
    expect(retryDelayMs(10_000)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(0)).toBe(0);
  });
});

describe('nextRunAfterFailure', () => {
  const failedAt = at('2025-06-01T10:00:00Z');

  it('backs off on a long interval, capped at 30 minutes', () => {
    const twoHours: Schedule = { kind: 'interval', minutes: 120 };
    const waits = [1, 2, 3, 4, 5, 6, 7].map(
      (n) => (nextRunAfterFailure(n, twoHours, 'UTC', failedAt).getTime() - failedAt.getTime()) / MIN,
    );
    expect(waits).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });

  it('is never later than the next regular run', () => {
    const fiveMinutes: Schedule = { kind: 'interval', minutes: 5 };
    const started = plus(failedAt, -1); // the failed run started a minute before it ended
    expect(nextRunAfterFailure(2, fiveMinutes, 'UTC', failedAt, started)).toEqual(plus(failedAt, 2));
    expect(nextRunAfterFailure(3, fiveMinutes, 'UTC', failedAt, started)).toEqual(plus(started, 5));
    expect(nextRunAfterFailure(9, fiveMinutes, 'UTC', failedAt, started)).toEqual(plus(started, 5));
  });

  it('retries inside the window of the failed run, and waits for the next window near its end', () => {
    // Daily 22:00–24:00 in UTC.
    const nightly: Schedule = {
      kind: 'window',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '22:00',
      end: '24:00',
    };
    const early = at('2025-06-01T22:10:00Z');
    expect(nextRunAfterFailure(3, nightly, 'UTC', early)).toEqual(at('2025-06-01T22:14:00Z'));
    const late = at('2025-06-01T23:50:00Z');
    expect(nextRunAfterFailure(5, nightly, 'UTC', late)).toEqual(at('2025-06-02T22:00:00Z'));
  });
});

describe('dueAt', () => {
  const every30: Schedule = { kind: 'interval', minutes: 30 };
  const start = at('2025-06-01T10:00:00Z');

  it('follows the schedule after a success and the backoff after failures', () => {
    const ok = { lastRunStart: start, lastRunEnd: plus(start, 1), consecutiveFailures: 0 };
    expect(dueAt(ok, every30, 'UTC', plus(start, 2))).toEqual(plus(start, 30));
    const failing = { ...ok, consecutiveFailures: 3 };
    expect(dueAt(failing, every30, 'UTC', plus(start, 2))).toEqual(plus(start, 5));
  });

  it('gives one run now after a long sleep, for an interval and for a failing part', () => {
    const now = plus(start, 600);
    expect(dueAt({ lastRunStart: start, consecutiveFailures: 0 }, every30, 'UTC', now)).toEqual(now);
    const failing = { lastRunStart: start, lastRunEnd: plus(start, 1), consecutiveFailures: 2 };
    expect(dueAt(failing, every30, 'UTC', now)).toEqual(now);
  });

  it('does not run a window schedule outside its window after sleeping through it', () => {
    const sundayNight: Schedule = { kind: 'window', days: ['sun'], start: '22:00', end: '24:00' };
    const lastWeek = at('2025-05-25T22:00:00Z'); // Sunday
    const mondayMorning = at('2025-06-02T08:00:00Z'); // slept through Sunday 1 June's window
    expect(dueAt({ lastRunStart: lastWeek, consecutiveFailures: 0 }, sundayNight, 'UTC', mondayMorning)).toEqual(
      at('2025-06-08T22:00:00Z'),
    );
    const failing = { lastRunStart: lastWeek, lastRunEnd: plus(lastWeek, 1), consecutiveFailures: 1 };
    expect(dueAt(failing, sundayNight, 'UTC', mondayMorning)).toEqual(at('2025-06-08T22:00:00Z'));
    // Woken inside the window: the run happens now.
    const sundayLate = at('2025-06-01T23:00:00Z');
    expect(dueAt({ lastRunStart: lastWeek, consecutiveFailures: 0 }, sundayNight, 'UTC', sundayLate)).toEqual(
      sundayLate,
    );
  });
});
