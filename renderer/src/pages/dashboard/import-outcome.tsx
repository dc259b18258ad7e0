import type { Status } from '../../../../electron/core/contract/contract';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { HEALTH_LABELS } from '../../format/labels';
import { EngineText } from '../../components/engine-text';

/**
 * The newest SMS import when it did not store (a refused export, a missing folder, a KAMAR push that
 * was dropped): what failed and why, and what the sync keeps using meanwhile. Without this the page
 * went on saying "Nothing imported from the SMS yet" (or showing the old import as if it were current)
 * while the reason sat in the log.
 */
export function ImportOutcome({
  lastImport,
  snapshot,
  clock,
}: {
  lastImport: Status['lastImport'];
  snapshot: Status['snapshot'];
  clock: SchoolClock;
}) {
  if (!lastImport || lastImport.outcome !== 'failed') return null;
  // A refused import older than the stored snapshot has been superseded by a good one.
  if (snapshot && Date.parse(snapshot.importedAt) >= Date.parse(lastImport.startedAt)) return null;
  return (
    <div className="notice notice-warning" role="status" data-testid="import-failed">
      <p>
        <span className="notice-icon" aria-hidden="true">
          {HEALTH_LABELS.warning.icon}
        </span>
        <strong>The last import from the SMS failed</strong> ({formatDateTime(lastImport.startedAt, clock)}):{' '}
        {lastImport.message ? <EngineText text={lastImport.message} /> : 'no reason was recorded.'}
      </p>
      <p>
        {snapshot
          ? `Nothing was lost: ClassBridge keeps syncing the last good import, from ${formatDateTime(snapshot.importedAt, clock)}, until a corrected one arrives.`
          : 'Nothing has been imported yet, so nothing is synced until a corrected export arrives.'}{' '}
        <a href="#/history">History</a> lists every import.
      </p>
    </div>
  );
}
