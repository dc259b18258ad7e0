import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { LmsConnectionSchema } from '../model';
import { openStore, type Store } from '../store/store';
import { FakeClock } from '../../test-support/fake-clock';
import { partHealth } from './health';
import { summariseRuns } from './run-history';
import { Scheduler } from './scheduler';

const MIN = 60_000;
const T0 = new Date('2025-06-02T00:00:00Z');
const tempDir = useTempDirs();
let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

/** Opens the store with the LMS connection the runs belong to (runs reference it). */
function openWithConnection(file: string, clock: FakeClock): Store {
  const s = openStore({ file, now: () => clock.now() });
  if (!s.connections.get('moodle')) {
    s.connections.save(
      LmsConnectionSchema.parse({
        id: 'moodle',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle',
        url: 'https://m.school.nz',
      }),
    );
  }
  return s;
}

/** A scheduler whose runner records each run in the real store, failing while `failing()` says so. */
function scheduledStore(file: string, clock: FakeClock, failing: () => boolean) {
  const s = openWithConnection(file, clock);
  const scheduler = new Scheduler({
    timeZone: 'UTC',
    clock,
    onDue: async (_key, { connectionId, part, trigger }) => {
      const id = s.runs.start(connectionId, part, trigger);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, MIN));
      const verdict = failing() ? 'failed' : 'ok';
      s.runs.finish(id, verdict, {}, verdict === 'failed' ? 'Could not reach the LMS' : undefined);
      return verdict;
    },
  });
  return { store: s, scheduler };
}

describe('summariseRuns (runs from a real store)', () => {
  it('gives the scheduler its history back after a restart, backoff included', async () => {
    const file = join(tempDir(), 'cb.db');
    const clock = new FakeClock(T0);
    let failing = false;
    const first = scheduledStore(file, clock, () => failing);
    store = first.store;
    first.scheduler.register({ connectionId: 'moodle', part: 'results', schedule: { kind: 'interval', minutes: 30 } });
    first.scheduler.start();
    await clock.advance(40 * MIN); // ok at 0 and 30
    failing = true;
    await clock.advance(35 * MIN); // fails at 60, 62, 65, 70 (each run takes a minute)
    await first.scheduler.stop();
    store.close();

    // The app restarts 2 minutes later and reads the history back.
    await clock.advance(2 * MIN);
    const second = scheduledStore(file, clock, () => failing);
    store = second.store;
    const summary = summariseRuns(store.runs.list({ connectionId: 'moodle', part: 'results' }));
    expect(summary).toMatchObject({
      consecutiveFailures: 4,
      running: false,
      lastRunStart: new Date(T0.getTime() + 70 * MIN),
      lastRunEnd: new Date(T0.getTime() + 71 * MIN),
      lastSuccess: new Date(T0.getTime() + 31 * MIN),
      failingSince: new Date(T0.getTime() + 60 * MIN),
    });
    const { lastRunStart, lastRunEnd, consecutiveFailures } = summary;
    const key = second.scheduler.register({
      connectionId: 'moodle',
      part: 'results',
      schedule: { kind: 'interval', minutes: 30 },
      lastRunStart,
      lastRunEnd,
      consecutiveFailures,
    });
    // After 4 failures in a row the next try waits 8 minutes from the end of the last: the backoff survives.
    expect(second.scheduler.next(key)).toEqual(new Date(T0.getTime() + 79 * MIN));

    const health = partHealth({
      lastRun: summary.lastFinished,
      lastSuccess: summary.lastSuccess,
      failingSince: summary.failingSince,
      running: summary.running,
      now: clock.now(),
    });
    expect(health).toMatchObject({ health: 'problem', since: new Date(T0.getTime() + 31 * MIN) });
    expect(health.words).toBe('No successful run for 46 minutes. Last error: Could not reach the LMS');
  });

  it('reads a part that never ran, and one whose run is still going', () => {
    const clock = new FakeClock(T0);
    store = openWithConnection(join(tempDir(), 'cb.db'), clock);
    expect(summariseRuns(store.runs.list({ connectionId: 'moodle', part: 'course-tracking' }))).toEqual({
      consecutiveFailures: 0,
      running: false,
    });
    const id = store.runs.start('moodle', 'course-tracking', 'schedule');
    store.runs.finish(id, 'partial', { failed: 2 });
    store.runs.start('moodle', 'course-tracking', 'manual');
    const summary = summariseRuns(store.runs.list({ connectionId: 'moodle', part: 'course-tracking' }));
    expect(summary).toMatchObject({ running: true, consecutiveFailures: 0, lastSuccess: T0 });
    expect(summary.lastFinished?.outcome).toBe('partial');
  });
});
