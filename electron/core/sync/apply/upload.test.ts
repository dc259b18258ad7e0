import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';

import { readAppliedState } from '../plan/applied-state';
import { trackCourses } from '../course-tracking';
import {
  lmsView,
  moodleAdapter,
  type SimulatedSchool,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
  writeRequests,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 15, 3));
});
afterEach(() => stopSimulatedSchool({ sim, store }));

describe('runUpload against the Moodle simulator', () => {
  it('creates every user, course, group, enrolment and membership on the first upload', async () => {
    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    const view = lmsView(sim, school);
    expect(view.users).toHaveLength(16);
    expect(view.courses).toEqual(['SYN0-2026', 'SYN1-2026', 'SYN2-2026']);
    expect(view.enrolments).toHaveLength(15 * 2 + 3);
    expect(view.enrolments).toContain('tteacher@SYN0-2026:editingteacher:active');
    expect(view.enrolments).toContain('syn0@SYN1-2026:student:active');
    expect(view.members).toHaveLength(30);
    expect(result.report?.created).toBe(16 + 3 + 3 + 33 + 30);
    // Everything learnt is linked and persisted.
    expect(store.links.all(connection.id, 'person').size).toBe(16);
    expect(Object.keys(readAppliedState(store, connection.id).enrolments)).toHaveLength(33);
    const run = store.runs.last(connection.id, 'upload');
    expect(run?.outcome).toBe('ok');
    expect(run?.counts.created).toBe(result.report?.created);
  });

  it('makes no LMS request at all when nothing changed', async () => {
    await upload(store, moodleAdapter(sim), connection);
    sim.resetCounters();

    const second = await upload(store, moodleAdapter(sim), connection);

    expect(second.outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);
    expect(sim.requestCount()).toBe(0);
    expect(second.report?.unchanged).toBeGreaterThan(0);
  });

  it('sends one update request for one changed field', async () => {
    await upload(store, moodleAdapter(sim), connection);
    sim.resetCounters();
    const changed = structuredClone(school);
    changed.people.find((p) => p.smsId === 'S3')!.familyName = 'Renamed';
    store.snapshot.replace(changed, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(writeRequests(sim)).toBe(1);
    expect(lmsView(sim, changed).users).toContain('syn3:Given3 Renamed:active');
    expect(result.report?.updated).toBe(1);
  });

  it('suspends a student who left the SMS (removal policy suspend)', async () => {
    await upload(store, moodleAdapter(sim), connection);
    const left = structuredClone(school);
    left.people = left.people.filter((p) => p.smsId !== 'S4');
    left.enrolments = left.enrolments.filter((e) => e.personSmsId !== 'S4');
    store.snapshot.replace(left, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(lmsView(sim, school).users).toContain('syn4:Given4 Family4:suspended');
    // Others untouched; the user is suspended, never deleted.
    expect(lmsView(sim, school).users.filter((u) => u.endsWith(':suspended'))).toHaveLength(1);
    expect(readAppliedState(store, connection.id).people.S4?.suspended).toBe(true);
  });

  it('holds a plan that would suspend half the students, and changes nothing in the LMS', async () => {
    await upload(store, moodleAdapter(sim), connection);
    const before = lmsView(sim, school);
    const stateBefore = readAppliedState(store, connection.id);
    sim.resetCounters();
    const truncated = structuredClone(school);
    const gone = new Set(
      truncated.people
        .filter((p) => p.role === 'student')
        .slice(0, 8)
        .map((p) => p.smsId),
    );
    truncated.people = truncated.people.filter((p) => !gone.has(p.smsId));
    truncated.enrolments = truncated.enrolments.filter((e) => !gone.has(e.personSmsId));
    store.snapshot.replace(truncated, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('held');
    expect(result.message).toMatch(/suspend 8 of 15 students/);
    expect(sim.requestCount()).toBe(0);
    expect(lmsView(sim, school)).toEqual(before);
    expect(readAppliedState(store, connection.id)).toEqual(stateBefore);
    expect(store.runs.last(connection.id, 'upload')?.outcome).toBe('held');
  });

  it('records a rejected record as a run error and applies the rest', async () => {
    const bad = structuredClone(school);
    // Moodle refuses a second account with an email it already has (allowaccountssameemail is off).
    bad.people.find((p) => p.smsId === 'S2')!.email = 'admin@example.invalid';
    store.snapshot.replace(bad, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('partial');
    const errors = store.runs.listErrors({ connectionId: connection.id });
    expect(errors.map((e) => [e.recordKind, e.recordKey])).toContainEqual(['person', 'S2']);
    expect(errors.every((e) => e.fix.length > 0)).toBe(true);
    const view = lmsView(sim, bad);
    expect(view.users).toHaveLength(15);
    // S2's enrolments and memberships were not sent (their user is missing), the others were.
    expect(result.report?.kinds.enrol.skipped).toBe(2);
    expect(view.enrolments).toHaveLength(31);
  });

  it('does not take over an LMS user whose username matches but who belongs to someone else', async () => {
    const clash = structuredClone(school);
    // s1001 exists in the LMS with its own idnumber.
    clash.people.find((p) => p.smsId === 'S5')!.username = 's1001';
    store.snapshot.replace(clash, 'test');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('partial');
    const error = store.runs.listErrors({ connectionId: connection.id }).find((e) => e.recordKey === 'S5');
    expect(error?.message).toMatch(/username "s1001" is already used/);
    expect(store.links.lmsId(connection.id, 'person', 'S5')).toBeUndefined();
  });

  it('applies only user operations for an upload kept to profiles', async () => {
    const result = await upload(store, moodleAdapter(sim), connection, { only: 'profiles' });

    expect(result.outcome).toBe('ok');
    const view = lmsView(sim, school);
    expect(view.users).toHaveLength(16);
    expect(view.courses).toHaveLength(0);
    expect(store.runs.last(connection.id, 'upload')?.outcome).toBe('ok');
    // The full upload afterwards creates the rest and no user.
    sim.resetCounters();
    await upload(store, moodleAdapter(sim), connection);
    expect(sim.requestCount('core_user_create_users')).toBe(0);
    expect(lmsView(sim, school).enrolments).toHaveLength(33);
  });
});

describe('groups an admin already made in an existing course', () => {
  it('links the group with the same name instead of making a second, without looking in every course first', async () => {
    // The admin's own courses, one with the class's group made by hand (no idnumber), tracked and Open.
    const adapter = moodleAdapter(sim);
    const made = await adapter.createCourses(
      school.courses.map((c) => ({ fullname: c.name, shortname: c.code, idnumber: c.code, categoryId: 1 })),
    );
    const courseIds = made.outcomes.map((o) => (o.ok ? o.value.id : 0));
    await adapter.createGroups([{ courseId: courseIds[0]!, name: 'Class 0A' }]);
    await trackCourses(adapter, store, connection.id);
    for (const c of store.lmsCourses.list({ connectionId: connection.id }))
      store.lmsCourses.setState(connection.id, c.lmsId, 'Open');
    sim.resetCounters();

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(store.runs.listErrors({ connectionId: connection.id })).toEqual([]);
    expect(result.report?.skippedOps).toEqual([]);
    expect(result.outcome).toBe('ok');
    const groups = [...sim.state.groups.values()].filter((g) => g.courseid === courseIds[0]);
    expect(groups.map((g) => g.name)).toEqual(['Class 0A']);
    expect(lmsView(sim, school).members.filter((m) => m.endsWith('/Class 0A'))).toHaveLength(10);
    expect(result.report?.linked).toBe(1);
    // Looked up only in the course whose create was refused.
    expect(sim.requestCount('core_group_get_course_groups')).toBe(1);
  });
});
