import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { runPartLabel, type RunError } from '../../../../electron/core/model';
import { useRetryError, useRunPartNow } from '../../api/queries';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { errorAction, RUN_NOW_LABELS, type ErrorAction } from './error-actions';
import { EngineText } from '../../components/engine-text';

export type Announce = (text: string, tone: 'ok' | 'problem') => void;

/** One row of the Errors page: the errors with one cause (errors:groups). */
export type ErrorGroup = ApiOutput<'errors:groups'>['groups'][number];

interface ErrorsTableProps {
  groups: ErrorGroup[];
  clock: SchoolClock;
  connectionNames: ReadonlyMap<string, string>;
  lmsConnectionIds: ReadonlySet<string>;
  announce: Announce;
}

const KIND_WORDS: Record<string, [string, string]> = {
  person: ['person', 'people'],
  course: ['course', 'courses'],
  group: ['class', 'classes'],
  enrolment: ['enrolment', 'enrolments'],
  membership: ['class membership', 'class memberships'],
  cohort: ['cohort', 'cohorts'],
  'cohort-membership': ['cohort membership', 'cohort memberships'],
  result: ['result', 'results'],
  connection: ['connection problem', 'connection problems'],
};

function kindWords(kind: string, count: number): string {
  const [one, many] = KIND_WORDS[kind] ?? [kind, `${kind}s`];
  return count === 1 ? one : many;
}

/**
 * One row per cause: how many records it stopped, the first of them by name, the LMS's message and
 * the fix once, and one action for all of them (a group of upload records is retried by one upload,
 * which sends every one of them again).
 */
export function ErrorsTable({ groups, clock, connectionNames, lmsConnectionIds, announce }: ErrorsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table errors-table">
        <caption className="visually-hidden">Sync errors</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Part</th>
            <th scope="col">Records</th>
            <th scope="col">Course</th>
            <th scope="col">LMS message</th>
            <th scope="col">What to do</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => {
            const [first] = group.examples;
            if (!first) return null;
            const courses = [...new Set(group.examples.map((e) => e.course).filter((c): c is string => !!c))];
            const more = group.count - group.examples.length;
            return (
              <tr key={first.id} data-count={group.count}>
                <td className="nowrap">{formatDateTime(group.lastAt, clock)}</td>
                <td>
                  {runPartLabel(first)}
                  {group.connectionId && lmsConnectionIds.size > 1 && (
                    <span className="muted block">{connectionNames.get(group.connectionId) ?? group.connectionId}</span>
                  )}
                </td>
                <th scope="row">
                  {group.count === 1 ? (
                    <>
                      <span className="muted">{kindWords(group.recordKind, 1)}</span> {first.recordName}
                    </>
                  ) : (
                    <>
                      <strong className="error-count">
                        {group.count.toLocaleString()} {kindWords(group.recordKind, group.count)}
                      </strong>
                      <span className="block">
                        {group.examples.map((e) => e.recordName).join('; ')}
                        {more > 0 ? ` and ${more.toLocaleString()} more` : ''}
                      </span>
                    </>
                  )}
                </th>
                <td>
                  {courses.length === 1 && (group.count === 1 || more === 0) ? (
                    courses[0]
                  ) : courses.length > 0 ? (
                    <span className="muted">
                      {courses.join(', ')}
                      {more > 0 ? ', …' : ''}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {group.messages > 1 ? 'For example: ' : ''}
                  <EngineText text={group.message} />
                </td>
                <td>
                  <EngineText text={group.fix} />
                </td>
                <td>
                  <ErrorActionCell
                    error={first}
                    count={group.count}
                    action={groupAction(group, first, lmsConnectionIds)}
                    clock={clock}
                    connectionName={group.connectionId ? connectionNames.get(group.connectionId) : undefined}
                    announce={announce}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A lone record is retried alone; many records with one cause are sent again by one run of their part. */
function groupAction(group: ErrorGroup, first: RunError, lmsConnectionIds: ReadonlySet<string>): ErrorAction {
  if (group.resolved) return { kind: 'resolved' };
  const action = errorAction(first, lmsConnectionIds);
  if (group.count === 1 || action.kind !== 'retry' || !group.connectionId) return action;
  return {
    kind: 'run-part',
    target: 'upload',
    connectionId: group.connectionId,
    reason: `Once it is fixed, one upload sends all ${group.count.toLocaleString()} again.`,
  };
}

function ErrorActionCell({
  error,
  count,
  action,
  clock,
  connectionName,
  announce,
}: {
  error: RunError & { recordName: string };
  count: number;
  action: ErrorAction;
  clock: SchoolClock;
  connectionName: string | undefined;
  announce: Announce;
}) {
  const retry = useRetryError();
  const runNow = useRunPartNow();
  const record = count === 1 ? `${error.recordKind} ${error.recordKey}` : `${count} ${error.recordKind} records`;

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
        // The promise, not mutate's callbacks: a resolved error's row (and this cell) goes as the list
        // refreshes, and react-query drops the callbacks of an unmounted caller.
        onClick={() =>
          void retry.mutateAsync(error.id).then(
            (result) =>
              announce(
                result.resolved
                  ? `Retried ${record}: it synced, and the error is resolved. ${result.message}`
                  : `Retried ${record}: it still failed. ${result.message}`,
                result.resolved ? 'ok' : 'problem',
              ),
            (failure: Error) => announce(`Could not retry ${record}: ${failure.message}`, 'problem'),
          )
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
          void runNow.mutateAsync({ target: action.target, connectionId: action.connectionId }).then(
            (results) =>
              announce(
                results.map((r) => `${connectionName ?? r.connectionId}: ${r.message}`).join(' ') ||
                  `${label}: nothing ran.`,
                results.every((r) => r.outcome === 'ok') ? 'ok' : 'problem',
              ),
            (failure: Error) => announce(`${label} failed: ${failure.message}`, 'problem'),
          )
        }
      >
        {runNow.isPending ? 'Running…' : label}
        <span className="visually-hidden"> for {connectionName ?? action.connectionId}</span>
      </button>
    </div>
  );
}
