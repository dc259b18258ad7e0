import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import type { Snapshot } from '../../model';

import {
  lmsView,
  moodleAdapter,
  type SimulatedSchool,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
  writeRequests,
} from './test-support';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 15, 3));
  expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
  sim.resetCounters();
});
afterEach(() => stopSimulatedSchool({ sim, store }));

/** The school without its first `n` students, as an export that lost records would be. */
function withoutStudents(n: number): Snapshot {
  const truncated = structuredClone(school);
  const gone = new Set(
    truncated.people
      .filter((p) => p.role === 'student')
      .slice(0, n)
      .map((p) => p.smsId),
  );
  truncated.people = truncated.people.filter((p) => !gone.has(p.smsId));
  truncated.enrolments = truncated.enrolments.filter((e) => !gone.has(e.personSmsId));
  return truncated;
}

const suspended = () => lmsView(sim, school).users.filter((u) => u.endsWith(':suspended')).length;

describe('held plans: the safety rail waits for the admin', () => {
  it('records one pending plan with what it would remove, however often it is held', async () => {
    store.snapshot.replace(withoutStudents(8), 'test');

    const first = await upload(store, moodleAdapter(sim), connection);
    const second = await upload(store, moodleAdapter(sim), connection);

    expect([first.outcome, second.outcome]).toEqual(['held', 'held']);
    expect(writeRequests(sim)).toBe(0);
    const pending = store.heldPlans.list();
    expect(pending).toHaveLength(1);
    // The run's message (dashboard, status, notification) says where the admin decides.
    expect(first.message).toContain(`classbridge held approve ${pending[0]!.id}`);
    expect(first.message).toContain('Review on the dashboard');
    expect(pending[0]).toMatchObject({
      connectionId: connection.id,
      part: 'enrolments',
      state: 'pending',
      runId: second.runId,
      message: expect.stringContaining('suspend 8 of 15 students'),
      details: { counts: { suspendUsers: 8 } },
    });
    expect(pending[0]?.details.samples.filter((s) => s.kind === 'suspend-user').map((s) => s.label)).toContain(
      'Given0 Family0 (syn0)',
    );
  });

  it('applies exactly the approved removals on the next upload, then marks the plan applied', async () => {
    store.snapshot.replace(withoutStudents(8), 'test');
    await upload(store, moodleAdapter(sim), connection);
    const plan = store.heldPlans.list()[0]!;

    expect(store.heldPlans.decide(plan.id, 'approved')?.state).toBe('approved');
    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(suspended()).toBe(8);
    expect(store.heldPlans.get(plan.id)?.state).toBe('applied');
    expect(store.heldPlans.list()).toEqual([]);
    // A decided plan cannot be decided again.
    expect(store.heldPlans.decide(plan.id, 'rejected')).toBeUndefined();
  });

  it('holds again when the removals differ from what was approved', async () => {
    store.snapshot.replace(withoutStudents(8), 'test');
    await upload(store, moodleAdapter(sim), connection);
    const approved = store.heldPlans.list()[0]!;
    store.heldPlans.decide(approved.id, 'approved');

    store.snapshot.replace(withoutStudents(10), 'test');
    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('held');
    expect(writeRequests(sim)).toBe(0);
    expect(store.heldPlans.get(approved.id)?.state).toBe('superseded');
    expect(store.heldPlans.list()).toMatchObject([{ state: 'pending', details: { counts: { suspendUsers: 10 } } }]);
  });

  it('keeps holding a rejected plan, says so, and closes it once the SMS is fixed', async () => {
    store.snapshot.replace(withoutStudents(8), 'test');
    await upload(store, moodleAdapter(sim), connection);
    const plan = store.heldPlans.list()[0]!;
    store.heldPlans.decide(plan.id, 'rejected');

    const again = await upload(store, moodleAdapter(sim), connection);
    expect(again.outcome).toBe('held');
    expect(again.message).toMatch(/^Held: you rejected these removals on \d{4}-\d\d-\d\d/);
    expect(store.heldPlans.list()).toEqual([]);
    expect(writeRequests(sim)).toBe(0);

    store.snapshot.replace(school, 'test');
    const fixed = await upload(store, moodleAdapter(sim), connection);
    expect(fixed.outcome).toBe('ok');
    expect(store.heldPlans.get(plan.id)?.state).toBe('superseded');
    expect(suspended()).toBe(0);
  });

  it('resumes an approved apply that stopped half-way without asking again', async () => {
    store.snapshot.replace(withoutStudents(8), 'test');
    await upload(store, moodleAdapter(sim), connection);
    const plan = store.heldPlans.list()[0]!;
    store.heldPlans.decide(plan.id, 'approved');
    const abort = new AbortController();
    const stopping = moodleAdapter(sim);
    const suspendUsers = stopping.suspendUsers.bind(stopping);
    stopping.suspendUsers = async (ids) => {
      const result = await suspendUsers(ids.slice(0, 3));
      abort.abort();
      return { outcomes: [...result.outcomes, ...ids.slice(3).map(() => result.outcomes[0]!)], notes: [] };
    };
    // The first three are suspended, then the run stops; the approval covers what is left.
    await upload(store, stopping, connection, { signal: abort.signal, batchSize: 3 }).catch(() => undefined);
    const resumed = await upload(store, moodleAdapter(sim), connection);

    expect(resumed.outcome).toBe('ok');
    expect(suspended()).toBe(8);
    expect(store.heldPlans.get(plan.id)?.state).toBe('applied');
  });
});
