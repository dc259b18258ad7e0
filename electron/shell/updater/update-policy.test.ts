import { describe, expect, it } from 'vitest';
import type { Status } from '../../core/contract/contract';
import {
  expandFeedMacros,
  feedUrlFromAppUpdateYml,
  initialUpdateStatus,
  nextUpdateStatus,
  redactFeedUrl,
  resolveFeedUrl,
  restartDecision,
  tickAction,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdaterEvent,
} from './update-policy';

const HOUR = 60 * 60 * 1000;
const BUILT_IN = 'https://updates.classbridge.invalid/desktop/${os}/${arch}';

describe('which feed', () => {
  it('uses the updateFeedUrl setting when there is one, else the built-in feed', () => {
    expect(resolveFeedUrl(undefined, BUILT_IN, 'linux', 'x64')).toBe(
      'https://updates.classbridge.invalid/desktop/linux/x64',
    );
    expect(resolveFeedUrl('https://mirror.school.nz/cb', BUILT_IN, 'win32', 'x64')).toBe('https://mirror.school.nz/cb');
    expect(resolveFeedUrl('  ', BUILT_IN, 'darwin', 'arm64')).toBe(
      'https://updates.classbridge.invalid/desktop/mac/arm64',
    );
    expect(resolveFeedUrl(undefined, null, 'linux', 'x64')).toBeNull();
  });

  it('expands ${os} and ${arch} as electron-builder does', () => {
    expect(expandFeedMacros('https://u.example/${os}/${arch}/', 'win32', 'ia32')).toBe('https://u.example/win/ia32/');
    expect(expandFeedMacros('https://u.example/${os}', 'linux', 'x64')).toBe('https://u.example/linux');
  });

  it('masks credentials in a feed URL before it is logged or shown', () => {
    expect(redactFeedUrl('https://cb:s3cret@mirror.school.nz/cb')).toBe('https://[redacted]@mirror.school.nz/cb');
    expect(redactFeedUrl('https://mirror.school.nz/a@b')).toBe('https://mirror.school.nz/a@b');
    expect(redactFeedUrl(null)).toBeNull();
  });

  it('reads the built-in feed from app-update.yml', () => {
    const yml =
      'provider: generic\nurl: https://updates.classbridge.invalid/desktop/linux/x64\nupdaterCacheDirName: x\n';
    expect(feedUrlFromAppUpdateYml(yml)).toBe('https://updates.classbridge.invalid/desktop/linux/x64');
    expect(feedUrlFromAppUpdateYml("url: 'https://a.example/x'\n")).toBe('https://a.example/x');
    expect(feedUrlFromAppUpdateYml('provider: github\nowner: x\n')).toBeNull();
  });
});

describe('when to check', () => {
  const base = { state: 'idle' as const, lastAskedAt: undefined, asking: false, restartPending: false };

  it('checks at start, then every 6 hours', () => {
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * HOUR);
    expect(tickAction({ ...base, now: 0, lastCheckAt: undefined })).toBe('check');
    expect(tickAction({ ...base, now: 5.9 * HOUR, lastCheckAt: 0 })).toBe('nothing');
    expect(tickAction({ ...base, now: 6 * HOUR, lastCheckAt: 0 })).toBe('check');
    expect(tickAction({ ...base, state: 'error', now: 7 * HOUR, lastCheckAt: 0 })).toBe('check');
    expect(tickAction({ ...base, state: 'up-to-date', now: 7 * HOUR, lastCheckAt: 0 })).toBe('check');
  });

  it('never starts a second check or download, and does nothing when disabled', () => {
    for (const state of ['checking', 'downloading', 'disabled'] as const) {
      expect(tickAction({ ...base, state, now: 100 * HOUR, lastCheckAt: 0 })).toBe('nothing');
    }
  });

  it('with an update downloaded, asks again 6 hours after "Later", never while a question or restart is open', () => {
    const downloaded = { ...base, state: 'downloaded' as const, lastCheckAt: 0 };
    expect(tickAction({ ...downloaded, now: HOUR, lastAskedAt: undefined })).toBe('ask');
    expect(tickAction({ ...downloaded, now: 2 * HOUR, lastAskedAt: HOUR })).toBe('nothing');
    expect(tickAction({ ...downloaded, now: 7 * HOUR, lastAskedAt: HOUR })).toBe('ask');
    expect(tickAction({ ...downloaded, now: 7 * HOUR, lastAskedAt: HOUR, asking: true })).toBe('nothing');
    expect(tickAction({ ...downloaded, now: 7 * HOUR, lastAskedAt: HOUR, restartPending: true })).toBe('nothing');
  });
});

