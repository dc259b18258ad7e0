// Test helpers for the shell's plain decisions (not a test itself): Status values as status:get returns them.
import type { Health, Status } from '../core/contract/contract';
import type { Part } from '../core/model';

type PartStatus = Status['lms'][number]['parts'][number];

export const NOW = new Date('2026-03-10T14:30:00.000Z');

export function part(name: Part, health: Health, extra: Partial<PartStatus> = {}): PartStatus {
  return {
    part: name,
    health,
    words: health === 'problem' ? 'No successful run for 2 hours. The token no longer works.' : `${health} words`,
    lastRun: null,
    nextRun: null,
    progress: null,
    ...extra,
  };
}

/** A finished run of a part, `minutesAgo` before NOW. */
export function finished(
  name: Part,
  outcome: 'ok' | 'partial' | 'failed' | 'held',
  minutesAgo: number,
): PartStatus['lastRun'] {
  const at = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
  return {
    id: 1,
    connectionId: 'a',
    part: name,
    trigger: 'schedule',
    startedAt: at,
    finishedAt: at,
    outcome,
    counts: {},
    message: null,
  };
}

/** A set-up school with one LMS ("Moodle A") whose four parts are OK unless `parts` says otherwise. */
export function status(
  overrides: Partial<Status> = {},
  parts: Partial<Record<Part, PartStatus>> = {},
  lmsName = 'Moodle A',
): Status {
  const base: Record<string, PartStatus> = {
    upload: part('upload', 'ok', { lastRun: finished('upload', 'ok', 20) }),
    results: part('results', 'ok', { lastRun: finished('results', 'ok', 50) }),
    'course-tracking': part('course-tracking', 'ok'),
    reconcile: part('reconcile', 'never-run'),
  };
  return {
    setUp: true,
    paused: false,
    useSms: true,
    sms: null,
    lms: [
      {
        id: 'a',
        name: lmsName,
        provider: 'moodle',
        url: 'https://moodle.school.example',
        parts: Object.values({ ...base, ...parts }),
      },
    ],
    receiver: null,
    openErrors: 0,
    openLinkDecisions: 0,
    kamarChunksKept: 0,
    heldPlans: [],
    courses: { New: 0, Open: 0, Closed: 0, Deleted: 0 },
    snapshot: null,
    lastImport: null,
    ...overrides,
  };
}
