import { basename } from 'node:path';
import { SmsImportError, type AdapterLogger } from '../../../adapters/contract';
import { watchExportFolder } from '../../../adapters/sms/avetmiss';
import { SMS_PROVIDER_INFO, type SmsConnection } from '../model';
import type { Store } from '../store/store';
import { checkImportResult } from './import-snapshot';
import { createSmsAdapter } from './sms-adapter-factory';

export interface ExportWatchDeps {
  store: Store;
  logger: AdapterLogger;
  onChanged?(): void;
  settleMs?: number;
}

/**
 * For SMSs that export NAT files into a folder (VETtrak, JobReady, PowerPro, Paradigm): watches the
 * folder and imports each new export once it has stopped changing. A refused export keeps the last
 * good snapshot and becomes a failed run whose error names the file, line and field.
 */
export function startExportWatch(deps: ExportWatchDeps): { watching?: string; close(): void } {
  const sms = deps.store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
  if (!sms?.source || SMS_PROVIDER_INFO[sms.provider].adapter !== 'avetmiss') return { close: () => undefined };
  const source = sms.source;
  const watch = watchExportFolder(
    source,
    (result, path) => {
      const { snapshot, warnings } = checkImportResult(result);
      const runId = deps.store.runs.start(null, 'profiles', 'schedule');
      const meta = deps.store.snapshot.replace(
        snapshot,
        `${SMS_PROVIDER_INFO[sms.provider].label} export ${basename(path)}`,
      );
      deps.store.runs.finish(
        runId,
        'ok',
        { ...meta.counts, warnings: warnings.length },
        `Imported the export in ${path}.`,
      );
      deps.logger.info({ counts: meta.counts, warnings: warnings.length }, 'SMS export imported');
      deps.onChanged?.();
    },
    {
      ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
      importer: async (path) =>
        (await createSmsAdapter('avetmiss', { path, connection: sms })).import({ kind: 'path', path }),
      onError: (error, path) => {
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
      },
    },
  );
  return { watching: source, close: () => watch.close() };
}
