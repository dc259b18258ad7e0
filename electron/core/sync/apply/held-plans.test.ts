import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS, type Snapshot } from '../../model';
import { previewUpload } from '../upload/preview-upload';

import {
  connectionFor,
  lmsView,
  moodleAdapter,
  openTestStore,
  type SimulatedSchool,
  startMoodleSim,
  startSimulatedSchool,
  stopSimulatedSchool,
  syntheticSchool,
  upload,
  writeRequests,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

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
  beforeEach(async () => {
    ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 15, 3));
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    sim.resetCounters();
  });
  afterEach(() => stopSimulatedSchool({ sim, store }));

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
      part: 'upload',
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

describe('held plans: a class vanishing is held per course', () => {
  const SCIENCE = { smsId: 'C-10SCI', code: '10SCI', name: 'Year 10 Science' };
  let withScience: Snapshot;

  // 500 students in three large courses (1,003 enrolments: the school-wide limit is 50), and Year 10
  // Science with 28 of them. The connection unenrols what the SMS drops.
  beforeEach(async () => {
    const dir = tempDir();
    sim = await startMoodleSim();
    connection = connectionFor(sim, { removalPolicy: 'unenrol' });
    school = syntheticSchool(500, 3);
    withScience = structuredClone(school);
    withScience.courses.push(SCIENCE);
    withScience.groups.push({ smsId: 'G-10SCI', courseSmsId: SCIENCE.smsId, name: '10SCI A' });
    for (const p of withScience.people.filter((p) => p.role === 'student').slice(0, 28)) {
      withScience.enrolments.push({
        personSmsId: p.smsId,
        courseSmsId: SCIENCE.smsId,
        groupSmsIds: ['G-10SCI'],
        role: 'student',
        active: true,
      });
    }
    store = openTestStore(dir, connection, withScience);
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    sim.resetCounters();
  });
  afterEach(() => stopSimulatedSchool({ sim, store }));

  const scienceStudents = () =>
    lmsView(sim, withScience).enrolments.filter((e) => e.includes('@10SCI:') && e.includes(':student:'));

  it('holds 28 of 28 unenrolments in one course, unenrolling nothing, and applies them once approved', async () => {
    expect(scienceStudents()).toHaveLength(28);
    // The next export has lost Year 10 Science's class (the students are still in their other courses).
    const next = structuredClone(withScience);
    next.enrolments = next.enrolments.filter((e) => e.courseSmsId !== SCIENCE.smsId);
    store.snapshot.replace(next, 'test');

    // The dry run warns of the same hold, with the course named.
    const dryRun = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dryRun.removals.held).toBe(true);
    expect(dryRun.removals.message).toContain('Year 10 Science (10SCI): 28 of 28 students');

    const held = await upload(store, moodleAdapter(sim), connection);

    expect(held.outcome).toBe('held');
    // The school-wide checks alone would have let it through.
    expect(held.removals.checks.every((c) => !c.exceeded)).toBe(true);
    expect(held.message).toContain(
      'This upload would take more than half of the students out of a course — Year 10 Science (10SCI): 28 of 28 students.',
    );
    expect(writeRequests(sim)).toBe(0);
    expect(sim.requestCount('enrol_manual_unenrol_users')).toBe(0);
    expect(scienceStudents()).toHaveLength(28);
    const [plan, ...others] = store.heldPlans.list();
    expect(others).toEqual([]);
    expect(plan).toMatchObject({ state: 'pending', details: { counts: { unenrol: 28 } } });
    // The review groups the removals by course, each student by name.
    expect(plan!.details.courses).toHaveLength(1);
    expect(plan!.details.courses[0]).toMatchObject({
      course: SCIENCE.smsId,
      label: 'Year 10 Science (10SCI)',
      removals: 28,
      active: 28,
      exceeded: true,
    });
    expect(plan!.details.courses[0]!.students).toHaveLength(28);
    expect(plan!.details.courses[0]!.students).toContain('Given0 Family0 (syn0)');
    // Removals by kind name the people and the course too, not their SMS keys.
    expect(plan!.details.samples.map((s) => s.label)).toContain('Given0 Family0 (syn0) from Year 10 Science (10SCI)');

    store.heldPlans.decide(plan!.id, 'approved');
    const approved = await upload(store, moodleAdapter(sim), connection);

    expect(approved.outcome).toBe('ok');
    expect(scienceStudents()).toEqual([]);
    expect(store.heldPlans.get(plan!.id)?.state).toBe('applied');
    // Their other courses are untouched.
    expect(lmsView(sim, withScience).enrolments.filter((e) => e.includes(':student:active'))).toHaveLength(1000);
  });

  it('lets a few leavers from a class through (fewer than the minimum)', async () => {
    const next = structuredClone(withScience);
    const leaving = new Set(
      next.people
        .filter((p) => p.role === 'student')
        .slice(0, 4)
        .map((p) => p.smsId),
    );
    next.enrolments = next.enrolments.filter((e) => !(e.courseSmsId === SCIENCE.smsId && leaving.has(e.personSmsId)));
    store.snapshot.replace(next, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(scienceStudents()).toHaveLength(24);
    expect(store.heldPlans.list()).toEqual([]);
  });
});
