import type { Run } from '../../../../electron/core/model';
import { dayKey, lastDays } from '../../format/format-date-time';

/** Counts that mean a record changed somewhere (LMS or ClassBridge's course list), whatever the part. */
const CHANGED_COUNTS = ['created', 'linked', 'updated', 'removed', 'changed', 'added', 'deleted', 'returned'];

export function recordsChanged(run: Run): number {
  return CHANGED_COUNTS.reduce((sum, key) => sum + (run.counts[key] ?? 0), 0);
}

/** A run that failed outright, or finished with some records failing. */
export function hadFailures(run: Run): boolean {
  return run.outcome === 'failed' || run.outcome === 'partial';
}

export interface DayStats {
  /** YYYY-MM-DD in the school's zone. */
  day: string;
  runs: number;
  changed: number;
  failures: number;
}

/** Runs per calendar day of the school, the last `days` days, oldest first; days without runs count 0. */
export function dailyStats(runs: readonly Run[], timeZone: string, days = 30, now = new Date()): DayStats[] {
  const stats = new Map(lastDays(days, timeZone, now).map((day) => [day, { day, runs: 0, changed: 0, failures: 0 }]));
  for (const run of runs) {
    const day = stats.get(dayKey(new Date(run.startedAt), timeZone));
    if (!day) continue;
    day.runs += 1;
    day.changed += recordsChanged(run);
    if (hadFailures(run)) day.failures += 1;
  }
  return [...stats.values()];
}

const COUNT_WORDS: Record<string, string> = {
  created: 'created',
  linked: 'linked to what the LMS had',
  updated: 'updated',
  removed: 'removed',
  failed: 'failed',
  skipped: 'not sent',
  results: 'results',
  changed: 'changed',
  delivered: 'delivered',
  courses: 'courses read',
  errors: 'courses failed',
  unmatched: 'not matched to a student',
  total: 'courses listed',
  added: 'new',
  deleted: 'gone',
  returned: 'back again',
  checked: 'checked',
  drifted: 'had drifted',
};

/** A run's non-zero counts in words, in a stable order: "3 created, 1 updated, 2 failed". */
export function describeCounts(counts: Record<string, number>): string {
  const known = Object.keys(COUNT_WORDS).filter((key) => (counts[key] ?? 0) > 0);
  return known.map((key) => `${counts[key]} ${COUNT_WORDS[key]}`).join(', ');
}
