import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { estimateProgress, type ProgressSample } from './progress-estimate';

/**
 * What a long run under way shows — Upload now, Download now, an approved held plan, the wizard's
 * first upload: that it runs and since when, and, once the engine reports it (status:get
 * `parts[].progress`, refreshed at most twice a second), a real <progress> bar with the counts, the
 * rate and the time left ("1,240 of 4,000 changes done · 310 a minute · about 9 minutes left";
 * progress-estimate.ts). Before the plan is made there is nothing to count, and no percentage or time
 * is invented.
 */
export function RunProgress({
  label,
  lmsName,
  startedAt,
  progress,
  unit = 'changes',
  clock,
}: {
  /** What is running, e.g. "Upload". */
  label: string;
  lmsName: string;
  /** When the engine recorded the run's start, once the status knows it. */
  startedAt?: string | undefined;
  progress?: ProgressSample | null | undefined;
  /** What the engine counts: "changes" (upload, reconcile) or "courses" (download). */
  unit?: string;
  clock: SchoolClock;
}) {
  const estimate = progress && progress.total > 0 ? estimateProgress(progress, unit) : null;
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
      {estimate && (
        <p className="run-progress-bar">
          <progress
            value={estimate.value}
            max={estimate.max}
            aria-label={`${label} progress`}
            aria-valuetext={estimate.words}
          />
          <span>{estimate.words}</span>
        </p>
      )}
    </div>
  );
}
