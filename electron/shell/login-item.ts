/**
 * Start at login: on once setup is done unless the admin turned `startAtLogin` off. What to ask the
 * operating system for is decided here; login-item glue in main.ts applies it. Started at login,
 * ClassBridge opens in the tray only (HIDDEN_ARG, or macOS's wasOpenedAtLogin).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE = 'classbridge.desktop';

export interface LoginItemInput {
  startAtLogin: boolean;
  setUp: boolean;
  /** A development run (electron .) must never register the bare Electron binary at login. */
  packaged: boolean;
  platform: NodeJS.Platform;
  execPath: string;
  env: Record<string, string | undefined>;
}

export type LoginItemPlan =
  | { kind: 'none'; reason: string }
  /** app.setLoginItemSettings (Windows, macOS). */
  | { kind: 'electron'; settings: { openAtLogin: boolean; path?: string; args?: string[] } }
  /** Linux: an XDG autostart entry, written or (contents null) removed. */
  | { kind: 'autostart-file'; file: string; contents: string | null };

export function loginItemPlan(input: LoginItemInput): LoginItemPlan {
  if (!input.packaged) return { kind: 'none', reason: 'a development run is never started at login' };
  const openAtLogin = input.setUp && input.startAtLogin;
  if (input.platform === 'win32') {
    return { kind: 'electron', settings: { openAtLogin, path: input.execPath, args: [HIDDEN_ARG] } };
  }
  if (input.platform === 'darwin') return { kind: 'electron', settings: { openAtLogin } };
  if (input.platform === 'linux') {
    const config = input.env.XDG_CONFIG_HOME || join(input.env.HOME || homedir(), '.config');
    // An AppImage runs from a temporary mount: the entry must start the AppImage file itself.
    const executable = input.env.APPIMAGE || input.execPath;
    return {
      kind: 'autostart-file',
      file: join(config, 'autostart', AUTOSTART_FILE),
      contents: openAtLogin ? autostartEntry(executable) : null,
    };
  }
  return { kind: 'none', reason: `start at login is not supported on ${input.platform}` };
}

/** Compared with the last plan applied, so an OS-side change (Task Manager) is not undone on every start. */
export function loginItemKey(plan: LoginItemPlan): string {
  return JSON.stringify(plan);
}

/** Started at login: open in the tray, without the window. */
export function startsHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_ARG);
}

function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=ClassBridge',
    'Comment=Keeps the Student Management System and the LMS in sync',
    `Exec=${quoteExec(executable)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Desktop Entry Exec quoting: a double-quoted argument with ", `, $ and \ escaped by a backslash —
 * itself doubled, because the file's string unescaping runs first — and % doubled.
 */
function quoteExec(path: string): string {
  const escaped = path
    .replace(/\\/g, '\\\\\\\\')
    .replace(/(["`$])/g, '\\\\$1')
    .replace(/%/g, '%%');
  return `"${escaped}"`;
}
