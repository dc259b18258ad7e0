import type { Schedule } from '../model';
import { nextRun } from './next-run';
import { windowContaining } from './windows';

/** The first retry after a failure waits this long; each further failure doubles it. */
export const FIRST_RETRY_MS = 60_000;

/**
 * The longest wait between retries. 30 minutes, not the schedule's period: a part on a daily or
 * weekly interval would otherwise retry a passing outage only a day or a week later, long after
 * health turned *problem* (default threshold 30 minutes). Shorter periods cap it further, because a
 * retry is never later than the next regular run.
 */
export const MAX_RETRY_MS = 30 * 60_000;

/** 1, 2, 4, 8, 16, 30, 30 … minutes for the 1st, 2nd, 3rd … consecutive failure. */
export function retryDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < 1) return 0;
  // Capping the exponent keeps 2 ** n finite however long a part has been failing.
  const doubled = FIRST_RETRY_MS * 2 ** Math.min(consecutiveFailures - 1, 30);
  return Math.min(doubled, MAX_RETRY_MS);
}

/**
 * When to try again after `consecutiveFailures` failed runs in a row, the last one ending at `failedAt`
 * (and started at `lastRunStart`, default `failedAt`): the backoff delay, but never later than the
 * next regular run. For a window schedule, retries stay inside the window the failed run belonged
 * to — outside it the admin asked for no runs — so a failure near the window's end waits for the
 * next window.
 */
export function nextRunAfterFailure(
  consecutiveFailures: number,
  schedule: Schedule,
  timeZone: string,
  failedAt: Date,
  lastRunStart: Date = failedAt,
): Date {
  const regular = nextRun(schedule, timeZone, failedAt, lastRunStart);
  const retry = new Date(failedAt.getTime() + retryDelayMs(consecutiveFailures));
  if (schedule.kind === 'window') {
    const window = windowContaining(schedule, timeZone, lastRunStart);
    if (!window || retry >= window.end) return regular;
  }
  return retry < regular ? retry : regular;
}
