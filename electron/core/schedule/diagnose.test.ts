import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LmsError, type LmsDiagnosis } from '../../../adapters/contract';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../adapters/testing/moodle-sim';
import { diagnose, diagnoseRunFailure } from './diagnose';

describe('diagnose (plain data)', () => {
  it('says which certificate problem it is', () => {
    const expired = diagnose(new LmsError('network', 'x: could not reach h: certificate has expired'));
    expect(expired).toMatchObject({ kind: 'certificate', summary: expect.stringMatching(/expired/) });
    expect(expired.fix).toMatch(/renew/);
    const wrongName = diagnose({
      kind: 'network',
      message:
        "x: could not reach h: Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames",
    });
    expect(wrongName.summary).toMatch(/different address/);
  });

  it('tells unreachable hosts apart: unknown address, refused connection', () => {
    expect(diagnose({ kind: 'network', message: 'x: could not reach h: getaddrinfo ENOTFOUND h' }).summary).toMatch(
      /could not be found/,
    );
    expect(
      diagnose({ kind: 'network', message: 'x: could not reach h: connect ECONNREFUSED 1.2.3.4:443' }),
    ).toMatchObject({ kind: 'unreachable', retriesOnItsOwn: true, summary: expect.stringMatching(/refused/) });
  });

  it('names the LMS as asked and falls back to the error for anything else', () => {
    expect(diagnose({ kind: 'maintenance', message: 'm' }, { lmsName: 'Moodle' }).summary).toMatch(
      /^Moodle is in maintenance/,
    );
    expect(diagnose(new Error('disk full'))).toMatchObject({
      kind: 'unknown',
      summary: expect.stringMatching(/disk full/),
    });
    expect(diagnose({ kind: 'conflict', message: 'shortname taken', fix: 'Rename one.' })).toMatchObject({
      kind: 'data',
      fix: 'Rename one.',
    });
  });

  it('reads an access error without a site check as a changed service', () => {
    expect(diagnose({ kind: 'access', message: 'Access control exception' })).toMatchObject({ kind: 'access' });
  });
});

