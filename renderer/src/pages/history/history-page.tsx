import { useMemo, useState } from 'react';
import { PART_LABELS, PARTS, type Part } from '../../../../electron/core/model';
import { useConnections, useRuns } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { useSchoolClock } from '../../format/school-clock';
import { HistoryChart } from './history-chart';
import { dailyStats } from './run-stats';
import { RunsTable } from './runs-table';

/** runs:list answers at most this many, newest first. */
const RUN_LIMIT = 1000;
const PAGE_SIZE = 100;

export function HistoryPage() {
  const [part, setPart] = useState<Part | 'all'>('all');
  const [connectionId, setConnectionId] = useState('all');
  const [shown, setShown] = useState(PAGE_SIZE);
  const runs = useRuns({
    limit: RUN_LIMIT,
    ...(part === 'all' ? {} : { part }),
    ...(connectionId === 'all' ? {} : { connectionId }),
  });
  const connections = useConnections();
  const clock = useSchoolClock();

  const lms = useMemo(() => (connections.data ?? []).filter((c) => c.kind === 'lms'), [connections.data]);
  const connectionNames = useMemo(() => new Map(lms.map((c) => [c.id, c.name])), [lms]);
  const stats = useMemo(() => dailyStats(runs.data ?? [], clock.timeZone), [runs.data, clock.timeZone]);
  const oldest = runs.data?.at(-1);
  const truncated =
    runs.data?.length === RUN_LIMIT && oldest !== undefined && stats[0] && oldest.startedAt > stats[0].day;

  return (
    <>
      <h1 tabIndex={-1}>History</h1>
      <p className="page-intro">
        Every run of every part: when it ran, how long it took, what it changed and how it ended. Times are in the
        school’s time zone ({clock.timeZone}).
      </p>
      <search className="filters">
        <label className="field">
          <span>Part</span>
          <select
            value={part}
            onChange={(event) => {
              setPart(event.target.value as Part | 'all');
              setShown(PAGE_SIZE);
            }}
          >
            <option value="all">All parts</option>
            {PARTS.map((id) => (
              <option key={id} value={id}>
                {PART_LABELS[id]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>LMS</span>
          <select
            value={connectionId}
            onChange={(event) => {
              setConnectionId(event.target.value);
              setShown(PAGE_SIZE);
            }}
          >
            <option value="all">All LMS connections</option>
            {lms.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.name}
              </option>
            ))}
          </select>
        </label>
      </search>

      {runs.isPending ? (
        <LoadingState>Loading runs…</LoadingState>
      ) : runs.isError ? (
        <EngineErrorState error={runs.error} onRetry={() => void runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <EmptyState
          heading={part === 'all' && connectionId === 'all' ? 'No runs yet.' : 'No runs match these filters.'}
        >
          <p>Runs appear here as soon as a part runs, on its schedule or with Upload now / Download now.</p>
        </EmptyState>
      ) : (
        <>
          <HistoryChart stats={stats} locale={clock.locale} />
          {truncated && (
            <p className="muted">
              The chart counts the latest {RUN_LIMIT} runs; older runs in these 30 days are left out.
            </p>
          )}
          <h2>Runs</h2>
          <RunsTable
            runs={runs.data.slice(0, shown)}
            clock={clock}
            connectionNames={lms.length > 1 ? connectionNames : null}
          />
          <div className="toolbar table-footer">
            <span className="muted" role="status">
              Showing {Math.min(shown, runs.data.length)} of {runs.data.length} runs
              {runs.data.length === RUN_LIMIT ? ' (the latest 1000)' : ''}.
            </span>
            {shown < runs.data.length && (
              <button type="button" onClick={() => setShown((n) => n + PAGE_SIZE)}>
                Show {Math.min(PAGE_SIZE, runs.data.length - shown)} more
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
