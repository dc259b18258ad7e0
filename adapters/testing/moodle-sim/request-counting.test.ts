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

test('records every request line as a web server access log does (method, path and query, never the body)', async () => {
  // §10: a token in the query string lands in the web server's log; one in the POST body does not.
  await callSim(sim, 'core_webservice_get_site_info');
  const bodyOnly = await fetch(`${sim.url}/webservice/rest/server.php?wsfunction=core_webservice_get_site_info`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `wstoken=${sim.token}&moodlewsrestformat=json`,
  });
  // A real Moodle accepts wstoken in the body (array_merge($_GET, $_POST)).
  expect(JSON.parse(await bodyOnly.text())).toMatchObject({ username: 'wsconnector' });

  const log = sim.accessLog();
  expect(log).toHaveLength(2);
  expect(log[0]).toEqual({
    method: 'POST',
    url: `/webservice/rest/server.php?wstoken=${sim.token}&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json`,
  });
  expect(log[1]).toEqual({
    method: 'POST',
    url: '/webservice/rest/server.php?wsfunction=core_webservice_get_site_info',
  });

  sim.resetCounters();
  expect(sim.accessLog()).toEqual([]);
});
