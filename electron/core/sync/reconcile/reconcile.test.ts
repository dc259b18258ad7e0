import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LmsAdapter } from '../../../../adapters/contract';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS } from '../../model';
import { trackCourses } from '../course-tracking';
import { enrolmentKey } from '../plan';
import { readAppliedState } from '../plan/applied-state';
import { previewUpload } from '../upload/preview-upload';

import {
  lmsView,
  moodleAdapter,
  type SimulatedSchool,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
  writeRequests,
} from '../../../test-support/upload-harness';
import { runReconcile } from './run-reconcile';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 12, 3));
  expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
  sim.resetCounters();
});
afterEach(() => stopSimulatedSchool({ sim, store }));

const reconcile = (adapter: LmsAdapter = moodleAdapter(sim)) =>
  runReconcile({ adapter, store, connection, settings: DEFAULT_SETTINGS, trigger: 'manual' });

/** The real adapter, noting every course id reconcile asks for by id. */
function watchedAdapter(): { adapter: LmsAdapter; askedIds: number[] } {
  const real = moodleAdapter(sim);
  const askedIds: number[] = [];
  const adapter = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'findCourses')
        return (field: 'id' | 'idnumber' | 'shortname', values: readonly (string | number)[]) => {
          if (field === 'id') askedIds.push(...values.map(Number));
          return target.findCourses(field, values);
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { adapter, askedIds };
}

function simUser(username: string) {
  const user = [...sim.state.users.values()].find((u) => u.username === username && !u.deleted);
  if (!user) throw new Error(`no user ${username} in the simulator`);
  return user;
}
function simCourse(shortname: string) {
  const course = [...sim.state.courses.values()].find((c) => c.shortname === shortname);
  if (!course) throw new Error(`no course ${shortname} in the simulator`);
  return course;
}
/** What Moodle's delete_user() does: ends every enrolment and membership, frees the username and idnumber. */
function deleteByHand(username: string): void {
  const user = simUser(username);
  sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => ue.userid !== user.id);
  sim.state.roleAssignments = sim.state.roleAssignments.filter((ra) => ra.userid !== user.id);
  for (const group of sim.state.groups.values()) group.members = group.members.filter((m) => m !== user.id);
  user.deleted = true;
  user.username = `${user.email}.${Date.now()}`;
  user.idnumber = '';
}
/** What Moodle's delete_course() does: the course goes with its enrolment methods, enrolments, roles and groups. */
function deleteCourseByHand(shortname: string): number {
  const course = simCourse(shortname);
  const instances = new Set(
    [...sim.state.enrolInstances.values()].filter((i) => i.courseid === course.id).map((i) => i.id),
  );
  for (const id of instances) sim.state.enrolInstances.delete(id);
  sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => !instances.has(ue.enrolid));
  sim.state.roleAssignments = sim.state.roleAssignments.filter((ra) => ra.courseid !== course.id);
  for (const g of [...sim.state.groups.values()]) if (g.courseid === course.id) sim.state.groups.delete(g.id);
  sim.state.courses.delete(course.id);
  return course.id;
}
/** Course tracking as the scheduler runs it, and every course it found opened by the admin. */
async function trackAndOpenAll(): Promise<void> {
  await trackCourses(moodleAdapter(sim), store, connection.id);
  for (const c of store.lmsCourses.list({ connectionId: connection.id }))
    store.lmsCourses.setState(connection.id, c.lmsId, 'Open');
}
/** What an LMS admin's "Unenrol" does: the user enrolment and the role assignment go. */
function unenrolByHand(username: string, shortname: string): void {
  const user = simUser(username);
  const course = simCourse(shortname);
  const instances = new Set(
    [...sim.state.enrolInstances.values()].filter((i) => i.courseid === course.id).map((i) => i.id),
  );
  sim.state.userEnrolments = sim.state.userEnrolments.filter(
    (ue) => !(ue.userid === user.id && instances.has(ue.enrolid)),
  );
  sim.state.roleAssignments = sim.state.roleAssignments.filter(
    (ra) => !(ra.userid === user.id && ra.courseid === course.id),
  );
}

