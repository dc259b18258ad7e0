import { describe, expect, it } from 'vitest';
import type { ApiClient, Status } from '../../../../electron/core/contract/contract';
import { DEFAULT_SETTINGS, SettingsSchema, type Connection, type ProviderList } from '../../../../electron/core/model';
import { emptyDraft, newLmsDraft, type SetupDraft } from './draft';
import { applyProviderDefaults, withChoice } from './provider-defaults';
import { saveSetup, smsSourceChanges } from './save-setup';
import { sourceRead } from './source-read';

// Issue 18 items 2 and 6: the wizard's Save and first-upload preview tell the truth.

/** Only what Save reads of the engine's providers:list (the renderer may not import the engine's sms layer). */
const providers = {
  sms: ['kamar', 'oneroster'].map((id) => ({ id, label: id, asksOutcomeRule: false, hasUsernames: true })),
  lms: [],
} as unknown as ProviderList;

function draftWith(provider: 'kamar' | 'oneroster', source = ''): SetupDraft {
  const draft = emptyDraft();
  const lms = { ...newLmsDraft(), id: 'moodle-main', name: 'Moodle', url: 'https://moodle.example.org' };
  return {
    ...draft,
    sms: { ...draft.sms, provider, id: provider, name: provider, mode: source ? 'file' : 'push', source },
    lms: [lms],
    mappingFor: lms.key,
  };
}

/** Records the Api calls in order, answering each as the engine would for a fresh install. */
function recordingApi(status: Partial<Status> = {}) {
  const calls: { method: string; input: unknown }[] = [];
  const api: ApiClient = {
    call: ((method: string, input: unknown) => {
      calls.push({ method, input });
      if (method === 'status:get') return Promise.resolve({ snapshot: null, lastImport: null, ...status });
      if (method === 'connections:save' || method === 'settings:save') return Promise.resolve(input);
      return Promise.resolve({});
    }) as ApiClient['call'],
    on: () => () => undefined,
  };
  return { api, calls };
}

describe('Save on a first set-up (item 6)', () => {
  it('pauses before any connection is saved, and stores each token right after its connection', async () => {
    const { api, calls } = recordingApi();
    const outcome = await saveSetup(
      api,
      draftWith('oneroster', '/exports/oneroster.zip'),
      {},
      { settings: SettingsSchema.parse(DEFAULT_SETTINGS), connections: [], providers, firstRun: true },
      () => undefined,
    );
    const methods = calls.map((c) => c.method);
    expect(methods[0]).toBe('sync:setPaused');
    expect(calls[0]!.input).toEqual({ paused: true });
    expect(methods.indexOf('sync:setPaused')).toBeLessThan(methods.indexOf('connections:save'));
    expect(outcome.pausedForPreview).toBe(true);
    const settings = calls.find((c) => c.method === 'settings:save')!.input as { paused: boolean };
    expect(settings.paused).toBe(true);
  });

  it('stores the token in the call right after its LMS connection is saved', async () => {
    const { api, calls } = recordingApi();
    const draft = draftWith('kamar');
    await saveSetup(
      api,
      draft,
      { [draft.lms[0]!.key]: 'the-token' },
      { settings: SettingsSchema.parse(DEFAULT_SETTINGS), connections: [], providers, firstRun: true },
      () => undefined,
    );
    const lmsSave = calls.findIndex(
      (c) => c.method === 'connections:save' && (c.input as { kind: string }).kind === 'lms',
    );
    expect(calls[lmsSave + 1]).toEqual({
      method: 'secrets:set',
      input: { connectionId: 'moodle-main', name: 'token', value: 'the-token' },
    });
  });
});

