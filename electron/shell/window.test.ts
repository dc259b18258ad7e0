/**
 * createMainWindow against a stand-in for Electron's API: checks the options the real BrowserWindow
 * gets, the CSP and permission rules set on the session, and what navigation does. A real window
 * is exercised by e2e/electron-app.spec.ts where an Electron binary is installed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../test-support/cli';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    windows: [] as { options: unknown; listeners: Map<string, Listener>; openHandler?: Listener; loaded?: string }[],
    permissionRequest: undefined as Listener | undefined,
    permissionCheck: undefined as Listener | undefined,
    devicePermission: undefined as Listener | undefined,
    headers: undefined as Listener | undefined,
    opened: [] as string[],
  };
  class BrowserWindow {
    readonly record: (typeof state.windows)[number];
    readonly webContents: { on: (name: string, l: Listener) => void; setWindowOpenHandler: (l: Listener) => void };
    constructor(options: unknown) {
      const record: (typeof state.windows)[number] = { options, listeners: new Map() };
      this.record = record;
      state.windows.push(record);
      this.webContents = {
        on: (name, l) => void record.listeners.set(name, l),
        setWindowOpenHandler: (l) => void (record.openHandler = l),
      };
    }
    once(): void {}
    show(): void {}
    loadURL(url: string): Promise<void> {
      this.record.loaded = url;
      return Promise.resolve();
    }
  }
  const defaultSession = {
    setPermissionRequestHandler: (l: Listener) => void (state.permissionRequest = l),
    setPermissionCheckHandler: (l: Listener) => void (state.permissionCheck = l),
    setDevicePermissionHandler: (l: Listener) => void (state.devicePermission = l),
    webRequest: { onHeadersReceived: (l: Listener) => void (state.headers = l) },
  };
  const shell = { openExternal: (url: string) => (state.opened.push(url), Promise.resolve()) };
  return { state, electron: { BrowserWindow, session: { defaultSession }, shell } };
});

vi.mock('electron', () => fake.electron);

const { createMainWindow } = await import('./window');
const { APP_CSP } = await import('./window-options');

const paths = {
  preload: '/opt/ClassBridge/resources/app.asar/out/electron/preload.cjs',
  rendererIndex: '/opt/ClassBridge/resources/app.asar/out/renderer/index.html',
};
const APP_URL = 'file:///opt/ClassBridge/resources/app.asar/out/renderer/index.html';

function navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const window = fake.state.windows.at(-1);
  let prevented = false;
  window?.listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
  return prevented;
}

beforeEach(() => {
  fake.state.windows.length = 0;
  fake.state.opened.length = 0;
});

describe('the main window the shell creates', () => {
  it('gets the locked-down options: isolation, sandbox, no Node, the preload only', () => {
    createMainWindow(paths);
    const options = fake.state.windows[0]?.options as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toEqual({
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    });
    expect(fake.state.windows[0]?.loaded).toBe(APP_URL);
  });

  it('denies every permission request and check', () => {
    createMainWindow(paths);
    const answers: boolean[] = [];
    fake.state.permissionRequest?.({}, 'media', (granted: boolean) => answers.push(granted));
    fake.state.permissionRequest?.({}, 'notifications', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(fake.state.permissionCheck?.({}, 'clipboard-read')).toBe(false);
    expect(fake.state.devicePermission?.({ deviceType: 'usb' })).toBe(false);
  });

  it('puts the strict CSP on every response', () => {
    createMainWindow(paths);
    let headers: Record<string, string[]> = {};
    fake.state.headers?.(
      { responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src *'] } },
      (reply: { responseHeaders: Record<string, string[]> }) => (headers = reply.responseHeaders),
    );
    expect(headers['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('stays on the app page; web links open in the system browser, nothing else opens', () => {
    createMainWindow(paths);
    expect(navigate('will-navigate', `${APP_URL}#/settings`)).toBe(false);
    expect(navigate('will-navigate', 'https://docs.moodle.org/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    const open = fake.state.windows[0]?.openHandler;
    expect(open?.({ url: 'https://moodle.school.nz/course/view.php?id=3' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'mailto:someone@example.com' })).toEqual({ action: 'deny' });
    expect(fake.state.opened).toEqual(['https://docs.moodle.org/', 'https://moodle.school.nz/course/view.php?id=3']);
    let webviewPrevented = false;
    fake.state.windows[0]?.listeners.get('will-attach-webview')?.({ preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });
});

describe('the page itself', () => {
  const metaCsp = (html: string): string | undefined =>
    /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  // frame-ancestors is ignored in a <meta> CSP; the header (and the sandbox) cover it.
  const appCspForMeta = APP_CSP.replace(/;\s*frame-ancestors[^;]*/, '');

  it('carries the same CSP in its <meta> (file:// responses have no headers)', () => {
    expect(metaCsp(readFileSync(join(REPO_ROOT, 'renderer/index.html'), 'utf8'))).toBe(appCspForMeta);
  });

  it.skipIf(process.env.CLASSBRIDGE_PREBUILT !== '1')('the built page keeps it and has no inline script', () => {
    const built = readFileSync(join(REPO_ROOT, 'out/renderer/index.html'), 'utf8');
    expect(metaCsp(built)).toBe(appCspForMeta);
    for (const tag of built.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\.\/assets\//);
  });
});
