/**
 * PHP max_input_vars, replaying the probes in recordings/perf_and_max_input_vars.json: extra form
 * variables are dropped silently, so a batch shrinks (HTTP 200, shorter list) or fails when the cut
 * falls inside an item, or loses the token.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { encodePairs, post } from './test-support';

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(() => sim.close());

/** 6 variables per user, as in the lab's probes. */
function userPairs(count: number, prefix: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${i}`;
    for (const [field, value] of [
      ['username', username],
      ['firstname', 'Probe'],
      ['lastname', `User ${i}`],
      ['email', `${username}@example.invalid`],
      ['password', 'Probe#Pass-1'],
      ['auth', 'manual'],
    ]) {
      pairs.push([`users[${i}][${field}]`, value as string]);
    }
  }
  return pairs;
}

const header = (token: string): [string, string][] => [
  ['wstoken', token],
  ['wsfunction', 'core_user_create_users'],
  ['moodlewsrestformat', 'json'],
];
const probeUsers = (prefix: string): number =>
  [...sim.state.users.values()].filter((u) => u.username.startsWith(prefix)).length;

test('2,000 users with the limit at 5,000: 833 created, HTTP 200 and a normal list (php_5000_users_2000_token_first)', async () => {
  sim.setMaxInputVars(5000);
  const answer = await post(sim, encodePairs([...header(sim.token), ...userPairs(2000, 'probe')]));
  expect(answer.status).toBe(200);
  const created = JSON.parse(answer.text) as { id: number; username: string }[];
  // 5001 variables arrive: 3 header + 833 × 6.
  expect(created).toHaveLength(833);
  expect(created.at(-1)?.username).toBe('probe832');
  expect(probeUsers('probe')).toBe(833);
});

test('the token past the cut gives invalidtoken and creates nobody (php_5000_users_2000_token_last)', async () => {
  sim.setMaxInputVars(5000);
  const [token, ...functionAndFormat] = header(sim.token);
  const pairs = [...functionAndFormat, ...userPairs(2000, 'late'), token as [string, string]];
  const answer = await post(sim, encodePairs(pairs));
  expect(JSON.parse(answer.text)).toEqual({
    exception: 'core\\exception\\moodle_exception',
    errorcode: 'invalidtoken',
    message: 'Invalid token - token not found',
  });
  expect(probeUsers('late')).toBe(0);
});

test('a cut inside a user gives invalidparameter and creates nobody (php_1000_users_200_token_first)', async () => {
  // Default limit 1000: 1001 variables = 3 header + 166 users + username and firstname of user 167.
  const answer = await post(sim, encodePairs([...header(sim.token), ...userPairs(200, 'cut')]));
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({
    exception: 'core\\exception\\invalid_parameter_exception',
    errorcode: 'invalidparameter',
    message: 'Invalid parameter value detected',
  });
  expect(probeUsers('cut')).toBe(0);
});

test('GET and POST are counted separately, PHP keeping one more POST variable than the limit', async () => {
  sim.setMaxInputVars(12);
  // 3 variables in the query string do not use up the body's budget: 12 + 1 body variables arrive.
  const answer = await post(sim, encodePairs(userPairs(2, 'split')), encodePairs(header(sim.token)));
  expect(JSON.parse(answer.text)).toHaveLength(2);

  // The query string keeps exactly max_input_vars: with the limit at 2 the token (third) is lost…
  sim.setMaxInputVars(2);
  const siteInfo: [string, string][] = [
    ['wsfunction', 'core_webservice_get_site_info'],
    ['moodlewsrestformat', 'json'],
    ['wstoken', sim.token],
  ];
  expect(JSON.parse((await post(sim, '', encodePairs(siteInfo))).text)).toMatchObject({ errorcode: 'invalidtoken' });
  // …while the same three variables in the body all arrive.
  expect(JSON.parse((await post(sim, encodePairs(siteInfo))).text)).toMatchObject({ username: 'wsconnector' });
});
