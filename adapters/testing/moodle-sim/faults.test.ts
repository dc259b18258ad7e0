/** Injected faults, latency, the worker pool and revocations. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim, encodePairs, post } from './test-support';

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(() => sim.close());

const createUser = (username: string) => ({
  users: [{ username, firstname: 'F', lastname: 'L', email: `${username}@example.invalid`, password: 'Sim#Pass-1' }],
});
const exists = (username: string): boolean => [...sim.state.users.values()].some((u) => u.username === username);
const rawCall = (fn: string, params: Record<string, string> = {}, signal?: AbortSignal) =>
  post(
    sim,
    encodePairs(Object.entries(params)),
    encodePairs([
      ['wstoken', sim.token],
      ['wsfunction', fn],
      ['moodlewsrestformat', 'json'],
    ]),
    signal,
  );

describe('faults', () => {
  test('http-status answers with that status and body without running the function', async () => {
    sim.injectFault({ kind: 'http-status', status: 502, body: '<html>Bad gateway</html>' });
    const answer = await post(
      sim,
      encodePairs([
        ['users[0][username]', 'f502'],
        ['users[0][firstname]', 'F'],
        ['users[0][lastname]', 'L'],
        ['users[0][email]', 'f502@example.invalid'],
        ['users[0][password]', 'Sim#Pass-1'],
      ]),
      encodePairs([
        ['wstoken', sim.token],
        ['wsfunction', 'core_user_create_users'],
        ['moodlewsrestformat', 'json'],
      ]),
    );
    expect(answer).toMatchObject({ status: 502, text: '<html>Bad gateway</html>' });
    expect(exists('f502')).toBe(false);
  });

  test('html is a 200 PHP error page; invalid-json is a 200 truncated JSON body', async () => {
    sim.injectFault({ kind: 'html' });
    const html = await rawCall('core_webservice_get_site_info');
    expect(html.status).toBe(200);
    expect(html.contentType).toContain('text/html');
    expect(html.text).toContain('Fatal error');

    sim.injectFault({ kind: 'invalid-json' });
    const truncated = await rawCall('core_webservice_get_site_info');
    expect(truncated).toMatchObject({ status: 200, contentType: 'application/json' });
    expect(() => JSON.parse(truncated.text)).toThrow();
  });

  test('hang never answers and keeps its worker until the client gives up', async () => {
    sim.setMaxConcurrent(1);
    sim.injectFault({ kind: 'hang' }, { function: 'core_user_create_users' });
    const hung = callSim(sim, 'core_user_create_users', createUser('hung'), { signal: AbortSignal.timeout(200) });
    await expect(hung).rejects.toThrow();
    expect(exists('hung')).toBe(false);
    // The worker is free again once the client closed the socket.
    expect(await callSim(sim, 'core_webservice_get_site_info')).toMatchObject({ userid: 3 });
  });

  test('reset drops the connection without running; reset-after-apply runs and commits first', async () => {
    sim.injectFault({ kind: 'reset' });
    await expect(callSim(sim, 'core_user_create_users', createUser('lost'))).rejects.toThrow();
    expect(exists('lost')).toBe(false);

    sim.injectFault({ kind: 'reset-after-apply' });
    await expect(callSim(sim, 'core_user_create_users', createUser('ambiguous'))).rejects.toThrow();
    expect(exists('ambiguous')).toBe(true);
  });

  test('times and function are honoured, and clearFaults removes what is left', async () => {
    sim.injectFault({ kind: 'http-status', status: 503 }, { function: 'core_course_get_courses', times: 2 });
    expect((await rawCall('core_webservice_get_site_info')).status).toBe(200);
    expect((await rawCall('core_course_get_courses')).status).toBe(503);
    expect((await rawCall('core_course_get_courses')).status).toBe(503);
    expect((await rawCall('core_course_get_courses')).status).toBe(200);

    sim.injectFault({ kind: 'http-status', status: 500 }, { times: 5 });
    sim.clearFaults();
    expect((await rawCall('core_course_get_courses')).status).toBe(200);
  });
});

describe('latency and the worker pool', () => {
  test('each request takes at least perRequestMs + perItemMs × items', async () => {
    sim.setLatency({ perRequestMs: 40, perItemMs: 20 });
    let started = performance.now();
    await callSim(sim, 'core_webservice_get_site_info');
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);

    const users = Array.from({ length: 5 }, (_, i) => createUser(`slow${i}`).users[0]);
    started = performance.now();
    await callSim(sim, 'core_user_create_users', { users: users as never });
    expect(performance.now() - started).toBeGreaterThanOrEqual(135);
  });

  test('maxConcurrent queues the rest; peakConcurrency counts queued requests', async () => {
    sim.setMaxConcurrent(1);
    sim.setLatency({ perRequestMs: 60, perItemMs: 0 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => callSim(sim, 'core_webservice_get_site_info')));
    // One at a time: four requests take about four times as long as one.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 55);
    expect(sim.peakConcurrency()).toBe(4);

    sim.resetCounters();
    sim.setMaxConcurrent(undefined);
    await Promise.all(Array.from({ length: 3 }, () => callSim(sim, 'core_webservice_get_site_info')));
    expect(sim.peakConcurrency()).toBe(3);
  });
});

describe('revocations give the recorded error codes', () => {
  test('function removed and restored', async () => {
    sim.revokeFunction(sim.token, 'core_course_get_courses');
    expect(await callSim(sim, 'core_course_get_courses')).toMatchObject({
      exception: 'webservice_access_exception',
      errorcode: 'accessexception',
    });
    const info = (await callSim(sim, 'core_webservice_get_site_info')) as { functions: { name: string }[] };
    expect(info.functions.map((f) => f.name)).not.toContain('core_course_get_courses');
    sim.restoreFunction(sim.token, 'core_course_get_courses');
    expect(Array.isArray(await callSim(sim, 'core_course_get_courses'))).toBe(true);
  });

  test('capability revoked and granted', async () => {
    sim.revokeCapability(sim.token, 'moodle/user:create');
    expect(await callSim(sim, 'core_user_create_users', createUser('nocap'))).toMatchObject({
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (Create users).',
    });
    sim.grantCapability(sim.token, 'moodle/user:create');
    expect(await callSim(sim, 'core_user_create_users', createUser('withcap'))).toEqual([
      { id: expect.any(Number), username: 'withcap' },
    ]);
  });

  test('token deleted, expired, user suspended, service disabled', async () => {
    const deleted = sim.createToken();
    sim.deleteToken(deleted);
    expect(await callSim(sim, 'core_webservice_get_site_info', {}, { token: deleted })).toMatchObject({
      errorcode: 'invalidtoken',
    });

    const expiring = sim.createToken();
    sim.expireToken(expiring);
    expect(await callSim(sim, 'core_webservice_get_site_info', {}, { token: expiring })).toMatchObject({
      errorcode: 'accessexception',
    });
    expect(await callSim(sim, 'core_webservice_get_site_info', {}, { token: expiring })).toMatchObject({
      errorcode: 'invalidtoken',
    });

    const suspended = sim.createToken();
    sim.suspendTokenUser(suspended);
    expect(await callSim(sim, 'core_webservice_get_site_info', {}, { token: suspended })).toMatchObject({
      errorcode: 'wsaccessusersuspended',
    });

    const disabled = sim.createToken();
    sim.disableService(disabled);
    expect(await callSim(sim, 'core_webservice_get_site_info', {}, { token: disabled })).toMatchObject({
      errorcode: 'accessexception',
    });
    // Other services are unaffected.
    expect(await callSim(sim, 'core_webservice_get_site_info')).toMatchObject({ userid: 3 });
  });

  test('maintenance mode and web services switched off', async () => {
    sim.setMaintenance(true);
    expect(await callSim(sim, 'core_webservice_get_site_info')).toMatchObject({ errorcode: 'sitemaintenance' });
    sim.setMaintenance(false);
    sim.setWebServicesEnabled(false);
    expect(await rawCall('core_webservice_get_site_info')).toMatchObject({ status: 403, text: '' });
  });

  test('createToken: its own service and user, optionally site admin', async () => {
    const token = sim.createToken({
      functions: ['core_webservice_get_site_info'],
      capabilities: ['webservice/rest:use'],
      siteAdmin: true,
    });
    const info = (await callSim(sim, 'core_webservice_get_site_info', {}, { token })) as Record<string, unknown>;
    expect(info).toMatchObject({
      userissiteadmin: true,
      functions: [{ name: 'core_webservice_get_site_info', version: '2025100600.02' }],
    });
    expect(info.userid).not.toBe(3);
    expect(await callSim(sim, 'core_course_get_courses', {}, { token })).toMatchObject({
      errorcode: 'accessexception',
    });
  });
});
