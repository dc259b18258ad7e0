/**
 * When each part runs, and how healthy it is.
 *
 * Wiring, in short:
 * ```ts
 * const scheduler = new Scheduler({
 *   timeZone: settings.timeZone,
 *   paused: settings.paused,
 *   onDue: async (key, { connectionId, part, trigger }) => ((await runPart(connectionId, part, trigger)).outcome === 'failed' ? 'failed' : 'ok'),
 *   onEvent: (e) => emitStatusChanged(),
 * });
 * for (const connection of lmsConnections) for (const part of PARTS) {
 *   const { lastRunStart, lastRunEnd, consecutiveFailures } = summariseRuns(store.runs.list({ connectionId: connection.id, part, limit: 50 }));
 *   scheduler.register({ connectionId: connection.id, part, schedule: effectiveSchedule(settings, connection, part), lastRunStart, lastRunEnd, consecutiveFailures });
 * }
 * scheduler.start();
 * // Upload now: await scheduler.runNow(scheduleKey(id, PART_OF_SYNC_TARGET.upload));
 * // Health:     partHealth({ lastRun: summary.lastFinished, lastSuccess: summary.lastSuccess, running, now, problemAfterMinutes, failingSince: summary.failingSince, lastError })
 * ```
 */

/** Which schedule applies, and when it next fires (pure, time-zone aware with luxon). */
export { DEFAULT_PART_SCHEDULES, effectiveSchedule, nextRun } from './next-run';

/** Backoff after failures: 1, 2, 4 … minutes, capped at 30 and never later than the next regular run. */
export { FIRST_RETRY_MS, MAX_RETRY_MS, nextRunAfterFailure, retryDelayMs } from './backoff';

/** When a part is due given its history (backoff, one catch-up run after sleep, windows respected). */
export { dueAt, type PartRunHistory } from './due';

/** Weekly windows as real instants in a time zone. */
export { nextWindowStart, windowContaining, type WindowOccurrence, type WindowSchedule } from './windows';

/** The scheduler that drives all of it, with an injected clock. */
export {
  scheduleKey,
  type DueRun,
  type PartRegistration,
  type PartScheduleState,
  type RunTrigger,
  type RunVerdict,
  type ScheduleKey,
  type SchedulerEvent,
  type SchedulerOptions,
} from './scheduler-types';
export { Scheduler } from './scheduler';
export { systemClock, type SchedulerClock } from './clock';

/** A part's stored runs → scheduler history, last success and failure streak. */
export { summariseRuns, type RunHistorySummary } from './run-history';

/** Health of one part, in words an administrator reads. */
export {
  DEFAULT_PROBLEM_AFTER_MINUTES,
  duration,
  partHealth,
  type PartHealth,
  type PartHealthInput,
  type PartHealthLevel,
  type RunSummary,
} from './health';

/** What is wrong with a connection and how to fix it. */
export {
  diagnose,
  diagnoseRunFailure,
  type DiagnoseOptions,
  type Diagnosis,
  type DiagnosisKind,
  type LmsErrorLike,
} from './diagnose';
