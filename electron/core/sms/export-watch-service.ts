import { basename } from 'node:path';
import { SmsImportError, type AdapterLogger, type SmsImportResult } from '../../../adapters/contract';
import { watchExportFolder } from '../../../adapters/sms/avetmiss';
import { SMS_PROVIDER_INFO, type SmsConnection } from '../model';
import type { Store } from '../store/store';
import { checkImportResult } from './import-snapshot';
import { createSmsAdapter } from './sms-adapter-factory';
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

  const imported = (result: SmsImportResult, path: string) => {
    const { snapshot, warnings } = checkImportResult(result);
    const runId = deps.store.runs.start(null, 'profiles', 'schedule');
    const meta = deps.store.snapshot.replace(snapshot, `${label} export ${basename(path)}`);
    deps.store.runs.finish(
      runId,
      'ok',
      { ...meta.counts, warnings: warnings.length },
      `Imported the export in ${path}.`,
    );
    deps.logger.info({ counts: meta.counts, warnings: warnings.length }, 'SMS export imported');
    deps.onChanged?.();
  };
  const refused = (error: unknown, path: string) => {
    const message = error instanceof SmsImportError ? error.describe() : (error as Error).message;
    const runId = deps.store.runs.start(null, 'profiles', 'schedule');
    deps.store.runs.addError(runId, {
      recordKind: 'file',
      recordKey: basename(path),
      message,
      fix: 'Correct the data in the SMS and export again; ClassBridge imports the new export when it appears. The previous data is still in use.',
    });
    deps.store.runs.finish(runId, 'failed', {}, `The export in ${path} was refused: ${message}`);
    deps.logger.warn({ error: message }, 'SMS export refused');
    deps.onChanged?.();
  };
  const read = async (path: string) =>
    (await createSmsAdapter(format, { path, connection: sms })).import({ kind: 'path', path });

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
      try {
        imported(await read(source), source);
      } catch (error) {
        refused(error, source);
      }
    },
    {
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs, intervalMs: Math.max(50, deps.settleMs / 2) } : {}),
      ...(importedAt ? { importedAt: new Date(importedAt) } : {}),
    },
  );
  return { watching: source, close: () => watch.close() };
}
