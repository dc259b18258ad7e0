import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import type { Snapshot } from '../../model';
import { readAppliedState } from '../plan/applied-state';
import { previewUpload } from '../upload/preview-upload';
import { enrolmentKey } from '../plan';
import { DEFAULT_SETTINGS } from '../../model';
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

/** The school with S0 (syn0) gone and back as S900, the same USI: a new SMS record for the same student. */
function reEnrolledAs(newId: string): Snapshot {
  const next = structuredClone(school);
  next.people = next.people.map((p) => (p.smsId === 'S0' ? { ...p, smsId: newId } : p));
  next.enrolments = next.enrolments.map((e) => (e.personSmsId === 'S0' ? { ...e, personSmsId: newId } : e));
  return next;
}

const userOf = (username: string) => [...sim.state.users.values()].filter((u) => u.username === username && !u.deleted);

describe('re-keyed people over the Moodle simulator', () => {
  beforeEach(async () => {
    ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 15, 3));
    for (const p of school.people) if (p.role === 'student') p.extra = { usi: `USI${p.smsId}` };
    store.snapshot.replace(school, 'test');
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    sim.resetCounters();
  });
  afterEach(() => stopSimulatedSchool({ sim, store }));

  it('holds the re-key for the admin; once approved the same account has the new idnumber and keeps its courses', async () => {
    const [before] = userOf('syn0');
    const lmsBefore = lmsView(sim, school);
    const usersBefore = sim.state.users.size;
    store.snapshot.replace(reEnrolledAs('S900'), 'test');

    // The dry run says so, and that it would be held.
    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.summary).toContain('1 person re-keyed: S0 → S900 (same USI)');
    expect(dry.counts).toMatchObject({ rekeyPeople: 1, createUsers: 0, suspendUsers: 0, unenrol: 0, total: 1 });
    expect(dry.removals.held).toBe(true);

    const held = await upload(store, moodleAdapter(sim), connection);
    expect(held.outcome).toBe('held');
    expect(writeRequests(sim)).toBe(0);
    const pending = store.heldPlans.list()[0]!;
    expect(pending.message).toContain('S0 → S900 (same USI)');
    expect(pending.details.counts).toMatchObject({ rekeyPeople: 1 });
    // The review lists the re-key by name for the admin to confirm.
    expect(pending.details.samples).toContainEqual({
      kind: 'rekey-person',
      key: 'S900',
      label: expect.stringMatching(/: SMS id S0 → S900, same USI$/),
    });

    store.heldPlans.decide(pending.id, 'approved');
    const applied = await upload(store, moodleAdapter(sim), connection);
    expect(applied.outcome).toBe('ok');
    expect(store.heldPlans.get(pending.id)?.state).toBe('applied');

    // The same LMS user, now S900: not suspended, no second account, every enrolment and class kept.
    const after = userOf('syn0');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before!.id, idnumber: 'S900', suspended: false });
    expect(sim.state.users.size).toBe(usersBefore);
    expect(lmsView(sim, school)).toEqual(lmsBefore);
    expect(sim.requestCount('enrol_manual_unenrol_users')).toBe(0);
    expect(sim.requestCount('core_user_create_users')).toBe(0);
    expect(store.links.lmsId(connection.id, 'person', 'S900')).toBe(String(before!.id));
    expect(store.links.lmsId(connection.id, 'person', 'S0')).toBeUndefined();

    // Settled: the next upload writes nothing.
    sim.resetCounters();
    const next = await upload(store, moodleAdapter(sim), connection);
    expect(next.outcome).toBe('ok');
    expect(next.planned.total).toBe(0);
    expect(writeRequests(sim)).toBe(0);
  });

  it('a course whose code changes (same name and teacher) keeps its LMS course, enrolments and classes', async () => {
    const courseBefore = [...sim.state.courses.values()].find((c) => c.shortname === 'SYN0-2026')!;
    const enrolmentsBefore = sim.state.userEnrolments.length;
    const recoded = structuredClone(school);
    recoded.courses = recoded.courses.map((c) => (c.smsId === 'C0' ? { ...c, smsId: 'C0-27', code: 'SYN0-2027' } : c));
    recoded.groups = recoded.groups.map((g) => (g.courseSmsId === 'C0' ? { ...g, courseSmsId: 'C0-27' } : g));
    recoded.enrolments = recoded.enrolments.map((e) => (e.courseSmsId === 'C0' ? { ...e, courseSmsId: 'C0-27' } : e));
    store.snapshot.replace(recoded, 'test');

    const held = await upload(store, moodleAdapter(sim), connection);
    expect(held.outcome).toBe('held');
    expect(held.message).toContain('1 course re-keyed: SYN0-2026 → SYN0-2027 (same name and teachers)');
    expect(store.heldPlans.list()[0]!.details.samples).toContainEqual(
      expect.objectContaining({ kind: 'rekey-course', label: expect.stringContaining('code SYN0-2026 → SYN0-2027') }),
    );
    expect(writeRequests(sim)).toBe(0);
    store.heldPlans.decide(store.heldPlans.list()[0]!.id, 'approved');

    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    const after = sim.state.courses.get(courseBefore.id)!;
    expect(after).toMatchObject({ shortname: 'SYN0-2027', idnumber: 'SYN0-2027' });
    expect([...sim.state.courses.values()].filter((c) => c.fullname === courseBefore.fullname)).toHaveLength(1);
    expect(sim.state.userEnrolments.length).toBe(enrolmentsBefore);
    expect(sim.requestCount('enrol_manual_unenrol_users')).toBe(0);
    expect(sim.requestCount('core_course_create_courses')).toBe(0);

    sim.resetCounters();
    const next = await upload(store, moodleAdapter(sim), connection);
    expect(next.planned.total).toBe(0);
    expect(writeRequests(sim)).toBe(0);
  });

  it('a person and a course re-keyed in one upload: each move is persisted, and the next upload is settled', async () => {
    const both = reEnrolledAs('S900');
    both.courses = both.courses.map((c) => (c.smsId === 'C0' ? { ...c, smsId: 'C0-27', code: 'SYN0-2027' } : c));
    both.groups = both.groups.map((g) => (g.courseSmsId === 'C0' ? { ...g, courseSmsId: 'C0-27' } : g));
    both.enrolments = both.enrolments.map((e) => (e.courseSmsId === 'C0' ? { ...e, courseSmsId: 'C0-27' } : e));
    store.snapshot.replace(both, 'test');
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('held');
    store.heldPlans.decide(store.heldPlans.list()[0]!.id, 'approved');
    const applied = await upload(store, moodleAdapter(sim), connection);
    expect(applied.outcome).toBe('ok');
    expect(applied.report?.kinds.rekeyPeople.ok).toBe(1);
    expect(applied.report?.kinds.rekeyCourses.ok).toBe(1);

    const state = readAppliedState(store, connection.id);
    expect(state.courses['C0-27']).toMatchObject({ idnumber: 'SYN0-2027' });
    expect(state.courses.C0).toBeUndefined();
    expect(state.enrolments[enrolmentKey('S900', 'C0-27')]).toMatchObject({ person: 'S900', course: 'C0-27' });
    expect(Object.values(state.enrolments).some((e) => e.person === 'S0' || e.course === 'C0')).toBe(false);
    expect(state.groups.G0?.course).toBe('C0-27');

    sim.resetCounters();
    const next = await upload(store, moodleAdapter(sim), connection);
    expect(next.planned.total).toBe(0);
    expect(writeRequests(sim)).toBe(0);
  });
});
