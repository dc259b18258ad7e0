import type { Status } from '../../../../electron/core/contract/contract';
import { PART_LABELS } from '../../../../electron/core/model';
import { HealthBadge } from '../../components/health-badge';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { RUN_OUTCOME_LABELS } from '../../format/labels';
import { runCounts } from './describe-run';
import { EngineText } from '../../components/engine-text';

export type PartStatus = Status['lms'][number]['parts'][number];

/**
 * One part of the sync with one LMS: its health in the engine's own words (and fix), the last run with
 * its counts, and the next run. Everything is text; the badge's colour only repeats it.
 */
export function PartCard({
  lmsId,
  part,
  paused,
  clock,
  children,
}: {
  lmsId: string;
  part: PartStatus;
  paused: boolean;
  clock: SchoolClock;
  /** Actions or a progress line for this part. */
  children?: React.ReactNode;
}) {
  const headingId = `part-${lmsId}-${part.part}`;
  const run = part.lastRun;
  const counts = run && run.outcome !== 'running' ? runCounts(run.counts) : [];
  return (
    <article className={`part-card part-card-${part.health}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{PART_LABELS[part.part]}</h3>
      <p className="part-health">
        <HealthBadge health={part.health} />
      </p>
      <p className="health-words">
        <EngineText text={part.words} />
      </p>
      {part.fix && (
        <p className="health-fix">
          <strong>What to do:</strong> <EngineText text={part.fix} />
        </p>
      )}
      <dl className="part-facts">
        <dt>Last run</dt>
        <dd>
          {run ? (
            run.outcome === 'running' ? (
              <>Started {formatDateTime(run.startedAt, clock)}, still running</>
            ) : (
              <>
                <time dateTime={run.finishedAt ?? run.startedAt}>
                  {formatDateTime(run.finishedAt ?? run.startedAt, clock)}
                </time>
                : {RUN_OUTCOME_LABELS[run.outcome]}
                {run.trigger === 'manual' ? ' (started by hand)' : ''}
              </>
            )
          ) : (
            'Not run yet'
          )}
        </dd>
        {run && run.outcome !== 'running' && (
          <>
            <dt>Counts</dt>
            <dd>
              {counts.length === 0 ? (
                'Nothing to count'
              ) : (
                <ul className="run-counts" aria-label={`Counts of the last ${PART_LABELS[part.part]} run`}>
                  {counts.map((count) => (
                    <li key={count.key}>
                      <strong>{count.value}</strong> {count.label}
                    </li>
                  ))}
                </ul>
              )}
              {run.message && (
                <details className="run-details">
                  <summary>What the run said</summary>
                  <EngineText text={run.message} />
                </details>
              )}
            </dd>
          </>
        )}
        <dt>Next run</dt>
        <dd>
          {paused ? (
            'Paused: runs only when you start it'
          ) : part.nextRun ? (
            <time dateTime={part.nextRun}>{formatDateTime(part.nextRun, clock)}</time>
          ) : (
            'Not scheduled'
          )}
        </dd>
      </dl>
      {children}
    </article>
  );
}
