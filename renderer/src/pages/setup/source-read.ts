import type { Status } from '../../../../electron/core/contract/contract';
import type { SourceSwitch } from './draft';

type Snapshot = NonNullable<Status['snapshot']>;

/**
 * What the first-upload preview may show of the SMS data. After Save switched the SMS (provider,
 * route, file or folder) the snapshot in the store is still the previous SMS's until the new source
 * has been read (the engine reads a new export source at once: sms/export-watch-service.ts; a
 * pushing SMS sends when it next runs). So the preview shows only a snapshot imported after the
 * switch, says when the new source is being read or waited for, and shows its refusal with the
 * reason (the import names the file, line and field where it can) — never the old SMS's data.
 */
export type SourceRead =
  | { state: 'current'; snapshot: Snapshot; refusedSince?: string }
  | { state: 'reading' }
  | { state: 'waiting' }
  | { state: 'refused'; message: string; at: string };

export function sourceRead(status: Pick<Status, 'snapshot' | 'lastImport'>, switched?: SourceSwitch): SourceRead {
  const snapshot = status.snapshot && status.snapshot.importedAt !== switched?.snapshotAt ? status.snapshot : null;
  const last = status.lastImport && status.lastImport.startedAt !== switched?.importAt ? status.lastImport : null;
  // ISO times from the one engine clock: their text order is their time order.
  const afterSnapshot = last !== null && (!snapshot || last.startedAt >= snapshot.importedAt);
  const refused =
    last && afterSnapshot && last.outcome === 'failed'
      ? (last.message ?? 'The SMS data was refused: History shows why.')
      : undefined;
  if (snapshot) return { state: 'current', snapshot, ...(refused ? { refusedSince: refused } : {}) };
  if (refused && last) return { state: 'refused', message: refused, at: last.startedAt };
  if (last?.outcome === 'running') return { state: 'reading' };
  return { state: 'waiting' };
}
