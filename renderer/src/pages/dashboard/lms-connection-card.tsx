import type { Status } from '../../../../electron/core/api/contract';
import { PART_LABELS } from '../../../../electron/core/model';
import { HealthBadge } from '../../components/health-badge';
import { formatDateTime } from '../../format/format-date-time';
import { RUN_OUTCOME_LABELS } from '../../format/labels';

type LmsStatus = Status['lms'][number];
type PartStatus = LmsStatus['parts'][number];

export function LmsConnectionCard({ lms }: { lms: LmsStatus }) {
  const headingId = `lms-${lms.id}`;
  return (
    <section className="panel lms-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{lms.name}</h2>
      <p className="muted lms-url">{lms.url}</p>
      {lms.parts.length === 0 ? (
        <p>No parts are scheduled for this connection.</p>
      ) : (
        <table className="parts-table">
          <caption className="visually-hidden">Parts of the sync with {lms.name}</caption>
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Health</th>
              <th scope="col">Last run</th>
            </tr>
          </thead>
          <tbody>
            {lms.parts.map((part) => (
              <tr key={part.part}>
                <th scope="row">{PART_LABELS[part.part]}</th>
                <td>
                  <HealthBadge health={part.health} />
                  {/* The cause and the fix, where there is something to say beyond the badge. */}
                  {(part.health === 'problem' || part.health === 'warning') && (
                    <p className="muted health-words">{part.words}</p>
                  )}
                </td>
                <td>{describeLastRun(part.lastRun)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function describeLastRun(run: PartStatus['lastRun']): string {
  if (!run) return 'Not run yet';
  const when = formatDateTime(run.finishedAt ?? run.startedAt);
  const outcome = RUN_OUTCOME_LABELS[run.outcome];
  return run.message ? `${when}: ${outcome} — ${run.message}` : `${when}: ${outcome}`;
}