describe('reconcile against the Moodle simulator', () => {
  it('reads the LMS back and writes nothing when nothing drifted', async () => {
    const result = await reconcile();

    expect(result.outcome).toBe('ok');
    expect(result.drifts).toEqual([]);
    expect(writeRequests(sim)).toBe(0);
    expect(sim.requestCount('core_user_get_users_by_field')).toBeGreaterThan(0);
    expect(sim.requestCount('core_enrol_get_enrolled_users')).toBe(3);
    expect(result.message).toContain('nothing had drifted');
    expect(store.runs.last(connection.id, 'reconcile')).toMatchObject({ outcome: 'ok', counts: { drifted: 0 } });
  });

  it('repairs records changed or removed by hand and reports each repair', async () => {
    const expected = lmsView(sim, school);
    simUser('syn1').email = 'typo@elsewhere.example';
    simUser('syn2').suspended = true;
    deleteByHand('syn3');
    unenrolByHand('syn0', 'SYN0-2026');

    const result = await reconcile();

    expect(store.runs.listErrors({ part: 'reconcile' })).toEqual([]);
    expect(result.outcome).toBe('ok');
    expect(lmsView(sim, school)).toEqual(expected);
    expect(simUser('syn1').email).toBe('syn1@school.example');
    // Re-created, not resurrected: a new account with the SMS's values, enrolled and in its groups again.
    expect(simUser('syn3').idnumber).not.toBe('');
    const repairs = store.runs.listRepairs(result.runId);
    const byKey = new Map(repairs.map((r) => [r.recordKey, r]));
    expect(byKey.get('S1')).toMatchObject({
      drift: 'email is "typo@elsewhere.example" in the LMS, ClassBridge set "syn1@school.example"',
      repair: 'ClassBridge set the fields back to the SMS values.',
    });
    expect(byKey.get('S2')?.drift).toBe('the user was suspended in the LMS');
    expect(byKey.get('S2')?.repair).toMatch(/^ClassBridge (reactivated the user|set the fields back)/);
    expect(byKey.get('S3')).toMatchObject({ drift: 'user syn3 was deleted in the LMS' });
    expect(byKey.get('S3')?.repair).toContain('created the user again');
    expect(byKey.get(JSON.stringify(['S0', 'C0']))).toMatchObject({
      recordKind: 'enrolment',
      course: 'SYN0-2026',
      drift: 'syn0 was unenrolled from SYN0-2026 in the LMS',
      repair: 'ClassBridge enrolled again.',
    });
    expect(repairs).toHaveLength(4);

    // Repaired for good: the next reconcile finds nothing and the next upload sends nothing.
    sim.resetCounters();
    expect((await reconcile()).drifts).toEqual([]);
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);
  });

  it('never removes anything, and leaves pending SMS changes to the upload', async () => {
    const changed = structuredClone(school);
    changed.people = changed.people.filter((p) => p.smsId !== 'S5');
    changed.enrolments = changed.enrolments.filter((e) => e.personSmsId !== 'S5');
    changed.people.find((p) => p.smsId === 'S6')!.familyName = 'Renamed';
    store.snapshot.replace(changed, 'test');
    simUser('syn7').firstname = 'Edited';

    const result = await reconcile();

    expect(result.drifts.map((d) => d.recordKey)).toEqual(['S7']);
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(writeRequests(sim)).toBe(1);
    expect(simUser('syn5').suspended).toBe(false);
    expect(simUser('syn6').lastname).toBe('Family6');
    expect(simUser('syn7').firstname).toBe('Given7');
  });

  it('a course deleted in Moodle and marked Deleted by course tracking: not asked for, its enrolments left on record', async () => {
    await trackAndOpenAll();
    const deletedId = deleteCourseByHand('SYN1-2026');
    expect((await trackCourses(moodleAdapter(sim), store, connection.id)).deleted).toBe(1);
    const before = store.appliedState.read(connection.id);
    sim.resetCounters();
    const { adapter, askedIds } = watchedAdapter();

    const result = await reconcile(adapter);

    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('ok');
    expect(askedIds.length).toBeGreaterThan(0);
    expect(askedIds).not.toContain(deletedId);
    expect(result.drifts).toEqual([]);
    expect(result.message).toContain('Not checked, as Deleted in the LMS: SYN1-2026.');
    expect(sim.requestCount('core_enrol_get_enrolled_users')).toBe(2);
    expect(writeRequests(sim)).toBe(0);
    // Kept on the old enrolments: the applied state still names the course.
    expect(store.appliedState.read(connection.id)).toEqual(before);
    expect(store.runs.listErrors({ part: 'reconcile' })).toEqual([]);
  });

  it('a course deleted since course tracking last ran: reconcile still ends ok, and neither makes it again nor enrols into it', async () => {
    await trackAndOpenAll();
    deleteCourseByHand('SYN1-2026');
    sim.resetCounters();

    const result = await reconcile();

    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('ok');
    expect(result.drifts).toEqual([
      expect.objectContaining({
        recordKind: 'course',
        recordKey: 'C1',
        drift: 'course SYN1-2026 was deleted in the LMS',
      }),
    ]);
    expect(writeRequests(sim)).toBe(0);
    expect([...sim.state.courses.values()].map((c) => c.shortname)).not.toContain('SYN1-2026');
    expect(store.runs.listRepairs(result.runId)).toEqual([
      expect.objectContaining({
        recordKey: 'C1',
        repair: expect.stringMatching(/^Left as it is: a course deleted in the LMS is not made again/),
      }),
    ]);
    expect(readAppliedState(store, connection.id).enrolments[enrolmentKey('T1', 'C1')]).toBeDefined();
  });

  it('after course tracking marks it Deleted, the upload sends nothing into it and its dry run says what is not sent', async () => {
    await trackAndOpenAll();
    deleteCourseByHand('SYN1-2026');
    await trackCourses(moodleAdapter(sim), store, connection.id);
    sim.resetCounters();

    const dryRun = previewUpload(store, connection, DEFAULT_SETTINGS);
    // 12 students in two of three courses each: 8 of them and the teacher in SYN1, with one class.
    expect(dryRun.summary).toBe(
      'Nothing to change. 9 enrolments and 1 class of SYN1-2026 are not sent: the course was deleted in the LMS.',
    );
    expect(dryRun.counts.total).toBe(0);

    const uploaded = await upload(store, moodleAdapter(sim), connection, {
      planOptions: { allowCourseCreation: true },
    });
    expect(uploaded.outcome).toBe('ok');
    // The run's own message (dashboard, status) says it too, not only the dry run.
    expect(uploaded.message).toContain(
      '9 enrolments and 1 class of SYN1-2026 are not sent: the course was deleted in the LMS.',
    );
    expect(writeRequests(sim)).toBe(0);
  });

  it('ends failed with the LMS error when the token is revoked, changing nothing', async () => {
    sim.deleteToken(sim.token);
    const before = store.appliedState.read(connection.id);

    const result = await reconcile();

    expect(result.outcome).toBe('failed');
    expect(result.error?.kind).toBe('invalid-token');
    expect(store.appliedState.read(connection.id)).toEqual(before);
    expect(store.runs.last(connection.id, 'reconcile')).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/^The reconcile stopped: /),
    });
  });
});
