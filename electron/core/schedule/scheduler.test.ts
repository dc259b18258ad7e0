import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Part, Schedule } from '../model';
import { FakeClock } from '../../test-support/fake-clock';
import { Scheduler } from './scheduler';
import {
  scheduleKey,
  type DueRun,
  type RunVerdict,
  type SchedulerEvent,
  type SchedulerOptions,
} from './scheduler-types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const every30: Schedule = { kind: 'interval', minutes: 30 };
const T0 = new Date('2025-06-02T00:00:00Z');

interface Harness {
  clock: FakeClock;
  scheduler: Scheduler;
  /** Every call of the runner, in order. */
  calls: (DueRun & { at: Date })[];
  events: SchedulerEvent[];
  /** Start times (minutes after the clock's start) of runs of one key. */
  startsOf(key: string): number[];
}

/**
 * A scheduler on a fake clock whose runner records each call and answers with `verdict(run)`
 * (default 'ok'), after `takesMs` of fake time.
 */
function harness(
  options: {
    start?: Date;
    verdict?: (run: DueRun) => RunVerdict | Promise<RunVerdict>;
    takesMs?: number;
  } & Partial<SchedulerOptions> = {},
): Harness {
  const start = options.start ?? T0;
  const clock = new FakeClock(start);
  const calls: Harness['calls'] = [];
  const events: SchedulerEvent[] = [];
  let active = new Set<string>();
  const scheduler = new Scheduler({
    timeZone: 'UTC',
    clock,
    onEvent: (e) => events.push(e),
    ...options,
    onDue: async (key, run) => {
      if (active.has(key)) throw new Error(`${key} ran twice at once`);
      active = new Set([...active, key]);
      calls.push({ ...run, at: clock.now() });
      try {
        if (options.takesMs) await new Promise<void>((resolve) => clock.setTimeout(resolve, options.takesMs ?? 0));
        return await (options.verdict?.(run) ?? 'ok');
      } finally {
        active.delete(key);
      }
    },
  });
  return {
    clock,
    scheduler,
    calls,
    events,
    startsOf: (key) => calls.filter((c) => c.key === key).map((c) => (c.at.getTime() - start.getTime()) / MIN),
  };
}

function register(scheduler: Scheduler, connectionId: string, part: Part, schedule: Schedule = every30): string {
  return scheduler.register({ connectionId, part, schedule });
}

