import { useState } from 'react';
import { useBackUpNow, useBackups, useRestoreBackup } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

/**
 * Settings → Database: the dated backups beside the database, a backup now, and restoring one while
 * the app runs (the engine stops the sync and the receiver, swaps the file — the current one is kept
 * aside — and starts again). Restoring asks first, because what was recorded after the backup's
 * date is not in it.
 */
export function DatabaseBackups() {
  const backups = useBackups();
  const backUp = useBackUpNow();
  const restore = useRestoreBackup();
  const [confirming, setConfirming] = useState<{ file: string; date: string } | undefined>();

  if (backups.isPending) return <LoadingState>Loading backups…</LoadingState>;
  if (backups.isError) return <EngineErrorState error={backups.error} onRetry={() => void backups.refetch()} />;
  const { folder, keepDays, backups: list } = backups.data;

  return (
    <>
      <p>
        ClassBridge backs its database up once a day, in <code>{folder}</code>, and keeps {keepDays} days. The database
        holds what the SMS and the LMS cannot give back: links, course decisions, held-plan decisions and which results
        were delivered.
      </p>
      {list.length === 0 ? (
        <p>No backup yet: the first upload of the day takes one.</p>
      ) : (
        <table aria-label="Database backups">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.file}>
                <td>{b.date}</td>
                <td>{megabytes(b.bytes)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => setConfirming({ file: b.file, date: b.date })}
                    disabled={restore.isPending}
                  >
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming && (
        <div className="notice" role="group" aria-label="Confirm restore">
          <p>
            Restore the backup of {confirming.date}? What was recorded after it (links, course decisions, held-plan
            decisions, results delivered) is not in it; the next reconcile re-plans every LMS from what it holds now.
            The current database is kept aside, not deleted.
          </p>
          <button
            type="button"
            className="button-primary"
            disabled={restore.isPending}
            onClick={() => restore.mutate(confirming.file, { onSettled: () => setConfirming(undefined) })}
          >
            {restore.isPending ? 'Restoring…' : `Restore ${confirming.date}`}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(undefined)} disabled={restore.isPending}>
            Cancel
          </button>
        </div>
      )}
      <p>
        <button type="button" onClick={() => backUp.mutate()} disabled={backUp.isPending}>
          {backUp.isPending ? 'Backing up…' : 'Back up now'}
        </button>{' '}
        {backUp.isSuccess && <span role="status">Saved {backUp.data.file}.</span>}
        {backUp.isError && (
          <span className="inline-error" role="alert">
            {backUp.error.message}
          </span>
        )}
      </p>
      {restore.isSuccess && (
        <p className="notice" role="status">
          {restore.data.message}
        </p>
      )}
      {restore.isError && (
        <p className="notice notice-problem" role="alert">
          {restore.error.message}
        </p>
      )}
    </>
  );
}
