import { describe, expect, it } from 'vitest';
import { finished, NOW, part, status } from '../../test-support/status-fixtures';
import { menuLabel, trayView, type TrayInput } from './tray-state';

const view = (input: Omit<TrayInput, 'now'>) => trayView({ now: NOW, timeZone: 'UTC', locale: 'en-GB', ...input });
const item = (v: ReturnType<typeof trayView>, id: string) => v.menu.find((m) => m.id === id)!;
const enabled = (v: ReturnType<typeof trayView>) => Object.fromEntries(v.menu.map((m) => [m.id, m.enabled]));

describe('tray icon, tooltip and status line', () => {
  it('OK: the ok icon, the last sync in the tooltip, every action available', () => {
    const v = view({ status: status() });
    expect(v.icon).toBe('ok');
    expect(v.tooltip).toBe('ClassBridge — OK\nLast sync: today 14:10');
    expect(v.statusLine).toBe('OK: everything is up to date.');
    expect(enabled(v)).toEqual({
      status: false,
      'upload-now': true,
      'download-now': true,
      pause: true,
      open: true,
      quit: true,
    });
    expect(v.menu.map(menuLabel)).toEqual([
      'OK: everything is up to date.',
      'Upload now',
      'Download now',
      'Pause syncing',
      'Open ClassBridge',
      'Quit ClassBridge',
    ]);
  });

  it('syncing: the syncing icon, the part and its progress; Upload now says an upload is running', () => {
    const v = view({
      status: status({}, { upload: part('upload', 'running', { progress: { done: 45, total: 100 } }) }),
    });
    expect(v.icon).toBe('syncing');
    expect(v.statusLine).toBe('Syncing: Upload to Moodle A (45%)');
    expect(item(v, 'upload-now')).toMatchObject({ enabled: false, reason: 'an upload is running now' });
    expect(menuLabel(item(v, 'upload-now'))).toBe('Upload now (an upload is running now)');
    expect(item(v, 'download-now').enabled).toBe(true);
  });

  it('a running download disables Download now only', () => {
    const v = view({ status: status({}, { results: part('results', 'running') }) });
    expect(v.statusLine).toBe('Syncing: Download from Moodle A');
    expect(item(v, 'download-now')).toMatchObject({ enabled: false, reason: 'a download is running now' });
    expect(item(v, 'upload-now').enabled).toBe(true);
  });

  it('problem: the problem icon and the cause, even while a retry runs or syncing is paused', () => {
    const problem = part('upload', 'problem', { lastRun: finished('upload', 'failed', 5) });
    const retrying = part('results', 'running', { lastRun: finished('results', 'ok', 50) });
    const v = view({ status: status({ paused: true }, { upload: problem, results: retrying }) });
    expect(v.icon).toBe('problem');
    expect(v.statusLine).toMatch(/^Problem: Upload to Moodle A — No successful run for 2 hours\./);
    expect(v.statusLine.length).toBeLessThanOrEqual(90);
    expect(v.tooltip).toBe('ClassBridge — problem\nLast sync: today 13:40');
    // Paused: the menu offers Resume.
    expect(item(v, 'resume')).toMatchObject({ label: 'Resume syncing', enabled: true });
  });

  it('several problems are counted and named', () => {
    const v = view({
      status: status({}, { upload: part('upload', 'problem'), results: part('results', 'problem') }),
    });
    expect(v.statusLine).toMatch(/^Problem: 2 parts need attention \(Upload to Moodle A, Download from Moodle A/);
  });

  it('paused: the paused icon; Upload and Download now still work (the admin asked), Resume replaces Pause', () => {
    const v = view({ status: status({ paused: true }) });
    expect(v.icon).toBe('paused');
    expect(v.statusLine).toBe('Paused: nothing runs on its schedule.');
    expect(enabled(v)).toEqual({
      status: false,
      'upload-now': true,
      'download-now': true,
      resume: true,
      open: true,
      quit: true,
    });
  });

  it('paused while a manual upload runs: syncing', () => {
    const v = view({ status: status({ paused: true }, { upload: part('upload', 'running') }) });
    expect(v.icon).toBe('syncing');
  });

  it('held plans and warnings keep the ok icon but say what needs a look', () => {
    const held = view({
      status: status({
        heldPlans: [{ id: 4, connectionId: 'a', part: 'upload', message: 'Would suspend 412', createdAt: '' }],
      }),
    });
    expect(held.icon).toBe('ok');
    expect(held.statusLine).toBe('Waiting for your approval: 1 held upload.');
    const warning = view({ status: status({}, { results: part('results', 'warning', { words: 'Some failed.' }) }) });
    expect(warning.statusLine).toBe('Needs a look: Download from Moodle A — Some failed.');
    expect(warning.tooltip).toMatch(/^ClassBridge — OK, with warnings\n/);
  });

  it('not set up: nothing to sync or pause, and the menu says why', () => {
    const v = view({ status: status({ setUp: false, lms: [] }) });
    expect(v.icon).toBe('paused');
    expect(v.statusLine).toBe('Not set up yet: open ClassBridge to finish setup.');
    expect(v.tooltip).toBe('ClassBridge — not set up\nLast sync: never');
    for (const id of ['upload-now', 'download-now', 'pause']) {
      expect(item(v, id)).toMatchObject({ enabled: false, reason: 'finish setup first' });
    }
    expect(item(v, 'open').enabled).toBe(true);
  });

  it('engine not running: the problem icon and why; only Open and Quit work', () => {
    const v = view({ error: "ClassBridge's engine stopped (exit code 1)." });
    expect(v.icon).toBe('problem');
    expect(v.statusLine).toBe("The engine is not running: ClassBridge's engine stopped (exit code 1).");
    expect(enabled(v)).toMatchObject({ 'upload-now': false, 'download-now': false, pause: false, open: true });
    expect(item(v, 'upload-now').reason).toBe('the engine is not running');
  });

  it('before the first status: starting', () => {
    const v = view({});
    expect(v.icon).toBe('syncing');
    expect(item(v, 'upload-now').reason).toBe('starting');
  });

  it('closing: the current batch finishes; nothing can be started and Quit says it is closing already', () => {
    const v = view({ status: status({}, { upload: part('upload', 'running') }), stopping: true });
    expect(v.statusLine).toBe('Closing: finishing the batch it is sending…');
    expect(enabled(v)).toMatchObject({ 'upload-now': false, 'download-now': false, pause: false, quit: false });
    expect(menuLabel(item(v, 'quit'))).toBe('Quit ClassBridge (closing already)');
  });

  it('no LMS connected: Upload and Download now say so', () => {
    const v = view({ status: status({ lms: [] }) });
    expect(item(v, 'upload-now')).toMatchObject({ enabled: false, reason: 'no LMS is connected' });
  });

  it('the last sync: yesterday, an older date, and the 127-character tooltip limit', () => {
    const old = status({}, { upload: part('upload', 'ok', { lastRun: finished('upload', 'ok', 60 * 20) }) });
    old.lms[0]!.parts = old.lms[0]!.parts.filter((p) => p.part === 'upload');
    expect(view({ status: old }).tooltip).toBe('ClassBridge — OK\nLast sync: yesterday 18:30');
    const older = status({}, { upload: part('upload', 'ok', { lastRun: finished('upload', 'ok', 60 * 24 * 9) }) });
    older.lms[0]!.parts = older.lms[0]!.parts.filter((p) => p.part === 'upload');
    expect(view({ status: older }).tooltip).toBe('ClassBridge — OK\nLast sync: 1 Mar 14:30');
    const long = view({ status: status({}, { upload: part('upload', 'running') }, 'M'.repeat(200)) });
    expect(long.tooltip.length).toBeLessThanOrEqual(127);
  });

  it('a failed or held run is not a sync', () => {
    const s = status(
      {},
      {
        upload: part('upload', 'warning', { lastRun: finished('upload', 'failed', 1) }),
        results: part('results', 'warning', { lastRun: finished('results', 'held', 2) }),
      },
    );
    expect(view({ status: s }).tooltip).toMatch(/Last sync: never$/);
  });
});
