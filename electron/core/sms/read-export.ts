import type { SmsImportResult } from '../../../adapters/contract';
import type { SmsConnection } from '../model';
import type { Store } from '../store/store';
import type { SourceFormat } from './detect-source';
import { toReaderSnapshot } from './normalise-snapshot';
import { createSmsAdapter } from './sms-adapter-factory';

export interface ReadExportOptions {
  format: SourceFormat;
  /** The configured SMS connection: its options (course mapping, CSV columns) shape the read. */
  connection?: SmsConnection;
  /** Where the current snapshot is, for an export of changes only (a OneRoster delta). */
  store?: Store;
}

/**
 * Reads an export on disk exactly as the engine does, with the SMS connection's own options, so
 * `check` (which stores nothing), `import`, the export watch and an upload can never disagree.
 */
export async function readExport(path: string, options: ReadExportOptions): Promise<SmsImportResult> {
  // Lazy: only a delta (or a file the export left out) needs the stored school, and reading all
  // of it for a bulk export doubled the import's memory on a district-sized roster.
  const store = options.store;
  // Offered to every reader; only one that reads changes (a OneRoster delta) calls it.
  const base = store ? () => (store.snapshot.meta() ? toReaderSnapshot(store.snapshot.read()) : undefined) : undefined;
  const adapter = await createSmsAdapter(options.format, {
    path,
    ...(options.connection ? { connection: options.connection } : {}),
    ...(base ? { base } : {}),
  });
  return adapter.import({ kind: 'path', path });
}

/** The SMS connection, when one is configured. */
export function smsConnectionOf(store: Store): SmsConnection | undefined {
  return store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
}