describe('diagnose (real adapter over HTTP)', () => {
  let sim: MoodleSim;
  beforeAll(async () => {
    sim = await startMoodleSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  const adapterFor = (url: string, token: string) =>
    createMoodleAdapter({ url, token, maxAttempts: 1, timeoutMs: 5_000 });

  it('says the token no longer works once it is deleted', async () => {
    const token = sim.createToken({ capabilities: 'all' });
    sim.deleteToken(token);
    const error = await adapterFor(sim.url, token)
      .describe()
      .catch((e: unknown) => e);
    const d = diagnose(error);
    expect(d.kind).toBe('token-invalid');
    expect(d.fix).toMatch(/new token/);
    expect(d.retriesOnItsOwn).toBe(false);
  });

  it('names the functions the token may no longer call, from core_webservice_get_site_info', async () => {
    const token = sim.createToken({ capabilities: 'all' });
    sim.revokeFunction(token, 'core_user_get_users_by_field');
    sim.revokeFunction(token, 'enrol_manual_enrol_users');
    const adapter = adapterFor(sim.url, token);
    const error = await adapter.findUsers('idnumber', ['S1001']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect((error as LmsError).kind).toBe('access');
    const site: LmsDiagnosis = await adapter.describe();
    const d = diagnose(error, { site, lmsName: 'Moodle' });
    expect(d.kind).toBe('functions-missing');
    expect(d.missingFunctions).toEqual(['core_user_get_users_by_field', 'enrol_manual_enrol_users']);
    expect(d.summary).toMatch(/find users, enrol in Moodle/);
    expect(d.fix).toMatch(/External services.*Functions.*core_user_get_users_by_field, enrol_manual_enrol_users/);
    // The site check alone says the same.
    expect(diagnose(site).kind).toBe('functions-missing');
  });

  it('says so when everything is allowed', async () => {
    expect(diagnose(await adapterFor(sim.url, sim.token).describe()).kind).toBe('ok');
  });

  it('recognises web services switched off and maintenance mode', async () => {
    try {
      sim.setWebServicesEnabled(false);
      const off = await adapterFor(sim.url, sim.token)
        .describe()
        .catch((e: unknown) => e);
      expect(diagnose(off)).toMatchObject({ kind: 'web-services-disabled', fix: expect.stringMatching(/REST/) });
    } finally {
      sim.setWebServicesEnabled(true);
    }
    try {
      sim.setMaintenance(true);
      const down = await adapterFor(sim.url, sim.token)
        .describe()
        .catch((e: unknown) => e);
      expect(diagnose(down)).toMatchObject({ kind: 'maintenance', retriesOnItsOwn: true });
    } finally {
      sim.setMaintenance(false);
    }
  });

  it('says the LMS cannot be reached when nothing listens at its address', async () => {
    const port = await freePort();
    const error = await adapterFor(`http://127.0.0.1:${port}`, 'token')
      .describe()
      .catch((e: unknown) => e);
    expect(diagnose(error)).toMatchObject({ kind: 'unreachable', summary: expect.stringMatching(/refused/) });
  });

  it('recognises an untrusted (self-signed) certificate', async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'rsa', keySize: 2048 });
    const server = createHttpsServer({ cert: pems.cert, key: pems.private }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await adapterFor(`https://127.0.0.1:${port}`, 'token')
        .describe()
        .catch((e: unknown) => e);
      const d = diagnose(error);
      expect(d.kind).toBe('certificate');
      expect(d.summary).toMatch(/not trusted/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('diagnoseRunFailure (a run that stopped)', () => {
  const site: LmsDiagnosis = {
    site: {
      family: 'moodle',
      siteName: 'School',
      siteUrl: 'https://moodle.example.org',
      release: '4.3',
      version: '2023100900',
      userId: 2,
      username: 'classbridge',
      isSiteAdmin: false,
      functions: ['core_webservice_get_site_info'],
    },
    features: [
      {
        feature: 'create-users',
        label: 'Create users',
        available: false,
        missingFunctions: ['core_user_create_users'],
      },
    ],
    ok: false,
    fixes: [],
    notes: [],
  };

  it('asks the site check only where it can name what is missing', async () => {
    let asked = 0;
    const describeSite = () => {
      asked++;
      return Promise.resolve(site);
    };
    const access = await diagnoseRunFailure(new LmsError('access', 'Access control exception'), 'Moodle', describeSite);
    expect(access).toMatchObject({ kind: 'functions-missing', missingFunctions: ['core_user_create_users'] });
    expect(asked).toBe(1);
    const timeout = await diagnoseRunFailure(new LmsError('timeout', 'slow'), 'Moodle', describeSite);
    expect(timeout.kind).toBe('timeout');
    expect(asked).toBe(1);
  });

  it('falls back to the error itself when even the site check fails', async () => {
    const d = await diagnoseRunFailure(new LmsError('access', 'Access control exception'), 'Moodle', () =>
      Promise.reject(new Error('down')),
    );
    expect(d.kind).toBe('access');
  });

  it('does not blame a record for a refusal that stopped the whole run', async () => {
    const d = await diagnoseRunFailure(
      new LmsError('invalid-parameter', 'Invalid parameter value detected', { operation: 'core_course_get_courses' }),
      'School Moodle',
      () => Promise.reject(new Error('not asked')),
    );
    expect(d).toMatchObject({ kind: 'data', retriesOnItsOwn: false });
    expect(d.summary).toMatch(
      /^School Moodle refused its request core_course_get_courses, which stopped the whole run/,
    );
    expect(d.fix).toMatch(/Nothing in the SMS needs changing/);
  });
});

/** A port nothing listens on: bind, read it, close. */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
