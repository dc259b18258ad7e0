import type { Run } from '../model';
import type { PartRunHistory } from './due';

/** What the scheduler and health need to know about a part, read from its stored runs. */
export interface RunHistorySummary extends PartRunHistory {
  /** The latest finished run, if any. */
  lastFinished?: Run;
  /** True when the latest run is still marked running. */
  running: boolean;
  /** When the last ok or partial run finished. */
  lastSuccess?: Date;
  /** When the first of the failures since the last success started (absent when the last run did not fail). */
  failingSince?: Date;
}

/**
 * Summarises one part's runs, newest first (as `store.runs.list({ connectionId, part })` returns
 * them). Partial runs count as successes: the connection works, only some records failed. Held
 * runs neither succeed nor fail: the plan waits for the admin. Only the runs given are seen, so a
 * failure streak longer than the list is counted up to its length.
 */
export function summariseRuns(runsNewestFirst: readonly Run[]): RunHistorySummary {
  const latest = runsNewestFirst[0];
  const finishedRuns = runsNewestFirst.filter((r) => r.outcome !== 'running');
  const lastFinished = finishedRuns[0];
  let consecutiveFailures = 0;
  let failingSince: Date | undefined;
  for (const run of finishedRuns) {
    if (run.outcome !== 'failed') break;
    consecutiveFailures++;
    failingSince = new Date(run.startedAt);
  }
  const lastGood = finishedRuns.find((r) => r.outcome === 'ok' || r.outcome === 'partial');
  const lastSuccess = lastGood ? new Date(lastGood.finishedAt ?? lastGood.startedAt) : undefined;
  return {
    consecutiveFailures,
    running: latest?.outcome === 'running',
    ...(latest ? { lastRunStart: new Date(latest.startedAt) } : {}),
    ...(lastFinished?.finishedAt ? { lastRunEnd: new Date(lastFinished.finishedAt) } : {}),
    ...(lastFinished ? { lastFinished } : {}),
    ...(lastSuccess ? { lastSuccess } : {}),
    ...(failingSince ? { failingSince } : {}),
  };
}