describe('Scheduler', () => {
  it('runs a new part at once, then every period', async () => {
    const h = harness();
    const key = register(h.scheduler, 'moodle', 'upload');
    h.scheduler.start();
    await h.clock.advance(2 * HOUR);
    expect(h.startsOf(key)).toEqual([0, 30, 60, 90, 120]);
    expect(h.calls.every((c) => c.trigger === 'schedule')).toBe(true);
  });

  it('continues from the stored history after a restart instead of running at once', async () => {
    const h = harness();
    const key = h.scheduler.register({
      connectionId: 'moodle',
      part: 'results',
      schedule: every30,
      lastRunStart: new Date(T0.getTime() - 10 * MIN),
      lastRunEnd: new Date(T0.getTime() - 9 * MIN),
      consecutiveFailures: 0,
    });
    h.scheduler.start();
    expect(h.scheduler.next(key)).toEqual(new Date(T0.getTime() + 20 * MIN));
    await h.clock.advance(HOUR);
    expect(h.startsOf(key)).toEqual([20, 50]);
  });

  it('resets the schedule to one period after a manual run', async () => {
    const h = harness();
    const key = register(h.scheduler, 'moodle', 'upload');
    h.scheduler.start();
    await h.clock.advance(20 * MIN);
    expect(await h.scheduler.runNow(key)).toBe('ok');
    expect(h.scheduler.next(key)).toEqual(new Date(T0.getTime() + 50 * MIN));
    await h.clock.advance(60 * MIN);
    expect(h.startsOf(key)).toEqual([0, 20, 50, 80]);
    expect(h.calls.map((c) => c.trigger)).toEqual(['schedule', 'manual', 'schedule', 'schedule']);
  });

  it('backs off after failures, caps the wait at 30 minutes, and returns to the schedule after a success', async () => {
    let failing = true;
    const h = harness({ verdict: () => (failing ? 'failed' : 'ok') });
    const key = register(h.scheduler, 'moodle', 'results', { kind: 'interval', minutes: 120 });
    h.scheduler.start();
    await h.clock.advance(121 * MIN);
    const starts = h.startsOf(key);
    expect(starts.slice(1).map((s, i) => s - (starts[i] ?? 0))).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
    expect(h.scheduler.state(key)?.consecutiveFailures).toBe(9);
    failing = false;
    await h.clock.advance(30 * MIN); // the next retry succeeds
    const afterSuccess = h.startsOf(key).at(-1) ?? 0;
    await h.clock.advance(240 * MIN);
    expect(h.startsOf(key).filter((s) => s > afterSuccess)).toEqual([afterSuccess + 120, afterSuccess + 240]);
    expect(h.scheduler.state(key)?.consecutiveFailures).toBe(0);
  });

  it('counts a runner that throws as a failure and reports the error', async () => {
    const h = harness({
      verdict: () => {
        throw new Error('boom');
      },
    });
    const key = register(h.scheduler, 'moodle', 'course-tracking');
    h.scheduler.start();
    await h.clock.advance(0);
    expect(h.scheduler.state(key)?.consecutiveFailures).toBe(1);
    expect(h.scheduler.next(key)).toEqual(new Date(T0.getTime() + MIN));
    const finished = h.events.find((e) => e.type === 'run-finished');
    expect(finished).toMatchObject({ verdict: 'failed', error: new Error('boom') });
  });

  it('runs once, not once per missed period, after the computer sleeps', async () => {
    const h = harness();
    const key = register(h.scheduler, 'moodle', 'upload');
    h.scheduler.start();
    await h.clock.advance(10 * MIN);
    await h.clock.sleep(5 * HOUR);
    expect(h.startsOf(key)).toEqual([0, 310]);
    expect(h.scheduler.next(key)).toEqual(new Date(T0.getTime() + 340 * MIN));
  });

  it('never runs a paused part, and recomputes the next run on resume', async () => {
    const h = harness();
    const a = register(h.scheduler, 'moodle', 'upload');
    const b = register(h.scheduler, 'moodle', 'results');
    h.scheduler.start();
    await h.clock.advance(MIN);
    h.scheduler.pause();
    expect(h.scheduler.next(a)).toBeUndefined();
    await h.clock.advance(24 * HOUR);
    expect(h.calls).toHaveLength(2);
    h.scheduler.resume();
    await h.clock.advance(0);
    expect(h.startsOf(a)).toEqual([0, 24 * 60 + 1]); // one overdue run at once, not 48
    h.scheduler.pause(b);
    await h.clock.advance(HOUR);
    expect(h.startsOf(a)).toHaveLength(4);
    expect(h.startsOf(b)).toEqual([0, 24 * 60 + 1]);
    expect(h.scheduler.state(b)?.paused).toBe(true);
    // A manual run still works while paused: the admin asked for it.
    expect(await h.scheduler.runNow(b)).toBe('ok');
  });

  it('never runs the same part twice at once: a due tick while running is skipped and noted', async () => {
    const h = harness({ takesMs: 45 * MIN });
    const key = register(h.scheduler, 'moodle', 'upload');
    h.scheduler.start();
    await h.clock.advance(35 * MIN); // due again at 30 while the first run is still going
    expect(h.scheduler.state(key)).toMatchObject({ running: true, skippedWhileRunning: 1 });
    expect(await h.scheduler.runNow(key)).toBe('busy');
    expect(h.scheduler.state(key)?.skippedWhileRunning).toBe(2);
    await h.clock.advance(15 * MIN);
    // It ran again when the first run ended (it was overdue), then kept to its period.
    expect(h.startsOf(key)).toEqual([0, 45]);
    expect(h.events.filter((e) => e.type === 'run-skipped')).toHaveLength(2);
    expect(h.events.filter((e) => e.type === 'run-finished' && e.verdict === 'failed')).toHaveLength(0);
  });

  it('fires a weekly 22:00–24:00 Pacific/Auckland window exactly once a week across both daylight-saving changes', async () => {
    const zone = 'Pacific/Auckland';
    for (const [from, to] of [
      ['2025-03-24', '2025-04-21'],
      ['2025-09-15', '2025-10-13'],
    ] as const) {
      const h = harness({ start: DateTime.fromISO(from, { zone }).toJSDate(), timeZone: zone, maxTimerMs: 15 * MIN });
      const key = register(h.scheduler, 'moodle', 'reconcile', {
        kind: 'window',
        days: ['sun'],
        start: '22:00',
        end: '24:00',
      });
      h.scheduler.start();
      await h.clock.advanceTo(DateTime.fromISO(to, { zone }).toJSDate());
      const local = h.calls
        .filter((c) => c.key === key)
        .map((c) => DateTime.fromJSDate(c.at, { zone }).setLocale('en-US'));
      expect(local.map((d) => d.toFormat('ccc yyyy-LL-dd HH:mm'))).toEqual(
        from.startsWith('2025-03')
          ? ['Sun 2025-03-30 22:00', 'Sun 2025-04-06 22:00', 'Sun 2025-04-13 22:00', 'Sun 2025-04-20 22:00']
          : ['Sun 2025-09-21 22:00', 'Sun 2025-09-28 22:00', 'Sun 2025-10-05 22:00', 'Sun 2025-10-12 22:00'],
      );
    }
  });

  it('keeps two connections independent', async () => {
    const h = harness({ verdict: (run) => (run.connectionId === 'broken' ? 'failed' : 'ok') });
    const good = register(h.scheduler, 'good', 'upload');
    const broken = register(h.scheduler, 'broken', 'upload');
    h.scheduler.start();
    await h.clock.advance(10 * MIN);
    await h.scheduler.runNow(good);
    h.scheduler.pause(broken);
    await h.clock.advance(50 * MIN);
    expect(h.startsOf(good)).toEqual([0, 10, 40]);
    expect(h.startsOf(broken)).toEqual([0, 1, 3, 7]);
    expect(h.scheduler.state(good)?.consecutiveFailures).toBe(0);
    expect(h.scheduler.state(broken)?.consecutiveFailures).toBe(4);
    expect(scheduleKey('good', 'upload')).toBe(good);
  });

  it('keeps the history when a schedule changes, and reads windows in the new time zone', async () => {
    const h = harness();
    const key = register(h.scheduler, 'moodle', 'results');
    h.scheduler.start();
    await h.clock.advance(MIN);
    register(h.scheduler, 'moodle', 'results', { kind: 'interval', minutes: 60 });
    expect(h.scheduler.next(key)).toEqual(new Date(T0.getTime() + 60 * MIN));
    register(h.scheduler, 'moodle', 'results', { kind: 'window', days: ['mon'], start: '22:00', end: '24:00' });
    expect(h.scheduler.next(key)).toEqual(new Date('2025-06-02T22:00:00Z'));
    h.scheduler.setTimeZone('Pacific/Auckland');
    expect(h.scheduler.next(key)).toEqual(new Date('2025-06-02T10:00:00Z')); // Monday 22:00 NZST
  });

  it('stops firing after stop(), which waits for the runs in progress', async () => {
    const h = harness({ takesMs: 5 * MIN });
    const key = register(h.scheduler, 'moodle', 'upload');
    h.scheduler.start();
    await h.clock.advance(MIN);
    let stopped = false;
    const stopping = h.scheduler.stop().then(() => (stopped = true));
    await h.clock.advance(MIN);
    expect(stopped).toBe(false);
    await h.clock.advance(5 * MIN);
    await stopping;
    await h.clock.advance(5 * HOUR);
    expect(h.startsOf(key)).toEqual([0]);
    expect(h.clock.pendingTimers).toBe(0);
  });
});
