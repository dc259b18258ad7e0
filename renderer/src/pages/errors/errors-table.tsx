import { runPartLabel, type RunError } from '../../../../electron/core/model';
import { useRetryError, useRunPartNow } from '../../api/queries';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { errorAction, RUN_NOW_LABELS, type ErrorAction } from './error-actions';

export type Announce = (text: string, tone: 'ok' | 'problem') => void;

interface ErrorsTableProps {
  errors: RunError[];
  clock: SchoolClock;
  connectionNames: ReadonlyMap<string, string>;
  lmsConnectionIds: ReadonlySet<string>;
  announce: Announce;
}

export function ErrorsTable({ errors, clock, connectionNames, lmsConnectionIds, announce }: ErrorsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table errors-table">
        <caption className="visually-hidden">Sync errors</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Part</th>
            <th scope="col">Record</th>
            <th scope="col">Course</th>
            <th scope="col">LMS message</th>
            <th scope="col">What to do</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((error) => (
            <tr key={error.id}>
              <td className="nowrap">{formatDateTime(error.createdAt, clock)}</td>
              <td>
                {runPartLabel(error)}
                {error.connectionId && lmsConnectionIds.size > 1 && (
                  <span className="muted block">{connectionNames.get(error.connectionId) ?? error.connectionId}</span>
                )}
              </td>
              <th scope="row">
                <span className="muted">{error.recordKind}</span> {error.recordKey}
              </th>
              <td>{error.course ?? <span className="muted">—</span>}</td>
              <td>{error.message}</td>
              <td>{error.fix}</td>
              <td>
                <ErrorActionCell
                  error={error}
                  action={errorAction(error, lmsConnectionIds)}
                  clock={clock}
                  connectionName={error.connectionId ? connectionNames.get(error.connectionId) : undefined}
                  announce={announce}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ErrorActionCell({
  error,
  action,
  clock,
  connectionName,
  announce,
}: {
  error: RunError;
  action: ErrorAction;
  clock: SchoolClock;
  connectionName: string | undefined;
  announce: Announce;
}) {
  const retry = useRetryError();
  const runNow = useRunPartNow();
  const record = `${error.recordKind} ${error.recordKey}`;

  if (action.kind === 'resolved') {
    return (
      <span className="run-outcome health-ok">
        <span aria-hidden="true">✓</span> Resolved {error.resolvedAt ? formatDateTime(error.resolvedAt, clock) : ''}
      </span>
    );
  }
  if (action.kind === 'none') return <span className="muted">{action.reason}</span>;
  if (action.kind === 'retry') {
    return (
      <button
        type="button"
        disabled={retry.isPending}
        onClick={() =>
          retry.mutate(error.id, {
            onSuccess: (result) =>
              announce(
                result.resolved
                  ? `Retried ${record}: it synced, and the error is resolved. ${result.message}`
                  : `Retried ${record}: it still failed. ${result.message}`,
                result.resolved ? 'ok' : 'problem',
              ),
            onError: (failure) => announce(`Could not retry ${record}: ${failure.message}`, 'problem'),
          })
        }
      >
        {retry.isPending ? 'Retrying…' : 'Retry'}
        <span className="visually-hidden"> {record}</span>
      </button>
    );
  }
  const label = RUN_NOW_LABELS[action.target];
  return (
    <div className="error-action">
      <p className="muted small">{action.reason}</p>
      <button
        type="button"
        disabled={runNow.isPending}
        onClick={() =>
          runNow.mutate(
            { target: action.target, connectionId: action.connectionId },
            {
              onSuccess: (results) =>
                announce(
                  results.map((r) => `${connectionName ?? r.connectionId}: ${r.message}`).join(' ') ||
                    `${label}: nothing ran.`,
                  results.every((r) => r.outcome === 'ok') ? 'ok' : 'problem',
                ),
              onError: (failure) => announce(`${label} failed: ${failure.message}`, 'problem'),
            },
          )
        }
      >
        {runNow.isPending ? 'Running…' : label}
        <span className="visually-hidden"> for {connectionName ?? action.connectionId}</span>
      </button>
    </div>
  );
}