type Lms = Status['lms'][number];
type PartStatus = Lms['parts'][number];
function part(overrides: Partial<PartStatus>): PartStatus {
  return { part: 'upload', health: 'ok', words: '', lastRun: null, nextRun: null, progress: null, ...overrides };
}
function status(...parts: PartStatus[]): { ok: true; result: Pick<Status, 'lms'> } {
  return { ok: true, result: { lms: [{ id: 'moodle', name: 'Moodle', provider: 'moodle', url: 'https://m', parts }] } };
}

describe('whether restarting is allowed now', () => {
  it('is allowed when no part runs', () => {
    expect(restartDecision(status(part({}), part({ part: 'results', health: 'problem' })))).toEqual({
      allowed: true,
    });
    expect(restartDecision({ ok: true, result: { lms: [] } })).toEqual({ allowed: true });
    // Issue 22: not while a KAMAR push is being received or assembled (chunks kept, not yet stored).
    expect(restartDecision({ ok: true, result: { lms: [], kamarChunksKept: 3 } })).toEqual({
      allowed: false,
      reason: 'when the KAMAR push being received has been stored',
    });
    expect(restartDecision({ ok: true, result: { lms: [], kamarChunksKept: 0 } })).toEqual({ allowed: true });
  });

  it('is not allowed while any part runs, and says which', () => {
    const running = restartDecision(status(part({}), part({ part: 'results', health: 'running' })));
    expect(running).toEqual({ allowed: false, reason: 'when the running sync finishes (results to Moodle)' });
    expect(restartDecision(status(part({ progress: { done: 3, total: 10 } }))).allowed).toBe(false);
    const lastRun = {
      id: 1,
      connectionId: 'moodle',
      part: 'reconcile' as const,
      trigger: 'schedule' as const,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: null,
      outcome: 'running' as const,
      counts: {},
      message: null,
    };
    expect(restartDecision(status(part({ part: 'reconcile', lastRun }))).allowed).toBe(false);
  });

  it('when the engine cannot answer: allowed only if it has stopped', () => {
    expect(restartDecision({ ok: false, error: { code: 'unavailable', message: 'stopped' } })).toEqual({
      allowed: true,
    });
    expect(restartDecision({ ok: false, error: { code: 'internal', message: 'boom' } }).allowed).toBe(false);
  });
});

describe('what Settings shows', () => {
  const run = (...events: UpdaterEvent[]) => events.reduce(nextUpdateStatus, initialUpdateStatus('1.0.0', null));

  it('goes checking → downloading → downloaded, in plain words', () => {
    expect(run().state).toBe('idle');
    expect(run({ type: 'checking', at: 'T1' })).toMatchObject({ state: 'checking', lastCheckedAt: 'T1' });
    expect(run({ type: 'checking', at: 'T1' }, { type: 'not-available' })).toMatchObject({
      state: 'up-to-date',
      message: 'ClassBridge is up to date.',
    });
    const downloading = run({ type: 'checking', at: 'T1' }, { type: 'available', version: '1.1.0' });
    expect(downloading).toMatchObject({ state: 'downloading', availableVersion: '1.1.0' });
    expect(nextUpdateStatus(downloading, { type: 'progress', percent: 42.7 }).message).toContain('42 %');
    const downloaded = nextUpdateStatus(downloading, { type: 'downloaded', version: '1.1.0' });
    expect(downloaded).toMatchObject({ state: 'downloaded', availableVersion: '1.1.0' });
    expect(downloaded.message).toContain('asks before it restarts');
  });

  it('shows a failed check quietly (first line only) and keeps a downloaded update through later checks', () => {
    const failed = run({ type: 'checking', at: 'T1' }, { type: 'error', message: 'getaddrinfo ENOTFOUND x\n  at …' });
    expect(failed).toMatchObject({ state: 'error', message: 'Could not check for updates: getaddrinfo ENOTFOUND x' });
    const downloaded = run({ type: 'downloaded', version: '2.0.0' });
    expect(nextUpdateStatus(downloaded, { type: 'error', message: 'offline' }).state).toBe('downloaded');
    expect(nextUpdateStatus(downloaded, { type: 'checking', at: 'T2' })).toMatchObject({
      state: 'downloaded',
      lastCheckedAt: 'T2',
    });
    expect(nextUpdateStatus(downloaded, { type: 'not-available' }).state).toBe('downloaded');
    expect(
      nextUpdateStatus(downloaded, { type: 'restart-waiting', reason: 'when the running sync finishes (upload to A)' })
        .message,
    ).toBe('Version 2.0.0 will install when the running sync finishes (upload to A).');
  });
});
