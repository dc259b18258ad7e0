/** requestCount counts every request per wsfunction when it arrives, answered, failed or faulted. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(() => sim.close());

test('counts per function and in total, and resets', async () => {
  await callSim(sim, 'core_webservice_get_site_info');
  await callSim(sim, 'core_webservice_get_site_info');
  await callSim(sim, 'core_course_get_courses');
  await callSim(sim, 'core_course_get_courses', {}, { token: 'not-a-token' });
  sim.injectFault({ kind: 'http-status', status: 500 });
  await callSim(sim, 'core_user_get_users_by_field', { field: 'id', values: [7] }).catch(() => undefined);

  expect(sim.requestCount('core_webservice_get_site_info')).toBe(2);
  expect(sim.requestCount('core_course_get_courses')).toBe(2);
  expect(sim.requestCount('core_user_get_users_by_field')).toBe(1);
  expect(sim.requestCount('core_user_create_users')).toBe(0);
  expect(sim.requestCount()).toBe(5);

  sim.resetCounters();
  expect(sim.requestCount()).toBe(0);
  expect(sim.requestCount('core_webservice_get_site_info')).toBe(0);
});
