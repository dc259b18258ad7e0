import { describe, expect, it } from 'vitest';
import { HIDDEN_ARG, loginItemKey, loginItemPlan, startsHidden, type LoginItemInput } from './login-item';

const base: LoginItemInput = {
  startAtLogin: true,
  setUp: true,
  packaged: true,
  platform: 'win32',
  execPath: 'C:\\Users\\admin\\AppData\\Local\\Programs\\ClassBridge\\ClassBridge.exe',
  env: {},
};

describe('start at login', () => {
  it('Windows: on after setup, started hidden in the tray', () => {
    expect(loginItemPlan(base)).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true, path: base.execPath, args: [HIDDEN_ARG] },
    });
  });

  it('off before setup is done, and when the admin turned it off', () => {
    const plan = (input: Partial<LoginItemInput>) => loginItemPlan({ ...base, ...input });
    expect(plan({ setUp: false })).toMatchObject({ settings: { openAtLogin: false } });
    expect(plan({ startAtLogin: false })).toMatchObject({ settings: { openAtLogin: false } });
  });

  it('macOS: the login item alone (the app checks wasOpenedAtLogin to start hidden)', () => {
    expect(loginItemPlan({ ...base, platform: 'darwin', execPath: '/Applications/ClassBridge.app' })).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true },
    });
  });

  it('Linux: an XDG autostart entry that starts the AppImage itself, removed when off', () => {
    const input: LoginItemInput = {
      ...base,
      platform: 'linux',
      execPath: '/tmp/.mount_ClassBxyz/classbridge',
      env: { HOME: '/home/admin', APPIMAGE: '/home/admin/Apps/Class$Bridge "1".AppImage' },
    };
    const on = loginItemPlan(input);
    expect(on).toMatchObject({ kind: 'autostart-file', file: '/home/admin/.config/autostart/classbridge.desktop' });
    const contents = on.kind === 'autostart-file' ? on.contents : null;
    expect(contents).toContain('[Desktop Entry]\nType=Application\nName=ClassBridge\n');
    expect(contents).toContain('Exec="/home/admin/Apps/Class\\\\$Bridge \\\\"1\\\\".AppImage" --hidden\n');
    expect(loginItemPlan({ ...input, env: { XDG_CONFIG_HOME: '/cfg' } })).toMatchObject({
      file: '/cfg/autostart/classbridge.desktop',
      contents: expect.stringContaining('Exec="/tmp/.mount_ClassBxyz/classbridge" --hidden'),
    });
    expect(loginItemPlan({ ...input, startAtLogin: false })).toMatchObject({ kind: 'autostart-file', contents: null });
  });

  it('a development run is never registered at login', () => {
    expect(loginItemPlan({ ...base, packaged: false })).toMatchObject({ kind: 'none' });
  });

  it('the key changes only when the plan does (an OS-side change is not undone on every start)', () => {
    expect(loginItemKey(loginItemPlan(base))).toBe(loginItemKey(loginItemPlan({ ...base })));
    expect(loginItemKey(loginItemPlan(base))).not.toBe(loginItemKey(loginItemPlan({ ...base, startAtLogin: false })));
  });

  it('started at login: the tray only, no window', () => {
    expect(startsHidden(['ClassBridge.exe', HIDDEN_ARG], false)).toBe(true);
    expect(startsHidden(['ClassBridge'], true)).toBe(true);
    expect(startsHidden(['ClassBridge'], false)).toBe(false);
  });
});
