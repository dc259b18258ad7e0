import type { SmsAdapter, SmsImportResult, SmsSource, SmsWarning } from '../../../adapters/contract';
import type { Snapshot } from '../model';
import type { SnapshotMeta } from '../store/repositories/snapshot-repository';
import type { Store } from '../store/store';
import { normaliseSnapshot } from './normalise-snapshot';

export interface ReadResult {
  snapshot: Snapshot;
  warnings: SmsWarning[];
  version?: string;
}

/**
 * Reads an SMS source through its adapter and checks it exactly as an import does (the adapter's
 * promise is not taken on trust). Throws SmsImportError; stores nothing. `classbridge check` is this.
 */
export async function readSmsSource(adapter: SmsAdapter, source: SmsSource): Promise<ReadResult> {
  return checkImportResult(await adapter.import(source));
}

/**
 * Checks what an adapter produced and turns it into the snapshot the store keeps (normalise-snapshot.ts:
 * schema, ids, references, control characters, one enrolment per person, course and role). The
 * result's arrays are reused: the caller must not use `result` afterwards.
 */
export function checkImportResult(result: SmsImportResult): ReadResult {
  return {
    snapshot: normaliseSnapshot(result.snapshot),
    warnings: result.warnings,
    ...(result.description.version ? { version: result.description.version } : {}),
  };
}

/**
 * Imports a source as the new snapshot: all or nothing, without recording a run. Tests and the demo's
 * setup use it; every intake an admin makes goes through intake.ts's runIntake, which records one.
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
