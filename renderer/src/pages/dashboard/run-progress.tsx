import { formatDateTime, type SchoolClock } from '../../format/format-date-time';

/**
 * What a run under way shows: that it runs and since when, and — once the engine reports it (status:get
 * `parts[].progress`, operations ended of those planned, refreshed at most twice a second) — a progress
 * bar with the live counts. Before the plan is made there is nothing to count, and no percentage is
 * invented.
 */
export function RunProgress({
  label,
  lmsName,
  startedAt,
  progress,
  clock,
}: {
  /** What is running, e.g. "Upload". */
  label: string;
  lmsName: string;
  /** When the engine recorded the run's start, once the status knows it. */
  startedAt?: string | undefined;
  progress?: { done: number; total: number } | null | undefined;
  clock: SchoolClock;
}) {
  const counted = progress && progress.total > 0 ? progress : null;
  return (
    <div className="run-progress" data-testid="run-progress">
      <p>
        <span className="run-progress-icon" aria-hidden="true">
          ↻
        </span>
        {label} with {lmsName} is running
        {startedAt ? ` (started ${formatDateTime(startedAt, clock)})` : ''}. The rest of ClassBridge stays usable
        meanwhile.
      </p>
      {counted && (
        <p className="run-progress-bar">
          <progress value={counted.done} max={counted.total} aria-label={`${label} progress`} />
          <span>
            {counted.done} of {counted.total} changes done
          </span>
        </p>
      )}
    </div>
  );
}
