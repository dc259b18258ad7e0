/**
 * The token stays out of the LMS's web-server logs (issue 12 item 8; reference §10: the real site's
 * access log held the token on 706 lines): wstoken travels in the POST body, never in the URL.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../testing/moodle-sim';
import { createMoodleAdapter } from './moodle-adapter';

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(() => sim.close());

test('no request URL carries wstoken, for reads, writes and failed calls alike', async () => {
  const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, backoffMs: 1, maxAttempts: 1 });
  await adapter.describe();
  await adapter.listCourses();
  const created = await adapter.createUsers([
    {
      username: 'tok1',
      firstname: 'T',
      lastname: 'One',
      email: 'tok1@example.invalid',
      idnumber: 'T1',
      password: 'Pass#word-1',
    },
  ]);
  expect(created.outcomes[0]).toMatchObject({ ok: true });
  await adapter.findUsers('id', [999_999]);
  // A failed call (course 999 does not exist) goes through the same transport.
  await adapter.listEnrolledUsers(999).catch(() => undefined);

  const log = sim.accessLog();
  expect(log.length).toBeGreaterThanOrEqual(5);
  for (const { url } of log) {
    expect(url).not.toMatch(/wstoken/i);
    expect(url).not.toContain(sim.token);
  }
});

test('the token goes first in the body, so a max_input_vars cut can never drop it', async () => {
  // PHP keeps the first max_input_vars (+1) body variables: with the token first, a cut shortens the
  // batch (which the batch runner notices) instead of turning every call into invalidtoken.
  sim.setMaxInputVars(12);
  const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, backoffMs: 1, maxInputVars: 1000 });
  const users = Array.from({ length: 3 }, (_, i) => ({
    username: `cut${i}`,
    firstname: 'C',
    lastname: `U${i}`,
    email: `cut${i}@example.invalid`,
    idnumber: `C${i}`,
    password: 'Pass#word-1',
  }));
  const result = await adapter.createUsers(users);
  expect(result.outcomes.every((o) => o.ok)).toBe(true);
});
