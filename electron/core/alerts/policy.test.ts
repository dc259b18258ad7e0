import { describe, expect, it } from 'vitest';
import { finished, part, status } from '../../test-support/status-fixtures';
import type { Run } from '../model';
import { digestOf, nextDigestAt } from './digest';
import { isQuiet, quietEnds } from './quiet-hours';
import { decideTransitions, EMPTY_TRANSITION_MEMORY, type TransitionMemory } from './transitions';

const problem = status(
  {},
  { upload: part('upload', 'problem', { lastRun: finished('upload', 'failed', 1), fix: 'New token.' }) },
);
const late = {
  source: 'KAMAR full push',
  lastAt: '2026-03-09T09:14:00.000Z',
  everyHours: 24,
  learnt: true,
  words: 'No KAMAR full push since Monday 22:14 — usually every night.',
  fix: 'Check KAMAR.',
};

function replay(
  statuses: Parameters<typeof decideTransitions>[1][],
  memory: TransitionMemory = EMPTY_TRANSITION_MEMORY,
) {
  const kinds: string[][] = [];
  for (const input of statuses) {
    const decided = decideTransitions(memory, input);
    kinds.push(decided.transitions.map((t) => t.kind));
    memory = decided.memory;
  }
  return { kinds, memory };
}

describe('the transition policy', () => {
  it('a problem with its diagnosis and fix, once per transition, not once per retry', () => {
    const first = decideTransitions(EMPTY_TRANSITION_MEMORY, { status: problem });
    expect(first.transitions).toEqual([
      {
        kind: 'problem',
        parts: [
          {
            key: 'a:upload',
            lmsId: 'a',
            lmsName: 'Moodle A',
            part: 'upload',
            words: 'No successful run for 2 hours. The token no longer works.',
            fix: 'New token.',
          },
        ],
      },
    ]);
    expect(replay([{ status: problem }, { status: problem }, { status: problem }]).kinds).toEqual([
      ['problem'],
      [],
      [],
    ]);
    expect(replay([{ status: problem }, { status: status() }, { status: problem }]).kinds).toEqual([
      ['problem'],
      [],
      ['problem'],
    ]);
  });

  it('link decisions: told when some start waiting, again only after all were decided', () => {
    const waiting = (n: number) => ({ status: status({ openLinkDecisions: n }) });
    expect(replay([waiting(3), waiting(5), waiting(0), waiting(1)]).kinds).toEqual([['links'], [], [], ['links']]);
  });

  it('a late source: told once while late, again after it sent and is late again', () => {
    const lateStatus = { status: status({ lateSource: late }) };
    const fine = { status: status({ lateSource: null }) };
    expect(replay([lateStatus, lateStatus, fine, lateStatus]).kinds).toEqual([
      ['late-source'],
      [],
      [],
      ['late-source'],
    ]);
  });

  it('the memory is plain JSON: a restart tells nothing again', () => {
    const { memory } = replay([{ status: { ...problem, openLinkDecisions: 2, lateSource: late } }]);
    const reloaded = JSON.parse(JSON.stringify(memory)) as TransitionMemory;
    expect(replay([{ status: { ...problem, openLinkDecisions: 2, lateSource: late } }], reloaded).kinds).toEqual([[]]);
  });
});

describe('quiet hours (the school’s time zone)', () => {
  const quiet = { start: '22:00', end: '06:30' };
  const tz = 'Pacific/Auckland';
  it('crosses midnight, and ends at the local end time', () => {
    expect(isQuiet(new Date('2026-03-10T10:00:00Z'), quiet, tz)).toBe(true); // 23:00 NZDT
    expect(isQuiet(new Date('2026-03-10T17:00:00Z'), quiet, tz)).toBe(true); // 06:00
    expect(isQuiet(new Date('2026-03-10T17:30:00Z'), quiet, tz)).toBe(false); // 06:30
    expect(isQuiet(new Date('2026-03-10T02:00:00Z'), quiet, tz)).toBe(false); // 15:00
    expect(quietEnds(new Date('2026-03-10T10:00:00Z'), quiet, tz).toISOString()).toBe('2026-03-10T17:30:00.000Z');
    expect(isQuiet(new Date('2026-03-10T10:00:00Z'), undefined, tz)).toBe(false);
  });
});

describe('the digest', () => {
  it('comes due at the local time, daily or on the weekday', () => {
    const since = new Date('2026-03-10T00:00:00Z'); // Tuesday 13:00 NZDT
    expect(nextDigestAt(since, { every: 'day', at: '07:30', weekday: 1 }, 'Pacific/Auckland')?.toISOString()).toBe(
      '2026-03-10T18:30:00.000Z',
    );
    expect(nextDigestAt(since, { every: 'week', at: '07:30', weekday: 1 }, 'Pacific/Auckland')?.toISOString()).toBe(
      '2026-03-15T18:30:00.000Z',
    );
    expect(nextDigestAt(since, { every: 'off', at: '07:30', weekday: 1 }, 'UTC')).toBeUndefined();
  });

  it('counts what ran, the imports, the changes and the results delivered in the period', () => {
    const run = (id: number, over: Partial<Run>): Run => ({
      id,
      connectionId: 'moodle',
      part: 'upload',
      trigger: 'schedule',
      startedAt: '2026-03-10T01:00:00.000Z',
      finishedAt: '2026-03-10T01:01:00.000Z',
      outcome: 'ok',
      counts: {},
      message: null,
      ...over,
    });
    const runs = [
      run(1, { counts: { created: 3, updated: 2, enrolled: 10 } }),
      run(2, { outcome: 'failed' }),
      run(3, { part: 'results', counts: { results: 400, delivered: 12 } }),
      run(4, { connectionId: null, counts: { people: 900 } }),
      run(5, { connectionId: null, outcome: 'failed' }),
      run(6, { startedAt: '2026-03-08T00:00:00.000Z', counts: { created: 99 } }),
    ];
    const digest = digestOf(
      runs,
      new Map([['moodle', 'Moodle']]),
      4,
      new Date('2026-03-09T00:00:00Z'),
      new Date('2026-03-11T00:00:00Z'),
    );
    expect(digest).toMatchObject({
      parts: [
        { lms: 'Moodle', part: 'upload', ok: 1, failed: 1, partial: 0, held: 0 },
        { lms: 'Moodle', part: 'results', ok: 1 },
      ],
      imports: { ok: 1, failed: 1 },
      counts: { created: 3, updated: 2, enrolled: 10 },
      openErrors: 4,
      resultsDelivered: 12,
    });
  });
});
