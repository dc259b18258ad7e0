import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER = 'ClassBridge';
export const DATABASE_FILE = 'classbridge.db';

/**
 * The same folder Electron's app.getPath('userData') gives for ClassBridge, so the desktop app and
 * the headless host (or CLI) on one machine share one database. CLASSBRIDGE_DATA_DIR overrides it.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CLASSBRIDGE_DATA_DIR) return env.CLASSBRIDGE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}
