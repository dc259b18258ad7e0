import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SourceWatchOptions {
  /** How often the source is looked at (default 2 s). */
  intervalMs?: number;
  /** How long it must stay unchanged before it is read (default 3 s): an export being written is not read half-way. */
  settleMs?: number;
  /** The source's last change before this time was already imported (e.g. the stored snapshot's import time). */
  importedAt?: Date;
}

/**
 * Watches an export file (a OneRoster zip, a CSV file) or folder by polling its size and modification
 * time — polling, because exports often land on network shares where file events are unreliable —
 * and calls `onSettled` once after each change has settled. Calls are never concurrent.
 */
export function watchSource(
  path: string,
  onSettled: () => Promise<void>,
  options: SourceWatchOptions = {},
): { close(): void } {
  const intervalMs = options.intervalMs ?? 2000;
  const settleMs = options.settleMs ?? 3000;
  let imported: string | undefined;
  let seen: { signature: string; since: number } | undefined;
  let busy = false;
  let closed = false;
  const importedAt = options.importedAt?.getTime();

  const tick = async () => {
    if (busy || closed) return;
    busy = true;
    try {
      const now = await signatureOf(path);
      if (!now) return;
      if (imported === undefined && importedAt !== undefined && now.modified <= importedAt) {
        imported = now.signature;
        return;
      }
      if (now.signature === imported) return;
      if (seen?.signature !== now.signature) {
        seen = { signature: now.signature, since: Date.now() };
        if (settleMs > 0) return;
      }
      if (Date.now() - seen.since < settleMs) return;
      imported = now.signature;
      await onSettled();
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return {
    close: () => {
      closed = true;
      clearInterval(timer);
    },
  };
}

/** Size and modification time of a file, or of every entry of a folder; undefined while it is missing. */
async function signatureOf(path: string): Promise<{ signature: string; modified: number } | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return { signature: `${info.size}:${info.mtimeMs}`, modified: info.mtimeMs };
  const names = (await readdir(path)).sort();
  let modified = info.mtimeMs;
  const parts: string[] = [];
  for (const name of names) {
    const entry = await stat(join(path, name)).catch(() => undefined);
    if (!entry) continue;
    modified = Math.max(modified, entry.mtimeMs);
    parts.push(`${name}:${entry.size}:${entry.mtimeMs}`);
  }
  return { signature: parts.join('|'), modified };
}
