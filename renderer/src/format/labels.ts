import type { Health } from '../../../electron/core/contract/contract';
import type { CourseState, RunOutcome } from '../../../electron/core/model';

/** Words and a symbol for each health, so that colour is never the only signal. */
export const HEALTH_LABELS: Record<Health, { text: string; icon: string }> = {
  'never-run': { text: 'Never run', icon: '○' },
  ok: { text: 'OK', icon: '✓' },
  running: { text: 'Running', icon: '↻' },
  warning: { text: 'Needs attention', icon: '!' },
  problem: { text: 'Problem', icon: '✕' },
};

export const RUN_OUTCOME_LABELS: Record<RunOutcome, string> = {
  running: 'still running',
  ok: 'succeeded',
  partial: 'partly succeeded',
  failed: 'failed',
  held: 'held for your approval',
};

export const COURSE_STATE_LABELS: Record<CourseState, string> = {
  New: 'New',
  Open: 'Open',
  Closed: 'Closed',
  Deleted: 'Deleted in the LMS',
};

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A symbol per run outcome, shown beside the words so colour is never the only signal. */
export const RUN_OUTCOME_ICONS: Record<RunOutcome, string> = {
  running: '↻',
  ok: '✓',
  partial: '!',
  failed: '✕',
  held: '⏸',
};

/** The health class that colours a run outcome (the same palette as the health badges). */
export const RUN_OUTCOME_TONES: Record<RunOutcome, Health> = {
  running: 'running',
  ok: 'ok',
  partial: 'warning',
  failed: 'problem',
  held: 'warning',
};

/** "45 %" with at most one decimal, as NZ and AU style guides write percentages for admins. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${Math.round(value * 10) / 10} %`;
}
