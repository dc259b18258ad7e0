import { describe, expect, it } from 'vitest';
import type { Status } from '../../core/contract/contract';
import { finished, part, status } from '../../test-support/status-fixtures';
import {
  decideNotifications,
  EMPTY_MEMORY,
  type NotificationMemory,
  type ShellNotification,
} from './notification-policy';

/** Feeds statuses one after another, as status:changed would, and collects every notification. */
function replay(
  inputs: Parameters<typeof decideNotifications>[1][],
  start: NotificationMemory = EMPTY_MEMORY,
): { shown: ShellNotification[][]; memory: NotificationMemory } {
  let memory = start;
  const shown: ShellNotification[][] = [];
  for (const input of inputs) {
    const decided = decideNotifications(memory, input);
    shown.push(decided.notifications);
    memory = decided.memory;
  }
  return { shown, memory };
}

const ok = status();
const failingUnderThreshold = status(
  {},
  { upload: part('upload', 'warning', { lastRun: finished('upload', 'failed', 1) }) },
);
const problem = status(
  {},
  {
    upload: part('upload', 'problem', {
      lastRun: finished('upload', 'failed', 1),
      fix: 'Create a new token.',
    }),
  },
);
const retrying = status(
  {},
  { upload: part('upload', 'problem', { lastRun: finished('upload', 'failed', 1), progress: null }) },
);
const held = (id: number): Status =>
  status(
    {
      heldPlans: [{ id, connectionId: 'a', part: 'upload', message: 'It would suspend 412 students.', createdAt: '' }],
    },
    { upload: part('upload', 'warning', { lastRun: finished('upload', 'held', 1) }) },
  );

describe('notification policy', () => {
  it('a part turning problem is told once, with its cause and fix; a retry storm tells nothing more', () => {
    const { shown } = replay([
      { status: ok },
      { status: failingUnderThreshold },
      { status: problem },
      ...Array.from({ length: 20 }, () => ({ status: retrying })),
      { status: problem },
    ]);
    expect(shown.flat()).toEqual([
      {
        kind: 'problem',
        title: 'Upload to Moodle A has a problem',
        body: 'No successful run for 2 hours. The token no longer works. Create a new token.',
      },
    ]);
    expect(shown[2]).toHaveLength(1);
  });

  it('tells a problem again only after the part synced in between (ok or partial), not after a held run', () => {
    const partial = status({}, { upload: part('upload', 'warning', { lastRun: finished('upload', 'partial', 1) }) });
    const { shown } = replay([
      { status: problem },
      { status: held(1) },
      { status: problem },
      { status: ok },
      { status: problem },
      { status: partial },
      { status: problem },
    ]);
    expect(shown.map((n) => n.filter((x) => x.kind === 'problem').length)).toEqual([1, 0, 0, 0, 1, 0, 1]);
  });

  it('several parts turning problem at once give one notification naming them', () => {
    const outage = status(
      {},
      {
        upload: part('upload', 'problem'),
        results: part('results', 'problem'),
        'course-tracking': part('course-tracking', 'problem'),
      },
    );
    const { shown } = replay([{ status: ok }, { status: outage }, { status: outage }]);
    expect(shown.flat()).toEqual([
      {
        kind: 'problem',
        title: '3 parts of the sync have a problem',
        body: 'Upload to Moodle A, Download from Moodle A, Course list of Moodle A. Open ClassBridge to see why.',
      },
    ]);
  });

  it('tells nothing new while paused or before setup; a problem still there after Resume is told then', () => {
    const pausedProblem = { ...problem, paused: true };
    const { shown } = replay([
      { status: pausedProblem },
      { status: { ...problem, setUp: false } },
      { status: problem },
    ]);
    expect(shown.map((n) => n.length)).toEqual([0, 0, 1]);
  });

  it('a held plan is told once while it waits, even when each run supersedes it with a new one', () => {
    const { shown, memory } = replay([{ status: ok }, { status: held(1) }, { status: held(2) }, { status: held(3) }]);
    expect(shown.flat()).toEqual([
      {
        kind: 'held',
        title: 'An upload to Moodle A is waiting for your approval',
        body: 'It would suspend 412 students. Open ClassBridge to review it.',
      },
    ]);
    expect(memory.held).toEqual(['a:upload']);
    // Approved or rejected (none waiting), then held again: a new question.
    const again = replay([{ status: ok }, { status: held(9) }], memory);
    expect(again.shown.map((n) => n.length)).toEqual([0, 1]);
  });

  it('an update is announced once per version', () => {
    const { shown } = replay([
      { status: ok, updateReady: { version: '1.2.0' } },
      { status: ok, updateReady: { version: '1.2.0' } },
      { updateReady: { version: '1.2.0' } },
      { status: ok, updateReady: { version: '1.3.0' } },
    ]);
    expect(shown.map((n) => n.map((x) => x.kind))).toEqual([['update'], [], [], ['update']]);
    expect(shown[0]?.[0]?.body).toBe(
      'Version 1.2.0 is downloaded. Click to restart ClassBridge now, or it is installed at the next restart.',
    );
  });

  it('no status (the engine did not answer) changes nothing; the memory is plain JSON that survives a restart', () => {
    const first = replay([{ status: problem }, { status: held(1) }]);
    const reloaded = JSON.parse(JSON.stringify(first.memory)) as NotificationMemory;
    const { shown } = replay([{}, { status: { ...held(1), lms: problem.lms } }], reloaded);
    expect(shown.flat()).toEqual([]);
  });

  it('forgets a part whose LMS connection was removed', () => {
    const { memory } = replay([{ status: problem }, { status: { ...ok, lms: [] } }]);
    expect(memory.problems).toEqual([]);
  });
});
