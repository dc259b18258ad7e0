import { afterEach, describe, expect, it } from 'vitest';
import { LmsError } from '../../contract';
import { startMoodleSim, type MoodleSim } from '../../testing/moodle-sim';
import { createMoodleAdapter } from './moodle-adapter';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const adapter = (s: MoodleSim, batchSize = 100) =>
  createMoodleAdapter({ url: s.url, token: s.token, backoffMs: 1, batchSize });

describe('the Moodle adapter’s cohorts, against the simulator over HTTP', () => {
  it('creates in batches; a batch Moodle refuses for one duplicate idnumber is split so the others are made', async () => {
    sim = await startMoodleSim();
    const a = adapter(sim, 10);
    await a.createCohorts([{ idnumber: 'classbridge:house:Kauri', name: 'Kauri' }]);
    const result = await a.createCohorts(
      ['Rimu', 'Kauri', 'Totara', 'Matai'].map((h) => ({ idnumber: `classbridge:house:${h}`, name: h })),
    );
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(result.outcomes[1]).toMatchObject({ ok: false, error: { kind: 'invalid-parameter' } });
    expect((await a.listCohorts()).map((c) => c.idnumber).sort()).toEqual(
      ['Kauri', 'Matai', 'Rimu', 'Totara'].map((h) => `classbridge:house:${h}`),
    );
  });

  it('a member already in the cohort is done (warning 3); an unknown user fails only its own item (warning 2)', async () => {
    sim = await startMoodleSim();
    const a = adapter(sim);
    const [made] = (await a.createCohorts([{ idnumber: 'classbridge:yearLevel:10', name: 'Year 10' }])).outcomes;
    const cohortId = made!.ok ? made!.value.id : 0;
    await a.addCohortMembers([{ cohortId, userId: 7 }]);
    const again = await a.addCohortMembers([
      { cohortId, userId: 7 },
      { cohortId, userId: 9999 },
      { cohortId, userId: 8 },
    ]);
    expect(again.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(again.outcomes[1]).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(sim.state.cohorts.get(cohortId)!.members).toEqual([7, 8]);
    const removed = await a.removeCohortMembers([{ cohortId, userId: 7 }]);
    expect(removed.outcomes).toEqual([{ ok: true, value: null }]);
    expect(sim.state.cohorts.get(cohortId)!.members).toEqual([8]);
  });

  it('a service without a cohort function: no request for it, and the fix names the function to add', async () => {
    sim = await startMoodleSim();
    sim.revokeFunction(sim.token, 'core_cohort_add_cohort_members');
    const a = adapter(sim);
    expect(await a.missingCohortFunctions()).toEqual(['core_cohort_add_cohort_members']);
    const error = await a.addCohortMembers([{ cohortId: 1, userId: 7 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect((error as LmsError).kind).toBe('access');
    expect((error as LmsError).fix).toContain('Add core_cohort_add_cohort_members');
  });

  it('a role without moodle/cohort:assign: the error names the capability', async () => {
    sim = await startMoodleSim();
    const a = adapter(sim);
    await a.createCohorts([{ idnumber: 'c', name: 'c' }]);
    sim.revokeCapability(sim.token, 'moodle/cohort:manage');
    sim.revokeCapability(sim.token, 'moodle/cohort:assign');
    const error = (await a.addCohortMembers([{ cohortId: 1, userId: 7 }]).catch((e: unknown) => e)) as LmsError;
    expect(error.kind).toBe('no-permission');
    expect(error.fix).toContain('moodle/cohort:assign');
  });
});
