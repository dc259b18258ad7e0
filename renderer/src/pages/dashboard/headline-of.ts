import type { Status } from '../../../../electron/core/contract/contract';

export type HeadlineTone = 'ok' | 'running' | 'warning' | 'problem' | 'paused' | 'never-run';

/** The one status word at the top of the dashboard, with the last sync that worked and the next one. */
export interface Headline {
  tone: HeadlineTone;
  word: string;
  /** ISO: the newest run of any part that synced (ok, or partial: the connection works). */
  lastSync?: string;
  /** ISO: the soonest scheduled run (none while paused). */
  next?: string;
}

/**
 * Worst first: a problem (a part failing for long, the SMS data late) outranks the admin's pending
 * decisions, then a pause, then warnings; "All good" only when every part that ran last synced everything.
 */
export function headlineOf(status: Status): Headline {
  const parts = status.lms.flatMap((lms) => lms.parts);
  const lastSync = latest(
    parts.flatMap((p) =>
      p.lastRun && (p.lastRun.outcome === 'ok' || p.lastRun.outcome === 'partial')
        ? [p.lastRun.finishedAt ?? p.lastRun.startedAt]
        : [],
    ),
  );
  const next = status.paused ? undefined : earliest(parts.flatMap((p) => (p.nextRun ? [p.nextRun] : [])));
  const times = { ...(lastSync ? { lastSync } : {}), ...(next ? { next } : {}) };
  if (parts.some((p) => p.health === 'problem') || status.lateSource)
    return { tone: 'problem', word: 'Problem', ...times };
  if (status.heldPlans.length > 0 || status.openLinkDecisions > 0)
    return { tone: 'warning', word: 'Waiting for you', ...times };
  // Paused is the admin's own choice: it outranks warnings, not what only the admin can unblock.
  if (status.paused) return { tone: 'paused', word: 'Paused', ...times };
  if (parts.some((p) => p.health === 'warning')) return { tone: 'warning', word: 'Needs attention', ...times };
  if (parts.some((p) => p.health === 'running')) return { tone: 'running', word: 'Syncing now', ...times };
  if (parts.every((p) => p.health === 'never-run')) return { tone: 'never-run', word: 'Not synced yet', ...times };
  return { tone: 'ok', word: 'All good', ...times };
}

function latest(isos: string[]): string | undefined {
  return isos.reduce<string | undefined>(
    (a, b) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a),
    undefined,
  );
}

function earliest(isos: string[]): string | undefined {
  return isos.reduce<string | undefined>(
    (a, b) => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a),
    undefined,
  );
}
