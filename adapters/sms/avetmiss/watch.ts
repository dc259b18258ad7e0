import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SmsImportResult } from '../../contract';
import { createAvetmissAdapter } from './adapter';
import { natFileIdOf } from './layouts';

export interface WatchOptions {
  /** How long every file must keep its size and mtime before the export counts as complete (default 5 s). */
  settleMs?: number;
  /** How often the folder is looked at (default settleMs / 4, at most 1 s). */
  pollMs?: number;
  /** Imports a finished export (default: a new AVETMISS adapter with default options). */
  importer?: (path: string) => Promise<SmsImportResult>;
  /** A settled export that did not import (an SmsImportError), or onReady failing. */
  onError?: (error: unknown, path: string) => void;
}

export interface ExportFolderWatch {
  close(): void;
}

/**
 * Watches a folder an SMS exports NAT files (or a .zip of them) into, and imports an export once
 * it is complete: only when the NAT files' sizes and mtimes have not changed for settleMs, so a
 * file still being written is never read. Polls rather than fs.watch, which misses events on
 * network shares (where SMS exports often land). Each distinct export is imported once.
 */
export function watchExportFolder(
  folder: string,
  onReady: (result: SmsImportResult, path: string) => void | Promise<void>,
  options: WatchOptions = {},
): ExportFolderWatch {
  const settleMs = options.settleMs ?? 5000;
  const pollMs = options.pollMs ?? Math.min(1000, Math.max(10, settleMs / 4));
  const importer = options.importer ?? ((path: string) => createAvetmissAdapter().import({ kind: 'path', path }));
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let seen = '';
  let stableSince = 0;
  let imported = '';

  const tick = async (): Promise<void> => {
    const current = await signature(folder).catch(() => undefined);
    const now = Date.now();
    if (current === undefined || current.key !== seen) {
      seen = current?.key ?? '';
      stableSince = now;
    } else if (current.target && current.key !== imported && now - stableSince >= settleMs) {
      imported = current.key;
      try {
        await onReady(await importer(current.target), current.target);
      } catch (error) {
        // A failed export is retried when its files change again (a new signature).
        options.onError?.(error, current.target);
      }
    }
  };
  const loop = (): void => {
    if (closed) return;
    timer = setTimeout(() => {
      tick().finally(loop);
    }, pollMs);
  };
  loop();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Names, sizes and mtimes of the NAT files and zips: any change restarts the settle clock. */
async function signature(folder: string): Promise<{ key: string; target: string | undefined }> {
  const parts: string[] = [];
  let hasClients = false;
  let newestZip: { path: string; mtime: number } | undefined;
  for (const name of (await readdir(folder)).sort()) {
    const id = natFileIdOf(name);
    const isZip = /\.zip$/i.test(name);
    if (!id && !isZip) continue;
    const info = await stat(join(folder, name));
    if (!info.isFile()) continue;
    parts.push(`${name}:${info.size}:${info.mtimeMs}`);
    if (id === 'NAT00080') hasClients = true;
    if (isZip && (!newestZip || info.mtimeMs > newestZip.mtime)) {
      newestZip = { path: join(folder, name), mtime: info.mtimeMs };
    }
  }
  // Loose NAT files (with the clients file) win over a zip sitting in the same folder.
  const target = hasClients ? folder : newestZip?.path;
  return { key: parts.join('|'), target };
}
