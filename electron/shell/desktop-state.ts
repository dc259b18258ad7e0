/**
 * What the desktop shell remembers between starts, in a small file next to the database: whether
 * the "still running in the tray" hint was shown, what was already notified, and the login item
 * last set. Shell state only; a missing or damaged file is the same as a first start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { NotificationMemory } from './notifications/notification-policy';

export const DESKTOP_STATE_FILE = 'desktop-shell.json';

const DesktopStateSchema = z.object({
  closeHintShown: z.boolean().catch(false),
  notifications: z
    .object({ problems: z.array(z.string()), held: z.array(z.string()), update: z.string().optional() })
    .catch({ problems: [], held: [] }),
  /** The login item last applied (loginItemKey): applied again only when it changes. */
  loginItem: z.string().optional().catch(undefined),
});

export interface DesktopState {
  closeHintShown: boolean;
  notifications: NotificationMemory;
  loginItem?: string;
}

export function loadDesktopState(dataDir: string): DesktopState {
  try {
    const parsed = DesktopStateSchema.safeParse(JSON.parse(readFileSync(join(dataDir, DESKTOP_STATE_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or not JSON: a first start.
  }
  return { closeHintShown: false, notifications: { problems: [], held: [] } };
}

/** Written whole to a temporary file and renamed over the old one, so a crash leaves one or the other. */
export function saveDesktopState(dataDir: string, state: DesktopState): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DESKTOP_STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
