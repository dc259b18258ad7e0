import type { Schedule } from '../model';
import { nextRunAfterFailure } from './backoff';
import { nextRun } from './next-run';
import { windowContaining } from './windows';

/** What the scheduler remembers about one part between runs (rebuilt from the runs table after a restart). */
export interface PartRunHistory {
  /** Start of the last run, scheduled or manual. */
  lastRunStart?: Date;
  /** End of the last run. */
  lastRunEnd?: Date;
  /** Failed runs in a row since the last success (0 after a success). */
  consecutiveFailures: number;
}

/**
 * When a part is due, given its history; `now` when it should run at once. A part that is failing
 * follows the backoff. A due moment that passed while the computer slept or the app was closed gives
 * one run now — not one per missed period — except that a window schedule never runs outside a
 * window: having slept through one, it waits for the next.
 */
export function dueAt(history: PartRunHistory, schedule: Schedule, timeZone: string, now: Date): Date {
  const due =
    history.consecutiveFailures > 0 && history.lastRunEnd
      ? nextRunAfterFailure(
          history.consecutiveFailures,
          schedule,
          timeZone,
          history.lastRunEnd,
          history.lastRunStart ?? history.lastRunEnd,
        )
      : nextRun(schedule, timeZone, now, history.lastRunStart);
  if (due > now) return due;
  if (schedule.kind === 'window' && !windowContaining(schedule, timeZone, now)) {
    return nextRun(schedule, timeZone, now, history.lastRunStart);
  }
  return now;
}
