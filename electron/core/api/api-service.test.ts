import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshSiteSeed, startMoodleSim } from '../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../test-support/temp';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { ApiService, type ApiResponse } from './api-service';

const tempDir = useTempDirs();
let store: Store;
let secrets: MemorySecretStore;
let api: ApiService;
let events: string[];

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  secrets = new MemorySecretStore();
  events = [];
  api = new ApiService({ store, secrets, emit: (event) => events.push(event) });
  return () => store.close();
});

const lms = { id: 'moodle-main', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://moodle.example.org' };

function expectError(response: ApiResponse, code: string, field?: string): string {
  expect(response.ok).toBe(false);
  if (response.ok) throw new Error('unreachable');
  expect(response.error.code).toBe(code);
  if (field !== undefined) expect(response.error.field).toBe(field);
  return response.error.message;
}

describe('input validation', () => {
  it('refuses an unknown method', async () => {
    expectError(await api.dispatch('status:explode', {}), 'unknown-method');
    expectError(await api.dispatch('__proto__', {}), 'unknown-method');
  });

  it('names the field of a bad setting', async () => {
    const settings = (await api.dispatch('settings:get', {})) as { ok: true; result: Record<string, unknown> };
    const message = expectError(
      await api.dispatch('settings:save', { ...settings.result, timeZone: 'Mars/Olympus' }),
      'invalid-input',
      'timeZone',
    );
    expect(message).toContain('Not a known time zone');
  });

  it('names nested fields and every issue', async () => {
    const response = await api.dispatch('settings:save', {
      schedules: { results: { kind: 'window', days: ['mon'], start: '23:00', end: '22:00' } },
      problemAfterMinutes: 1,
    });
    expectError(response, 'invalid-input');
    if (response.ok) return;
    expect(response.error.issues?.map((i) => i.field).sort()).toEqual(['problemAfterMinutes', 'schedules.results.end']);
  });

  it('names the field of a bad connection', async () => {
    expectError(await api.dispatch('connections:save', { ...lms, url: 'moodle.example.org' }), 'invalid-input', 'url');
    expectError(await api.dispatch('connections:save', { ...lms, id: 'Bad Id!' }), 'invalid-input', 'id');
    expectError(await api.dispatch('connections:save', { ...lms, kind: 'ftp' }), 'invalid-input', 'kind');
  });

  it('refuses unexpected fields and wrong types', async () => {
    expectError(await api.dispatch('status:get', { extra: 1 }), 'invalid-input');
    expectError(await api.dispatch('courses:setState', { courses: [], state: 'Open' }), 'invalid-input', 'courses');
    expectError(
      await api.dispatch('courses:setState', { courses: [{ connectionId: 'm', lmsId: 1 }], state: 'Deleted' }),
      'invalid-input',
      'state',
    );
    expectError(await api.dispatch('runs:list', { limit: 'ten' }), 'invalid-input', 'limit');
  });
});

describe('commands and queries', () => {
  it('reports not set up until an SMS and an LMS exist, then set up', async () => {
    const before = (await api.dispatch('status:get', {})) as { ok: true; result: { setUp: boolean } };
    expect(before.result.setUp).toBe(false);
    expect((await api.dispatch('connections:save', lms)).ok).toBe(true);
    expect(((await api.dispatch('status:get', {})) as { result: { setUp: boolean } }).result.setUp).toBe(false);
    await api.dispatch('connections:save', { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' });
    const after = (await api.dispatch('status:get', {})) as {
      ok: true;
      result: { setUp: boolean; lms: { parts: { health: string }[] }[] };
    };
    expect(after.result.setUp).toBe(true);
    expect(after.result.lms[0]?.parts.every((p) => p.health === 'never-run')).toBe(true);
    expect(events).toContain('status:changed');
  });

  it('allows one SMS only and keeps an id to one kind', async () => {
    await api.dispatch('connections:save', { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' });
    expectError(
      await api.dispatch('connections:save', { id: 'vettrak', kind: 'sms', provider: 'vettrak', name: 'VETtrak' }),
      'conflict',
      'id',
    );
    expectError(await api.dispatch('connections:save', { ...lms, id: 'kamar' }), 'conflict', 'id');
  });

  it('generates a secret into the keychain, never into the database, and removes it with the connection', async () => {
    await api.dispatch('connections:save', { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' });
    const generated = (await api.dispatch('secrets:generate', { connectionId: 'kamar' })) as {
      ok: true;
      result: { secret: string };
    };
    expect(generated.result.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await secrets.get('kamar', 'push-secret')).toBe(generated.result.secret);
    expect(await api.dispatch('secrets:list', { connectionId: 'kamar' })).toEqual({
      ok: true,
      result: { names: ['push-secret'] },
    });

    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = readFileSync(store.file).toString('latin1');
    expect(dbBytes).not.toContain(generated.result.secret);

    expect(await api.dispatch('connections:remove', { id: 'kamar' })).toEqual({ ok: true, result: { removed: true } });
    expect(await secrets.listNames('kamar')).toEqual([]);
  });

  it('refuses secrets for a connection that does not exist', async () => {
    expectError(
      await api.dispatch('secrets:set', { connectionId: 'ghost', name: 'token', value: 'x' }),
      'not-found',
      'connectionId',
    );
  });

  it('opens and closes courses, skipping deleted and unknown ones with the reason', async () => {
    await api.dispatch('connections:save', lms);
    store.lmsCourses.recordSeen(
      'moodle-main',
      [1, 2, 3].map((lmsId) => ({ lmsId, shortname: `c${lmsId}`, fullname: `C ${lmsId}`, idnumber: '' })),
    );
    store.lmsCourses.markMissingDeleted('moodle-main', [1, 2]);
    const response = await api.dispatch('courses:setState', {
      state: 'Open',
      courses: [1, 2, 3, 4].map((lmsId) => ({ connectionId: 'moodle-main', lmsId })),
    });
    expect(response).toEqual({
      ok: true,
      result: {
        changed: 2,
        skipped: [
          { connectionId: 'moodle-main', lmsId: 3, reason: 'deleted' },
          { connectionId: 'moodle-main', lmsId: 4, reason: 'not-found' },
        ],
      },
    });
    expect(events).toContain('courses:changed');
  });

  it('pauses and resumes syncing', async () => {
    expect(await api.dispatch('sync:setPaused', { paused: true })).toEqual({ ok: true, result: { paused: true } });
    expect(((await api.dispatch('status:get', {})) as { result: { paused: boolean } }).result.paused).toBe(true);
  });

  it('turns an unexpected failure into an internal error naming the method', async () => {
    const broken = new ApiService({
      store,
      secrets,
      emit: () => undefined,
      onInternalError: (method) => events.push(`internal:${method}`),
    });
    new Database(store.file).exec('DROP TABLE lms_courses');
    const message = expectError(await broken.dispatch('courses:list', {}), 'internal');
    expect(message).toContain('courses:list');
    expect(events).toContain('internal:courses:list');
  });

  it('tests an LMS connection: says what is missing when it cannot, and why when the LMS is unreachable', async () => {
    expectError(await api.dispatch('connections:test', { connectionId: 'ghost' }), 'not-found', 'connectionId');
    await api.dispatch('connections:save', lms);
    const noToken = expectError(await api.dispatch('connections:test', { connectionId: 'moodle-main' }), 'not-found');
    expect(noToken).toContain('classbridge secret set moodle-main token');
    await api.dispatch('connections:save', { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' });
    expectError(await api.dispatch('connections:test', { connectionId: 'kamar' }), 'invalid-input');
    expectError(
      await api.dispatch('connections:test', { provider: 'moodle', url: 'not a url', token: 't' }),
      'invalid-input',
      'url',
    );

    // Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    const unreachable = (await api.dispatch('connections:test', {
      provider: 'moodle',
      url: 'http://127.0.0.1:9',
      token: 'tok-secret-1',
    })) as {
      ok: true;
      result: { reachable: boolean; error?: { kind: string; message: string; fix: string } };
    };
    expect(unreachable.result.reachable).toBe(false);
    expect(unreachable.result.error?.kind).toBe('network');
    expect(unreachable.result.error?.fix).toContain('could not reach the LMS');
    expect(JSON.stringify(unreachable)).not.toContain('tok-secret-1');
  });

  it("Test connection (the wizard's) names the capabilities a token's role lacks and the role ids it will use", async () => {
    const sim = await startMoodleSim({
      seed: freshSiteSeed({ capabilities: ['webservice/rest:use', 'moodle/course:view', 'moodle/user:update'] }),
    });
    try {
      const tested = (await api.dispatch('connections:test', {
        provider: 'moodle',
        url: sim.url,
        token: sim.token,
      })) as {
        ok: true;
        result: {
          ok: boolean;
          features: { feature: string; available: boolean; missingCapabilities?: string[] }[];
          roles?: { shortname: string; id: number | null; source: string }[];
          fixes: string[];
        };
      };
      expect(tested.ok).toBe(true);
      expect(tested.result.ok).toBe(false);
      const missing = tested.result.features.filter((f) => f.missingCapabilities);
      expect(Object.fromEntries(missing.map((f) => [f.feature, f.missingCapabilities]))).toMatchObject({
        'create-users': ['moodle/user:create'],
        enrol: ['enrol/manual:enrol'],
      });
      expect(tested.result.roles).toEqual([
        { shortname: 'student', id: 5, source: 'default' },
        { shortname: 'editingteacher', id: 3, source: 'default' },
      ]);
      expect(tested.result.fixes.join(' ')).toMatch(/lacks \d+ capabilities/);
      // Nothing was made on the site by the probes.
      expect(sim.state.users.size).toBe(3);
      expect(sim.state.courses.size).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('reports a part as a problem after failing for longer than the threshold, in words', async () => {
    await api.dispatch('connections:save', lms);
    const run = store.runs.start('moodle-main', 'results', 'schedule');
    store.runs.finish(run, 'failed', {}, 'Invalid token');
    // Backdate the failure past the 30-minute threshold.
    store.db
      .prepare("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z', finished_at = '2020-01-01T00:01:00.000Z'")
      .run();
    const status = (await api.dispatch('status:get', {})) as {
      ok: true;
      result: { lms: { parts: { part: string; health: string; words: string }[] }[] };
    };
    const results = status.result.lms[0]?.parts.find((p) => p.part === 'results');
    expect(results?.health).toBe('problem');
    expect(results?.words).toMatch(/No successful run|Has not succeeded/);
    expect(status.result.lms[0]?.parts.find((p) => p.part === 'upload')?.health).toBe('never-run');
  });
});
