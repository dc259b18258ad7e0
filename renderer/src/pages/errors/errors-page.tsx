import { useMemo, useState } from 'react';
import { PART_LABELS, runPartLabel, PARTS, type Part } from '../../../../electron/core/model';
import { useConnections, useErrorGroups, useSyncErrors } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { csvFileName, downloadCsv, toCsv } from '../../format/csv';
import { dayKey, formatDateTime } from '../../format/format-date-time';
import { useSchoolClock } from '../../format/school-clock';
import { ErrorsTable, type Announce } from './errors-table';

export function ErrorsPage() {
  const [part, setPart] = useState<Part | 'all'>('all');
  const [connectionId, setConnectionId] = useState<string>('all');
  const [includeResolved, setIncludeResolved] = useState(false);
  const [announcement, setAnnouncement] = useState<{ text: string; tone: 'ok' | 'problem' } | null>(null);
  const filter = {
    ...(part === 'all' ? {} : { part }),
    ...(connectionId === 'all' ? {} : { connectionId }),
    ...(includeResolved ? { includeResolved } : {}),
  };
  // The page shows errors grouped by cause; the CSV export lists them one by one.
  const groups = useErrorGroups(filter);
  const errors = useSyncErrors(filter);
  const connections = useConnections();
  const clock = useSchoolClock();

  const connectionNames = useMemo(
    () => new Map((connections.data ?? []).map((connection) => [connection.id, connection.name])),
    [connections.data],
  );
  const lmsConnectionIds = useMemo(
    () => new Set((connections.data ?? []).filter((c) => c.kind === 'lms').map((c) => c.id)),
    [connections.data],
  );
  const filtered = part !== 'all' || connectionId !== 'all';
  const announce: Announce = (text, tone) => setAnnouncement({ text, tone });

  function exportCsv() {
    const rows = (errors.data ?? []).map((error) => [
      formatDateTime(error.createdAt, clock),
      runPartLabel(error),
      error.connectionId ? (connectionNames.get(error.connectionId) ?? error.connectionId) : '',
      error.recordKind,
      error.recordKey,
      error.course,
      error.message,
      error.fix,
      error.resolvedAt ? formatDateTime(error.resolvedAt, clock) : '',
    ]);
    const header = ['When', 'Part', 'Connection', 'Record kind', 'Record', 'Course', 'LMS message', 'What to do'];
    downloadCsv(csvFileName('errors', dayKey(new Date(), clock.timeZone)), toCsv([...header, 'Resolved'], rows));
  }

  return (
    <>
      <h1 tabIndex={-1}>Errors</h1>
      <p className="page-intro">
        Records the LMS refused in a sync. The others went through; each of these says what to do about it.
      </p>
      <search className="filters">
        <label className="field">
          <span>Part</span>
          <select value={part} onChange={(event) => setPart(event.target.value as Part | 'all')}>
            <option value="all">All parts</option>
            {PARTS.map((id) => (
              <option key={id} value={id}>
                {PART_LABELS[id]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Connection</span>
          <select value={connectionId} onChange={(event) => setConnectionId(event.target.value)}>
            <option value="all">All connections</option>
            {(connections.data ?? []).map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.name}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={includeResolved}
            onChange={(event) => setIncludeResolved(event.target.checked)}
          />
          Show resolved errors
        </label>
      </search>

      <div className="toolbar">
        <button type="button" disabled={!errors.data || errors.data.length === 0} onClick={exportCsv}>
          Export CSV
        </button>
        {groups.data && (
          <span className="muted" data-testid="error-count">
            {errorCount(groups.data.total, groups.data.groups.length, includeResolved)}
          </span>
        )}
      </div>
      <div role="status" className="outcome">
        {announcement && (
          <p className={`notice notice-${announcement.tone}`}>
            <span>
              <span className="notice-icon" aria-hidden="true">
                {announcement.tone === 'ok' ? '✓' : '✕'}
              </span>
              {announcement.text}
            </span>
          </p>
        )}
      </div>

      {groups.isPending ? (
        <LoadingState>Loading sync errors…</LoadingState>
      ) : groups.isError ? (
        <EngineErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data.groups.length === 0 ? (
        <EmptyState
          heading={
            filtered
              ? `No sync errors${part === 'all' ? '' : ` in ${PART_LABELS[part]}`}${connectionId === 'all' ? '' : ` for ${connectionNames.get(connectionId) ?? connectionId}`}.`
              : 'No sync errors.'
          }
        />
      ) : (
        <ErrorsTable
          groups={groups.data.groups}
          clock={clock}
          connectionNames={connectionNames}
          lmsConnectionIds={lmsConnectionIds}
          announce={announce}
        />
      )}
    </>
  );
}

/** The same total the dashboard counts, and how many causes it comes down to. */
function errorCount(count: number, causes: number, includeResolved: boolean): string {
  const noun = count === 1 ? 'error' : 'errors';
  const n = count.toLocaleString();
  const head = includeResolved ? `${n} ${noun}, resolved ones included` : `${n} open ${noun}`;
  return causes > 0 && causes < count ? `${head}, from ${causes} ${causes === 1 ? 'cause' : 'causes'}` : head;
}
