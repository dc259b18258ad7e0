import { basename } from 'node:path';
import type { AdapterLogger, SmsImportResult } from '../../../adapters/contract';
import { watchExportFolder } from '../../../adapters/sms/avetmiss';
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
 * through the AVETMISS adapter's watch), OneRoster zips or folders and CSV exports (polled by
 * watch-source.ts). Each new export is imported once it has stopped changing. A refused export keeps
 * the last good snapshot and becomes a failed run whose error names the file, line and field.
 */
export function startExportWatch(deps: ExportWatchDeps): { watching?: string; close(): void } {
  const sms = deps.store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
  if (!sms?.source) return { close: () => undefined };
  const format = SMS_PROVIDER_INFO[sms.provider].adapter;
  if (format === 'kamar') return { close: () => undefined };
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

  if (format === 'avetmiss') {
    const watch = watchExportFolder(source, imported, {
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
      importer: read,
      onError: refused,
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
