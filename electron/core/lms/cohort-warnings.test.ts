import { afterEach, describe, expect, it } from 'vitest';
import { connectionFor, startMoodleSim, type MoodleSim } from '../../test-support/upload-harness';
import { cohortWarnings } from './cohort-warnings';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('the dry run’s cohort warning (a fresh site whose service lacks the cohort functions)', () => {
  it('names the functions to add when the plan has cohort writes, and asks nothing otherwise', async () => {
    sim = await startMoodleSim();
    const connection = connectionFor(sim);
    expect(await cohortWarnings(connection, sim.token, { createCohorts: 2, addCohortMembers: 40 })).toEqual([]);
    sim.revokeFunction(sim.token, 'core_cohort_create_cohorts');
    sim.revokeFunction(sim.token, 'core_cohort_delete_cohort_members');
    const [warning, ...rest] = await cohortWarnings(connection, sim.token, { createCohorts: 2, addCohortMembers: 40 });
    expect(rest).toEqual([]);
    expect(warning).toContain('42 cohort changes in this plan would fail');
    expect(warning).toContain('core_cohort_create_cohorts, core_cohort_delete_cohort_members');
    expect(warning).toContain('External services');
    const before = sim.requestCount('core_webservice_get_site_info');
    expect(await cohortWarnings(connection, sim.token, { createUsers: 3 })).toEqual([]);
    expect(sim.requestCount('core_webservice_get_site_info')).toBe(before);
  });
});
