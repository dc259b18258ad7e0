import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import {
  aroundWrites,
  connectionFor,
  lmsView,
  moodleAdapter,
  openTestStore,
  SimulatedCrash,
  startMoodleSim,
  syntheticSchool,
  upload,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
const BATCH = 3; // small batches: many journal points to crash between

/** The LMS a clean upload of the school produces, to compare every resumed trial with. */
async function expectedView() {
  const sim = await startMoodleSim();
  const connection = connectionFor(sim);
  const store = openTestStore(tempDir(), connection, syntheticSchool());
  const result = await upload(store, moodleAdapter(sim), connection, { batchSize: BATCH });
  const view = lmsView(sim, syntheticSchool());
  store.close();
  await sim.close();
  expect(result.outcome).toBe('ok');
  return { view };
}

describe('crash and resume', () => {
  it('resumes to exactly the expected LMS after a crash at any write call, before or after the LMS applied it', async () => {
    const { view: expected } = await expectedView();
    // 16 users / 3 = 6 create calls, 1 course call, 11 enrol calls, 1 group call, 10 member calls: 29 write calls.
    const trials = Array.from({ length: 29 }, (_, i) => ({ n: i + 1, after: i % 2 === 1 }));
    let crashes = 0;
    for (const { n, after } of trials) {
      const sim = await startMoodleSim();
      const connection = connectionFor(sim);
      const dir = tempDir();
      let store = openTestStore(dir, connection, syntheticSchool());
      const crashing = aroundWrites(moodleAdapter(sim), async (k, _method, call) => {
        if (k !== n) return call();
        // "after": the LMS committed the write but the process died before hearing back.
        if (after) await call();
        throw new SimulatedCrash(`crash at write ${k}`);
      });
      const crashed = await upload(store, crashing, connection, { batchSize: BATCH }).then(
        () => false,
        (err: unknown) => {
          if (!(err instanceof SimulatedCrash)) throw err;
          return true;
        },
      );
      if (crashed) crashes += 1;
      // Restart: a new store handle on the same file, a new adapter.
      store.close();
      store = openTestStore(dir, connection);
      const resumed = await upload(store, moodleAdapter(sim), connection, { batchSize: BATCH });

      expect(resumed.outcome, `trial ${n} ${after ? 'after' : 'before'}`).toBe('ok');
      const view = lmsView(sim, syntheticSchool());
      expect(view, `trial ${n} ${after ? 'after' : 'before'}`).toEqual(expected);
      // No duplicates anywhere: one account per username, one course per code, one group per course.
      const usernames = [...sim.state.users.values()].filter((u) => !u.deleted).map((u) => u.username);
      expect(new Set(usernames).size).toBe(usernames.length);
      expect(view.courses).toHaveLength(3);
      const groups = [...sim.state.groups.values()].filter(
        (g) => view.courses.length > 0 && g.name.startsWith('Class '),
      );
      expect(groups).toHaveLength(3);
      // And the store agrees with the LMS: a further upload has nothing to do.
      sim.resetCounters();
      const third = await upload(store, moodleAdapter(sim), connection, { batchSize: BATCH });
      expect(third.planned.total, `trial ${n}`).toBe(0);
      expect(sim.requestCount()).toBe(0);
      store.close();
      await sim.close();
    }
    expect(crashes).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
