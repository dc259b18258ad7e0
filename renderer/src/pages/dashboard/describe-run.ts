import type { Run } from '../../../../electron/core/model';

/** Words for the counts the engine records on each kind of run (upload, results, course tracking). */
const COUNT_LABELS: Record<string, string> = {
  planned: 'planned',
  created: 'created',
  linked: 'found and linked',
  updated: 'updated',
  removed: 'removed',
  unchanged: 'unchanged',
  failed: 'failed',
  skipped: 'not sent',
  total: 'courses in the LMS',
  added: 'new',
  deleted: 'gone',
  courses: 'courses read',
  results: 'results',
  changed: 'changed',
  errors: 'errors',
  unmatched: 'unmatched',
  delivered: 'delivered to the SMS',
};

export interface RunCount {
  key: string;
  value: number;
  label: string;
}

/**
 * The counts worth reading, in the engine's order: zeroes are left out (a run that changed nothing
 * says so in one line), and a count this version has no words for is shown under its own name.
 */
export function runCounts(counts: Run['counts']): RunCount[] {
  return Object.entries(counts)
    .filter(([, value]) => value !== 0)
    .map(([key, value]) => ({
      key,
      value,
      label: COUNT_LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(),
    }));
}
