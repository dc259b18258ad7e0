import { useState } from 'react';
import { useLeaveAloneMarks, useSetLeaveAlone } from '../../components/leave-alone/use-leave-alone';
import { EngineErrorState, LoadingState } from '../../components/query-states';

/**
 * The people ClassBridge leaves alone (marked with `classbridge leave-alone add person <sms-id>` or the
 * Api), per LMS connection, with Remove. Courses are marked on the Courses page.
 */
export function LeftAlonePeople({ lmsNames }: { lmsNames: ReadonlyMap<string, string> }) {
  const marks = useLeaveAloneMarks();
  const setLeaveAlone = useSetLeaveAlone();
  const [outcome, setOutcome] = useState<string | null>(null);
  if (marks.isPending) return <LoadingState>Loading…</LoadingState>;
  if (marks.isError) return <EngineErrorState error={marks.error} onRetry={() => void marks.refetch()} />;
  const people = marks.data.filter((m) => m.kind === 'person');
  return (
    <>
      {people.length === 0 ? (
        <p>
          ClassBridge syncs everyone the SMS has. To leave someone alone (no create, update, suspension, role or
          enrolment change), run <code>classbridge leave-alone add person &lt;sms-id&gt;</code>.
        </p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">People left alone</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">SMS id</th>
              <th scope="col">Connection</th>
              <th scope="col">Since</th>
              <th scope="col">Note</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((m) => (
              <tr key={`${m.connectionId}:${m.smsId}`}>
                <th scope="row">{m.label ?? <span className="muted">not in the SMS export</span>}</th>
                <td>{m.smsId}</td>
                <td>{lmsNames.get(m.connectionId) ?? m.connectionId}</td>
                <td>
                  <time dateTime={m.createdAt}>{m.createdAt.slice(0, 10)}</time>
                </td>
                <td>{m.note ?? <span className="muted">none</span>}</td>
                <td>
                  <button
                    type="button"
                    disabled={setLeaveAlone.isPending}
                    aria-label={`Stop leaving ${m.label ?? m.smsId} alone`}
                    onClick={() =>
                      setLeaveAlone.mutate(
                        { connectionId: m.connectionId, kind: 'person', smsId: m.smsId, on: false },
                        {
                          onSuccess: (r) => setOutcome(r.message),
                          onError: (e) => setOutcome(`Could not remove it: ${e.message}`),
                        },
                      )
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div role="status" className="outcome">
        {outcome && <p className="notice notice-ok">{outcome}</p>}
      </div>
    </>
  );
}
