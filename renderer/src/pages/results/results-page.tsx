import { useDeferredValue, useMemo, useState } from 'react';
import type { LmsConnection, ResultDecision, ResultReview } from '../../../../electron/core/model';
import { useConnections } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { csvFileName, downloadCsv, toCsv } from '../../format/csv';
import { dayKey } from '../../format/format-date-time';
import { useSchoolClock } from '../../format/school-clock';
import { DeliverySettings } from './delivery-settings';
import { CSV_HEADER, csvRow, matchesSearch, REASON_LABELS, reviewKey, STATE_LABELS, studentLabel } from './review-rows';
import { useDecideResults, useDeliverNow, useResultReviews } from './use-result-reviews';
import { CourseFilter, SearchField } from '../../components/filter-fields';

/** Rendering stays quick on a big school; the export and "accept all" cover every matching row. */
export const MAX_ROWS_SHOWN = 500;

type ReasonFilter = 'all' | ResultReview['reason'];
type StateFilter = 'waiting' | 'pending' | 'held' | 'accepted';

const STATES: Record<StateFilter, ResultReview['state'][]> = {
  waiting: ['pending', 'held'],
  pending: ['pending'],
  held: ['held'],
  accepted: ['accepted'],
};

/**
 * What the next results delivery would write and is waiting for a person (docs/results.md): for review,
 * near the pass mark, or changed in the SMS since ClassBridge delivered it. Accept writes on the next
 * delivery (or Deliver now); Hold keeps a result back until the LMS changes it; Keep the SMS's value
 * settles a conflict for the SMS.
 */