describe('a switched SMS source (item 2)', () => {
  const kamar = { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR', options: {} } as Connection;

  it('is a switch when the provider, the file or the route changes, or no SMS was saved', () => {
    expect(smsSourceChanges(draftWith('kamar'), [kamar])).toBe(false);
    expect(smsSourceChanges(draftWith('kamar'), [])).toBe(true);
    expect(smsSourceChanges(draftWith('oneroster', '/a.zip'), [kamar])).toBe(true);
    const oneroster = { ...kamar, id: 'oneroster', provider: 'oneroster', source: '/a.zip' } as Connection;
    expect(smsSourceChanges(draftWith('oneroster', '/a.zip'), [oneroster])).toBe(false);
    expect(smsSourceChanges(draftWith('oneroster', '/b.zip'), [oneroster])).toBe(true);
  });

  it('Save records the snapshot and the import it switches away from', async () => {
    const { api } = recordingApi({
      snapshot: { source: 'KAMAR full push', importedAt: '2026-12-07T10:00:00.000Z', counts: counts() },
      lastImport: { startedAt: '2026-12-07T09:59:59.000Z', outcome: 'ok', message: null },
    });
    const outcome = await saveSetup(
      api,
      draftWith('oneroster', '/exports/oneroster.zip'),
      {},
      { settings: SettingsSchema.parse(DEFAULT_SETTINGS), connections: [kamar], providers, firstRun: false },
      () => undefined,
    );
    expect(outcome.sourceSwitch).toEqual({
      snapshotAt: '2026-12-07T10:00:00.000Z',
      importAt: '2026-12-07T09:59:59.000Z',
    });
  });

  it('the preview never shows the snapshot it switched away from; it shows the new import, or its refusal', () => {
    const old = { source: 'KAMAR full push', importedAt: '2026-12-07T10:00:00.000Z', counts: counts() };
    const switched = { snapshotAt: old.importedAt, importAt: '2026-12-07T09:59:59.000Z' };
    const oldImport = { startedAt: switched.importAt, outcome: 'ok' as const, message: null };
    expect(sourceRead({ snapshot: old, lastImport: oldImport }, switched)).toEqual({ state: 'waiting' });
    expect(sourceRead({ snapshot: old, lastImport: oldImport })).toMatchObject({ state: 'current' });

    const reading = { startedAt: '2026-12-07T11:00:00.000Z', outcome: 'running' as const, message: null };
    expect(sourceRead({ snapshot: old, lastImport: reading }, switched)).toEqual({ state: 'reading' });

    const refused = {
      startedAt: '2026-12-07T11:00:00.000Z',
      outcome: 'failed' as const,
      message: 'OneRoster export oneroster.zip was refused: users.csv, line 3, field givenName: empty',
    };
    expect(sourceRead({ snapshot: old, lastImport: refused }, switched)).toEqual({
      state: 'refused',
      message: refused.message,
      at: refused.startedAt,
    });

    const fresh = {
      source: 'OneRoster export oneroster.zip',
      importedAt: '2026-12-07T11:00:01.000Z',
      counts: counts(),
    };
    const stored = { startedAt: '2026-12-07T11:00:00.000Z', outcome: 'ok' as const, message: null };
    expect(sourceRead({ snapshot: fresh, lastImport: stored }, switched)).toEqual({
      state: 'current',
      snapshot: fresh,
    });
  });
});

describe('switching provider keeps the mapping choices the admin made (item 2)', () => {
  it('fills the new provider default only where the admin never chose, and says so', () => {
    const untouched = { ...newLmsDraft(), name: 'Moodle' };
    const chosen = {
      ...newLmsDraft(),
      name: 'Totara',
      mapping: withChoice(newLmsDraft().mapping, { usernameFrom: 'sms-username' }),
    };
    // KAMAR → VETtrak (an AVETMISS export has no usernames).
    const outcome = applyProviderDefaults([untouched, chosen], false);
    expect(outcome.lms[0]!.mapping.usernameFrom).toBe('email');
    expect(outcome.lms[1]!.mapping.usernameFrom).toBe('sms-username');
    expect(outcome.changed).toEqual(['Moodle: usernames from the email address']);
    expect(outcome.kept).toEqual(['Totara']);
    // And back to KAMAR: the wizard's own default returns; the admin's stays.
    const back = applyProviderDefaults(outcome.lms, true);
    expect(back.lms.map((l) => l.mapping.usernameFrom)).toEqual(['sms-username', 'sms-username']);
  });

  it('a saved LMS is the admin’s: its mapping is never changed by a provider switch', () => {
    const saved = { ...newLmsDraft(), name: 'Moodle', saved: true };
    const outcome = applyProviderDefaults([saved], false);
    expect(outcome.lms[0]!.mapping.usernameFrom).toBe('sms-username');
    expect(outcome.changed).toEqual([]);
    expect(outcome.kept).toEqual(['Moodle']);
  });
});

function counts() {
  return { people: 1, courses: 1, groups: 0, enrolments: 1 };
}
