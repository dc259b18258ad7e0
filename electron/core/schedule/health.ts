import type { RunOutcome } from '../model';
import { diagnose, type LmsErrorLike } from './diagnose';

/** The same values as the Api's HealthSchema. */
export type PartHealthLevel = 'never-run' | 'ok' | 'running' | 'warning' | 'problem';

/** The fields of a Run (model/run.ts) that health reads; ISO strings or Dates. */
export interface RunSummary {
  outcome: RunOutcome;
  startedAt: Date | string;
  finishedAt?: Date | string | null;
  message?: string | null;
}

export interface PartHealthInput {
  /**
   * The part's latest run. Pass the latest *finished* run to keep its outcome visible while another
   * runs; a run still marked 'running' is read as running with nothing known before it.
   */
  lastRun?: RunSummary;
  /** When the last successful run (ok or partial) finished; absent if none ever did. */
  lastSuccess?: Date | string;
  running: boolean;
  now: Date;
  /** Settings.problemAfterMinutes (default 30). */
  problemAfterMinutes?: number;
  /** The error that ended the last failed run, for the diagnosis. */
  lastError?: LmsErrorLike;
  /** The diagnosis recorded when the last run failed (diagnoseRunFailure in diagnose.ts, recorded by sync/run-part.ts); preferred over lastError. */
  diagnosis?: { summary: string; fix: string };
  /** When a part that never succeeded started failing (its first run); the last run's start if absent. */
  failingSince?: Date | string;
  /** How to name the LMS in the words (default "the LMS"). */
  lmsName?: string;
}

export interface PartHealth {
  health: PartHealthLevel;
  /** One or two sentences for the status window and the tray. */
  words: string;
  /** Since when the part has been in this state (problem: since the last success). */
  since?: Date;
  /** What to do, when the admin can do something. */
  fix?: string;
}

export const DEFAULT_PROBLEM_AFTER_MINUTES = 30;

/**
 * How one part is doing. *problem*: no success for longer than the threshold and the last run
 * failed. *warning*: a failure still under the threshold (ClassBridge is retrying), a partial run
 * (some records failed) or a held plan. A retry in progress keeps a problem visible.
 */
export function partHealth(input: PartHealthInput): PartHealth {
  const { lastRun, now } = input;
  const thresholdMs = (input.problemAfterMinutes ?? DEFAULT_PROBLEM_AFTER_MINUTES) * 60_000;
  const running = input.running || lastRun?.outcome === 'running';
  const finished = lastRun && lastRun.outcome !== 'running' ? lastRun : undefined;
  const runningSince = lastRun?.outcome === 'running' ? toDate(lastRun.startedAt) : undefined;

  if (finished?.outcome === 'failed') {
    const lastSuccess = toDate(input.lastSuccess);
    const failingSince = lastSuccess ?? toDate(input.failingSince) ?? toDate(finished.startedAt);
    const cause = causeOf(finished, input);
    if (failingSince && now.getTime() - failingSince.getTime() > thresholdMs) {
      const forHow = duration(now.getTime() - failingSince.getTime());
      const head = lastSuccess ? `No successful run for ${forHow}.` : `Has not succeeded yet, failing for ${forHow}.`;
      return {
        health: 'problem',
        words: `${head} ${cause.summary}${running ? ' Trying again now.' : ''}`,
        since: failingSince,
        ...(cause.fix ? { fix: cause.fix } : {}),
      };
    }
    if (!running) {
      const endedAt = toDate(finished.finishedAt) ?? toDate(finished.startedAt);
      return {
        health: 'warning',
        words: `The last run failed${endedAt ? ` ${ago(now, endedAt)}` : ''}; ClassBridge tries again soon. ${cause.summary}`,
        ...(endedAt ? { since: endedAt } : {}),
        ...(cause.fix ? { fix: cause.fix } : {}),
      };
    }
  }

  if (running) {
    return {
      health: 'running',
      words: runningSince ? `Running now (started ${ago(now, runningSince)}).` : 'Running now.',
      ...(runningSince ? { since: runningSince } : {}),
    };
  }
  if (!finished) return { health: 'never-run', words: 'Has not run yet.' };

  const endedAt = toDate(finished.finishedAt) ?? toDate(finished.startedAt);
  const when = endedAt ? ` ${ago(now, endedAt)}` : '';
  const since = endedAt ? { since: endedAt } : {};
  switch (finished.outcome) {
    case 'ok':
      return { health: 'ok', words: `OK: last run finished${when}.`, ...since };
    case 'partial':
      return {
        health: 'warning',
        words: `The last run finished${when}, but some records could not be synced.`,
        fix: 'Open Errors to see each record, why it failed and what to do.',
        ...since,
      };
    case 'held':
      return {
        health: 'warning',
        words: `Waiting for your approval: the last run${when} would remove more students or enrolments than the safety limit allows, so nothing was changed.`,
        fix: 'Review the held plan. Approve it if the removals are right, or correct the SMS data if they are not.',
        ...since,
      };
    default:
      // 'failed' and 'running' were answered above; this keeps the compiler and any future outcome honest.
      return { health: 'warning', words: `The last run ended as "${finished.outcome}"${when}.`, ...since };
  }
}

function causeOf(run: RunSummary, input: PartHealthInput): { summary: string; fix?: string } {
  if (input.diagnosis)
    return { summary: input.diagnosis.summary, ...(input.diagnosis.fix ? { fix: input.diagnosis.fix } : {}) };
  if (input.lastError) {
    const { summary, fix } = diagnose(input.lastError, input.lmsName ? { lmsName: input.lmsName } : {});
    return { summary, fix };
  }
  return { summary: run.message ? `Last error: ${run.message}` : 'The last run failed.' };
}

/** "3 minutes", "2 hours", "5 days": a duration as an administrator reads it. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

function ago(now: Date, then: Date): string {
  const ms = now.getTime() - then.getTime();
  return ms < 60_000 ? 'just now' : `${duration(ms)} ago`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