export function ResultsPage() {
  const [reason, setReason] = useState<ReasonFilter>('all');
  const [state, setState] = useState<StateFilter>('waiting');
  const [course, setCourse] = useState('all');
  const [searchText, setSearchText] = useState('');
  const search = useDeferredValue(searchText.trim());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reviews = useResultReviews({
    states: STATES[state],
    ...(reason === 'all' ? {} : { reasons: [reason] }),
  });
  const connections = useConnections();
  const decide = useDecideResults();
  const deliverNow = useDeliverNow();
  const clock = useSchoolClock();

  const all = useMemo(() => reviews.data ?? [], [reviews.data]);
  const courseOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of all) seen.set(`${r.connectionId}\u0000${r.lmsCourseId}`, r.course);
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  }, [all]);
  const matching = useMemo(
    () =>
      all.filter(
        (r) => (course === 'all' || `${r.connectionId}\u0000${r.lmsCourseId}` === course) && matchesSearch(r, search),
      ),
    [all, course, search],
  );
  const chosen = matching.filter((r) => selected.has(reviewKey(r)));
  // Deliver now runs every LMS connection's results part: accepted results may wait on any of them.
  const lmsIds = (connections.data ?? []).filter((c) => c.kind === 'lms').map((c) => c.id);
  const lmsNames = new Map((connections.data ?? []).map((c) => [c.id, c.name]));

  async function apply(decision: ResultDecision, rows: readonly ResultReview[]) {
    if (rows.length === 0) return;
    setProblem(null);
    try {
      const answer = await decide.mutateAsync({
        decision,
        records: rows.map((r) => ({
          connectionId: r.connectionId,
          lmsCourseId: r.lmsCourseId,
          personSmsId: r.personSmsId,
        })),
      });
      setSelected(new Set());
      setMessage(answer.message);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  async function deliver() {
    setProblem(null);
    try {
      const answers = await Promise.all(lmsIds.map((id) => deliverNow.mutateAsync(id)));
      setMessage(
        answers
          .flat()
          .map((a) => `${lmsNames.get(a.connectionId) ?? a.connectionId}: ${a.message}`)
          .join(' '),
      );
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  function toggle(r: ResultReview, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(reviewKey(r));
    else next.delete(reviewKey(r));
    setSelected(next);
  }

  function exportCsv() {
    const today = dayKey(new Date(), clock.timeZone);
    downloadCsv(csvFileName('results-review', today), toCsv(CSV_HEADER, matching.map(csvRow)));
  }

  const busy = decide.isPending || deliverNow.isPending;
  const shown = matching.slice(0, MAX_ROWS_SHOWN);
  const allShownChosen = shown.length > 0 && shown.every((r) => selected.has(reviewKey(r)));

  return (
    <>
      <h1 tabIndex={-1}>Results</h1>
      <p className="page-intro">
        Results the next delivery would write to the SMS and that wait for a person: every changed result when an LMS
        connection delivers only after review, results near the pass mark, and results someone changed in the SMS since
        ClassBridge delivered them. Accepted results are written on the next download (or Deliver now).
      </p>
      {(connections.data ?? [])
        .filter((c): c is LmsConnection => c.kind === 'lms')
        .map((c) => (
          <DeliverySettings key={c.id} connection={c} />
        ))}
      <search className="filters">
        <label className="field">
          <span>Reason</span>
          <select value={reason} onChange={(event) => setReason(event.target.value as ReasonFilter)}>
            <option value="all">Every reason</option>
            {Object.entries(REASON_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>State</span>
          <select value={state} onChange={(event) => setState(event.target.value as StateFilter)}>
            <option value="waiting">Waiting or held</option>
            <option value="pending">Waiting</option>
            <option value="held">Held</option>
            <option value="accepted">Accepted, not delivered yet</option>
          </select>
        </label>
        <CourseFilter value={course} options={courseOptions} onChange={setCourse} />
        <SearchField value={searchText} placeholder="Student name or ID, course or value" onChange={setSearchText} />
      </search>

      <div className="toolbar">
        <button type="button" disabled={busy || matching.length === 0} onClick={() => void apply('accept', matching)}>
          Accept all ({matching.length})
        </button>
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void apply('accept', chosen)}>
          Accept selected
        </button>
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void apply('hold', chosen)}>
          Hold selected
        </button>
        <button
          type="button"
          disabled={busy || !chosen.some((r) => r.reason === 'conflict')}
          onClick={() => void apply('keep-sms', chosen)}
        >
          Keep the SMS’s value
        </button>
        <button type="button" disabled={busy || lmsIds.length === 0} onClick={() => void deliver()}>
          Deliver now
        </button>
        <button type="button" disabled={matching.length === 0} onClick={exportCsv}>
          Export CSV
        </button>
        {!reviews.isPending && !reviews.error && (
          <span className="muted" role="status">
            {matching.length} {matching.length === 1 ? 'result' : 'results'}
            {chosen.length > 0 && `, ${chosen.length} selected`}
            {matching.length > MAX_ROWS_SHOWN &&
              ` — showing the first ${MAX_ROWS_SHOWN}; filter to narrow, or export them all`}
          </span>
        )}
      </div>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {problem && (
        <p className="notice notice-problem" role="alert">
          {problem}
        </p>
      )}

      {reviews.isPending ? (
        <LoadingState>Loading results…</LoadingState>
      ) : reviews.error ? (
        <EngineErrorState error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : all.length === 0 ? (
        <EmptyState heading="No result waits for a person.">
          <p>
            Changed results are written on each download. To review them first, choose “Only after review on this page”
            in Delivery to the SMS above.
          </p>
        </EmptyState>
      ) : matching.length === 0 ? (
        <EmptyState heading="No result matches these filters." />
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">
              Results waiting for a person, one row per enrolment and course
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select every result shown"
                    checked={allShownChosen}
                    onChange={(event) => setSelected(event.target.checked ? new Set(shown.map(reviewKey)) : new Set())}
                  />
                </th>
                <th scope="col">Student</th>
                <th scope="col">Course</th>
                <th scope="col">SMS now</th>
                <th scope="col">New value</th>
                <th scope="col">Why</th>
                <th scope="col">Reason</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={reviewKey(r)}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${studentLabel(r)} in ${r.course}`}
                      checked={selected.has(reviewKey(r))}
                      onChange={(event) => toggle(r, event.target.checked)}
                    />
                  </td>
                  <th scope="row">{studentLabel(r)}</th>
                  <td>
                    {r.course}
                    <span className="muted block">{r.courseSmsId}</span>
                  </td>
                  <td>
                    {r.smsValue ?? <span className="muted">none</span>}
                    {r.deliveredValue !== null && r.deliveredValue !== r.smsValue && (
                      <span className="muted block">ClassBridge last wrote {r.deliveredValue}</span>
                    )}
                  </td>
                  <td>{r.newValue ?? <span className="muted">none</span>}</td>
                  <td>{r.detail.why}</td>
                  <td>{REASON_LABELS[r.reason]}</td>
                  <td>{STATE_LABELS[r.state]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
