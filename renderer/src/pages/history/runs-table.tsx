import { Fragment, useState } from 'react';
import { runPartLabel, type Run } from '../../../../electron/core/model';
import { useRunRepairs } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { formatDateTime, formatDuration, type SchoolClock } from '../../format/format-date-time';
import { RUN_OUTCOME_ICONS, RUN_OUTCOME_LABELS, RUN_OUTCOME_TONES } from '../../format/labels';
import { describeCounts } from './run-stats';
import { EngineText } from '../../components/engine-text';

const TRIGGER_LABELS: Record<Run['trigger'], string> = { manual: 'by hand', schedule: 'on schedule' };

export function RunsTable({
  runs,
  clock,
  connectionNames,
}: {
  runs: Run[];
  clock: SchoolClock;
  connectionNames: ReadonlyMap<string, string> | null;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns = connectionNames ? 7 : 6;

  return (
    <div className="table-scroll">
      <table className="data-table runs-table">
        <caption className="visually-hidden">Runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Part</th>
            {connectionNames && <th scope="col">LMS</th>}
            <th scope="col">Duration</th>
            <th scope="col">Outcome</th>
            <th scope="col">What happened</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const open = expanded.has(run.id);
            const counts = describeCounts(run.counts);
            return (
              <Fragment key={run.id}>
                <tr>
                  <th scope="row" className="nowrap">
                    {formatDateTime(run.startedAt, clock)}
                    <span className="muted block">{TRIGGER_LABELS[run.trigger]}</span>
                  </th>
                  <td>{runPartLabel(run)}</td>
                  {connectionNames && (
                    <td>{run.connectionId ? (connectionNames.get(run.connectionId) ?? run.connectionId) : '—'}</td>
                  )}
                  <td className="nowrap">
                    {formatDuration(run.startedAt, run.finishedAt) ?? <span className="muted">—</span>}
                  </td>
                  <td>
                    <span className={`run-outcome health-${RUN_OUTCOME_TONES[run.outcome]}`}>
                      <span aria-hidden="true">{RUN_OUTCOME_ICONS[run.outcome]}</span> {RUN_OUTCOME_LABELS[run.outcome]}
                    </span>
                  </td>
                  <td>
                    {counts && <span className="block">{counts}</span>}
                    {run.message && (
                      <span className="muted block">
                        <EngineText text={run.message} />
                      </span>
                    )}
                  </td>
                  <td>
                    {run.part === 'reconcile' && (
                      <button
                        type="button"
                        aria-expanded={open}
                        aria-controls={`repairs-${run.id}`}
                        onClick={() => toggle(run.id)}
                      >
                        {open ? 'Hide repairs' : 'Show repairs'}
                        <span className="visually-hidden">
                          {' '}
                          of the reconcile {formatDateTime(run.startedAt, clock)}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
                {run.part === 'reconcile' && (
                  <tr id={`repairs-${run.id}`} hidden={!open} className="details-row">
                    <td colSpan={columns}>{open && <RepairsList runId={run.id} />}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RepairsList({ runId }: { runId: number }) {
  const repairs = useRunRepairs(runId, true);
  if (repairs.isPending) return <LoadingState>Loading repairs…</LoadingState>;
  if (repairs.isError) return <EngineErrorState error={repairs.error} onRetry={() => void repairs.refetch()} />;
  if (repairs.data.length === 0) return <p className="muted">Nothing had drifted; nothing was repaired.</p>;
  return (
    <table className="data-table nested-table">
      <caption>What this reconcile repaired</caption>
      <thead>
        <tr>
          <th scope="col">Record</th>
          <th scope="col">Course</th>
          <th scope="col">What had drifted in the LMS</th>
          <th scope="col">What ClassBridge did</th>
        </tr>
      </thead>
      <tbody>
        {repairs.data.map((repair) => (
          <tr key={repair.id}>
            <th scope="row">
              <span className="muted">{repair.recordKind}</span> {repair.recordKey}
            </th>
            <td>{repair.course ?? <span className="muted">—</span>}</td>
            <td>{repair.drift}</td>
            <td>{repair.repair}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
