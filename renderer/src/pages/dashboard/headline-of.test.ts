import { describe, expect, it } from 'vitest';
import type { Status } from '../../../../electron/core/contract/contract';
import { headlineOf } from './headline-of';
import { urgentItems } from './urgent-banners';

type PartStatus = Status['lms'][number]['parts'][number];

const run = (outcome: 'ok' | 'partial' | 'failed', at: string): PartStatus['lastRun'] => ({
  id: 1,
  connectionId: 'a',
  part: 'upload',
  trigger: 'schedule',
  startedAt: at,
  finishedAt: at,
  outcome,
  counts: {},
  message: null,
});

function part(name: PartStatus['part'], health: PartStatus['health'], extra: Partial<PartStatus> = {}): PartStatus {
  return { part: name, health, words: `${health} words`, lastRun: null, nextRun: null, progress: null, ...extra };
}

function status(overrides: Partial<Status> = {}, parts?: PartStatus[]): Status {
  return {
    setUp: true,
    paused: false,
    useSms: true,
    sms: null,
    lms: [
      {
        id: 'a',
        name: 'Moodle A',
        provider: 'moodle',
        url: 'https://moodle.school.example',
        parts: parts ?? [
          part('upload', 'ok', { lastRun: run('ok', '2026-03-10T05:05:00Z'), nextRun: '2026-03-10T05:35:00Z' }),
          part('results', 'ok', { lastRun: run('ok', '2026-03-10T04:50:00Z'), nextRun: '2026-03-10T05:20:00Z' }),
        ],
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

const held = {
  id: 7,
  connectionId: 'a',
  part: 'upload' as const,
  message: 'Would suspend 120 students.',
  createdAt: '2026-03-10T05:00:00Z',
};

describe('the dashboard headline', () => {
  it('says All good with the newest sync and the soonest next run', () => {
    expect(headlineOf(status())).toEqual({
      tone: 'ok',
      word: 'All good',
      lastSync: '2026-03-10T05:05:00Z',
      next: '2026-03-10T05:20:00Z',
    });
  });

  it('never says All good while something failed or waits for the admin', () => {
    const failed = [part('upload', 'warning', { lastRun: run('failed', '2026-03-10T05:05:00Z') })];
    expect(headlineOf(status({}, failed)).word).toBe('Needs attention');
    expect(headlineOf(status({}, [part('upload', 'problem')])).word).toBe('Problem');
    expect(headlineOf(status({ heldPlans: [held] })).word).toBe('Waiting for you');
    expect(headlineOf(status({ openLinkDecisions: 2 })).word).toBe('Waiting for you');
    // A failed last run is not the last sync: the time is the last one that worked.
    expect(headlineOf(status({}, failed)).lastSync).toBeUndefined();
  });

  it('says Paused with no next run while paused', () => {
    const paused = headlineOf(status({ paused: true }));
    expect(paused.word).toBe('Paused');
    expect(paused.next).toBeUndefined();
  });
});

describe('what needs the admin, most urgent first', () => {
  it('puts a failing LMS before a held plan, and a part retrying after one failure last', () => {
    const problem = status({ heldPlans: [held], openLinkDecisions: 3 }, [part('upload', 'problem')]);
    expect(urgentItems(problem).map((i) => i.kind)).toEqual(['problem', 'held', 'links']);
    const retrying = status({ heldPlans: [held] }, [
      part('results', 'warning', { lastRun: run('failed', '2026-03-10T05:05:00Z') }),
    ]);
    expect(urgentItems(retrying).map((i) => i.kind)).toEqual(['held', 'trouble']);
    expect(urgentItems(retrying)[1]?.label).toBe('trouble syncing with Moodle A');
    expect(urgentItems(status())).toEqual([]);
  });
});
