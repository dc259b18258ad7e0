import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';

import { readAppliedState } from '../plan/applied-state';
import {
  aroundWrites,
  connectionFor,
  lmsView,
  moodleAdapter,
  openTestStore,
  type SimulatedSchool,
  startMoodleSim,
  startSimulatedSchool,
  stopSimulatedSchool,
  syntheticSchool,
  upload,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 15, 3));
});
afterEach(() => stopSimulatedSchool({ sim, store }));

describe('an unreliable LMS', () => {
  it('lands every record when about 10% of requests fail (5xx, HTML, resets, lost answers)', async () => {
    const { view: expected } = await cleanRun();
    const batchSize = 3; // ~40 requests, so 5 faults is about 10%
    sim.injectFault(
      { kind: 'http-status', status: 502, body: '<html>Bad gateway</html>' },
      { function: 'core_user_create_users', times: 1 },
    );
    sim.injectFault({ kind: 'reset-after-apply' }, { function: 'core_course_create_courses', times: 1 });
    sim.injectFault({ kind: 'reset' }, { function: 'enrol_manual_enrol_users', times: 1 });
    sim.injectFault({ kind: 'html' }, { function: 'core_group_add_group_members', times: 1 });
    sim.injectFault({ kind: 'reset-after-apply' }, { function: 'core_group_create_groups', times: 1 });

    let runs = 0;
    let outcome = '';
    while (runs < 3 && outcome !== 'ok') {
      runs += 1;
      outcome = (await upload(store, moodleAdapter(sim), connection, { batchSize })).outcome;
    }

    expect(outcome).toBe('ok');
    expect(lmsView(sim, school)).toEqual(expected);
    const usernames = [...sim.state.users.values()].filter((u) => !u.deleted).map((u) => u.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect([...sim.state.groups.values()].filter((g) => g.name.startsWith('Class '))).toHaveLength(3);
  });

  it('ends the run failed with invalid-token when the token is revoked mid-run, keeping what was applied', async () => {
    const revoking = aroundWrites(moodleAdapter(sim), async (n, _method, call) => {
      const result = await call();
      if (n === 1) sim.deleteToken(sim.token);
      return result;
    });

    const result = await upload(store, revoking, connection, { batchSize: 3 });

    expect(result.outcome).toBe('failed');
    expect(result.error?.kind).toBe('invalid-token');
    const run = store.runs.last(connection.id, 'upload');
    expect(run?.outcome).toBe('failed');
    expect(run?.message).toMatch(/stopped/);
    // The first batch (3 users) was created in the LMS, and the store knows them.
    const state = readAppliedState(store, connection.id);
    expect(Object.keys(state.people)).toHaveLength(3);
    expect(store.links.all(connection.id, 'person').size).toBe(3);
    expect(lmsView(sim, school).users).toHaveLength(3);

    // With a new token the next upload finishes the job without recreating those three.
    const token = sim.createToken({ capabilities: 'all' });
    sim.resetCounters();
    const resumed = await upload(store, moodleAdapter(sim, token), connection, { batchSize: 3 });
    expect(resumed.outcome).toBe('ok');
    expect(resumed.report?.kinds.createUsers.sent).toBe(13);
    expect(lmsView(sim, school).users).toHaveLength(16);
  });
});

/** The LMS state a fault-free upload gives, from a separate simulator. */
async function cleanRun() {
  const clean = await startMoodleSim();
  const c = connectionFor(clean);
  const s = openTestStore(tempDir(), c, syntheticSchool(15, 3));
  await upload(s, moodleAdapter(clean), c);
  const view = lmsView(clean, syntheticSchool(15, 3));
  s.close();
  await clean.close();
  return { view };
}
