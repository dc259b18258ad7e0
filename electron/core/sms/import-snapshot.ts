import type { SmsAdapter, SmsImportResult, SmsSource, SmsWarning } from '../../../adapters/contract';
import { SmsImportError } from '../../../adapters/contract';
import { SnapshotSchema, type Snapshot } from '../model';
import type { SnapshotMeta } from '../store/repositories/snapshot-repository';
import type { Store } from '../store/store';

export interface ReadResult {
  snapshot: Snapshot;
  warnings: SmsWarning[];
  version?: string;
}

/**
 * Reads an SMS source through its adapter and checks the snapshot against the engine's own schema
 * (the adapter's promise is not taken on trust). Throws SmsImportError; stores nothing.
 */
export async function readSmsSource(adapter: SmsAdapter, source: SmsSource): Promise<ReadResult> {
  return checkImportResult(await adapter.import(source));
}

/** Checks what an adapter produced against the engine's own snapshot schema. */
export function checkImportResult(result: SmsImportResult): ReadResult {
  const parsed = SnapshotSchema.safeParse(result.snapshot);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SmsImportError(
      'format',
      `The ${result.description.provider} reader produced an invalid record: ${issue?.message ?? ''}`,
      {
        field: issue?.path.join('.'),
      },
    );
  }
  return {
    snapshot: parsed.data,
    warnings: result.warnings,
    ...(result.description.version ? { version: result.description.version } : {}),
  };
}

/**
 * Imports a source as the new snapshot: all or nothing. The previous snapshot stays whole when the
 * source is refused (SmsImportError) or storing fails (one transaction).
 */
export async function importSmsSource(
  store: Store,
  adapter: SmsAdapter,
  source: SmsSource,
  label: string,
): Promise<{ meta: SnapshotMeta; warnings: SmsWarning[] }> {
  const { snapshot, warnings } = await readSmsSource(adapter, source);
  return { meta: store.snapshot.replace(snapshot, label), warnings };
}
