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
      { source: `${label} export ${basename(path)}`, trigger: 'watch', read },
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
  const importedAt = deps.store.snapshot.meta()?.importedAt;
  const watch = watchSource(
    source,
    async () => {
      await intake(source, () => read(source));
    },
    {
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs, intervalMs: Math.max(50, deps.settleMs / 2) } : {}),
      ...(importedAt ? { importedAt: new Date(importedAt) } : {}),
    },
  );
  return { watching: source, close: () => watch.close() };
}
