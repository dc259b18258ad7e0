import { basename } from 'node:path';
import type { AdapterLogger, SmsImportResult } from '../../../adapters/contract';
import { smsAdapterOf } from '../../../adapters/sms/registry';
import { SMS_PROVIDER_INFO, type SmsConnection } from '../model';
import type { Store } from '../store/store';
import { runIntake } from './intake';
import { readExport } from './read-export';
import { watchSource } from './watch-source';

export interface ExportWatchDeps {
  store: Store;
  logger: AdapterLogger;
  onChanged?(): void;
  settleMs?: number;
  /**
   * The SMS connection's provider or source changed since this engine last watched it (sms-services.ts):
   * the source is read at once, even where the stored snapshot's name matches (another folder's file
   * of the same name).
   */
  sourceChanged?: boolean;
}

/**
 * For SMSs that export files ClassBridge reads: NAT folders (VETtrak, JobReady, PowerPro, Paradigm,
 * through the watch the AVETMISS descriptor brings), OneRoster zips or folders and CSV exports (polled by
 * watch-source.ts). Each new export is imported once it has stopped changing. A refused export keeps
 * the last good snapshot and becomes a failed run whose error names the file, line and field.
 */
export function startExportWatch(deps: ExportWatchDeps): { watching?: string; close(): void } {
  const sms = deps.store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
  if (!sms?.source) return { close: () => undefined };
  const adapter = smsAdapterOf(sms.provider);
  // An SMS that only pushes (KAMAR) has no export to watch.
  if (!adapter.routes.includes('file')) return { close: () => undefined };
  const format = adapter.id;
  const source = sms.source;
  const label = SMS_PROVIDER_INFO[sms.provider].label;

  // Both ends of a read go through the one intake door, so each export is a recorded SMS import run.
  const intake = (path: string, read: () => Promise<SmsImportResult> | SmsImportResult) =>
    runIntake(
      { store: deps.store, logger: deps.logger, ...(deps.onChanged ? { onChanged: deps.onChanged } : {}) },
      { source: sourceLabel(label, path), trigger: 'watch', read },
    );
  const imported = (result: SmsImportResult, path: string) => void intake(path, () => result);
  const refused = (error: unknown, path: string) =>
    void intake(path, () => {
      throw error;
    });
  const read = (path: string) => readExport(path, { format, connection: sms, store: deps.store });

  if (adapter.watch) {
    const watch = adapter.watch(source, {
      read,
      imported,
      refused,
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
    });
    return { watching: source, close: () => watch.close() };
  }
  const importedAt = deps.sourceChanged ? undefined : importedFromHere(deps.store, sourceLabel(label, source), source);
  const watch = watchSource(
    source,
    async () => {
      await intake(source, () => read(source));
    },
    {
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs, intervalMs: Math.max(50, deps.settleMs / 2) } : {}),
      ...(importedAt ? { importedAt } : {}),
    },
  );
  return { watching: source, close: () => watch.close() };
}

/** How an export read by the watch is named in History and in the snapshot ("CSV export students.csv"). */
function sourceLabel(providerLabel: string, path: string): string {
  return `${providerLabel} export ${basename(path)}`;
}

/**
 * When the stored snapshot was read from this very source (by this watch, or `classbridge import` of
 * the same path): an export not changed since is not read again. A snapshot from another source (Setup
 * switched provider, file or folder) does not count, so the new source is read at once, however old
 * its file: the first-upload preview must never show the previous SMS's data.
 */
function importedFromHere(store: Store, label: string, path: string): Date | undefined {
  const meta = store.snapshot.meta();
  if (!meta) return undefined;
  return meta.source === label || meta.source.endsWith(`: ${path}`) ? new Date(meta.importedAt) : undefined;
}
