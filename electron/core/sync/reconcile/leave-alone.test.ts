import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS } from '../../model';
import { trackCourses } from '../course-tracking';
import { enrolmentKey } from '../plan';
import { readAppliedState } from '../plan/applied-state';
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

/** SYN0-2026 is the school's own course (made in Moodle before ClassBridge); SYN1 and SYN2 ClassBridge creates. */
beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 12, 3));
  const adapter = moodleAdapter(sim);
  const own = school.courses[0]!;
  await adapter.createCourses([{ fullname: own.name, shortname: own.code, idnumber: own.code, categoryId: 1 }]);
  await trackCourses(adapter, store, connection.id);
  for (const c of store.lmsCourses.list({ connectionId: connection.id }))
    store.lmsCourses.setState(connection.id, c.lmsId, 'Open');
  expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
  expect(readAppliedState(store, connection.id).courses).toMatchObject({
    C0: { origin: 'matched' },
    C1: { origin: 'created' },
  });
  sim.resetCounters();
});
afterEach(() => stopSimulatedSchool({ sim, store }));

const reconcile = () =>
  runReconcile({ adapter: moodleAdapter(sim), store, connection, settings: DEFAULT_SETTINGS, trigger: 'manual' });

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
/**
 * What a teacher's "Enrol users" in the course does (the manual enrolment method): the user is enrolled
 * there and holds the role the teacher chose — instead of the roles they had there, when `replace`.
 */
function enrolByHand(username: string, shortname: string, role: string, replace = false): void {
  const user = simUser(username);
  const course = simCourse(shortname);
  const manual = [...sim.state.enrolInstances.values()].find((i) => i.courseid === course.id && i.enrol === 'manual')!;
  const roleId = [...sim.state.roles.values()].find((r) => r.shortname === role)!.id;
  if (!sim.state.userEnrolments.some((ue) => ue.userid === user.id && ue.enrolid === manual.id))
    sim.state.userEnrolments.push({ enrolid: manual.id, userid: user.id, status: 0, timestart: 0, timeend: 0 });
  if (replace)
    sim.state.roleAssignments = sim.state.roleAssignments.filter(
      (ra) => !(ra.userid === user.id && ra.courseid === course.id),
    );
  sim.state.roleAssignments.push({ userid: user.id, courseid: course.id, roleid: roleId });
}
const rolesIn = (username: string, shortname: string) =>
  lmsView(sim, school)
    .enrolments.filter((e) => e.startsWith(`${username}@${shortname}:`))
    .map((e) => e.split(':')[1]);

/** A student the SMS puts in both SYN0 and SYN1, and per course one it does not put there. */
function students(): { both: string; notIn: (course: string) => string } {
  const inCourse = (c: string) =>
    new Set(school.enrolments.filter((e) => e.courseSmsId === c).map((e) => e.personSmsId));
  const pupils = school.people.filter((p) => p.role === 'student');
  const both = pupils.find((p) => inCourse('C0').has(p.smsId) && inCourse('C1').has(p.smsId))!;
  return { both: both.username!, notIn: (c) => pupils.find((p) => !inCourse(c).has(p.smsId))!.username! };
}
const smsIdOf = (username: string) => school.people.find((p) => p.username === username)!.smsId;

describe('reconcile and enrolments a teacher made by hand', () => {
  it('leaves them alone in a course ClassBridge did not create, and repairs its own enrolment in one it did', async () => {
    const { both, notIn } = students();
    // The teacher enrols someone the SMS does not put there, in both courses…
    enrolByHand(notIn('C0'), 'SYN0-2026', 'student');
    enrolByHand(notIn('C1'), 'SYN1-2026', 'student');
    // …and makes a student ClassBridge enrolled a non-editing teacher instead, in both.
    enrolByHand(both, 'SYN0-2026', 'teacher', true);
    enrolByHand(both, 'SYN1-2026', 'teacher', true);

    const result = await reconcile();

    expect(result.outcome).toBe('ok');
    const key0 = enrolmentKey(smsIdOf(both), 'C0');
    const key1 = enrolmentKey(smsIdOf(both), 'C1');
    // Only what ClassBridge applied is compared: the extra enrolments are not drift, in either course.
    expect(result.drifts.map((d) => d.recordKey).sort()).toEqual([key0, key1].sort());
    const repairs = new Map(store.runs.listRepairs(result.runId).map((r) => [r.recordKey, r]));
    expect(repairs.get(key0)).toMatchObject({
      drift: `${both} is enrolled in SYN0-2026 by hand in the LMS (teacher), not as the student ClassBridge enrolled`,
      repair: 'Left as it is: ClassBridge does not undo an enrolment made by hand in a course it did not create.',
    });
    // In its own course the existing rule holds: its enrolment is put back, the teacher's role is not taken away.
    expect(repairs.get(key1)).toMatchObject({
      drift: `${both} no longer has the student role in SYN1-2026 in the LMS`,
      repair: 'ClassBridge enrolled again.',
    });
    expect(rolesIn(both, 'SYN0-2026')).toEqual(['teacher']);
    expect(rolesIn(both, 'SYN1-2026')).toEqual(['student+teacher']);
    expect(rolesIn(notIn('C0'), 'SYN0-2026')).toEqual(['student']);
    expect(rolesIn(notIn('C1'), 'SYN1-2026')).toEqual(['student']);
    expect(sim.requestCount('enrol_manual_enrol_users')).toBe(1);

    // Nor does the next upload or reconcile undo it: nothing is sent at all.
    sim.resetCounters();
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);
    expect((await reconcile()).drifts.map((d) => d.leftAs)).toEqual(['enrolled-by-hand']);
    expect(writeRequests(sim)).toBe(0);
    expect(rolesIn(both, 'SYN0-2026')).toEqual(['teacher']);
    expect(rolesIn(notIn('C0'), 'SYN0-2026')).toEqual(['student']);
  });

  it('a drifted user gets only repairs: a new SMS enrolment (where a teacher enrolled them by hand) waits for the upload', async () => {
    const neither = students().notIn('C0');
    enrolByHand(neither, 'SYN0-2026', 'teacher');
    const changed = structuredClone(school);
    changed.enrolments.push({ personSmsId: smsIdOf(neither), courseSmsId: 'C0', role: 'student', active: true });
    store.snapshot.replace(changed, 'test');
    simUser(neither).firstname = 'Edited';

    const result = await reconcile();

    expect(result.drifts.map((d) => d.recordKey)).toEqual([smsIdOf(neither)]);
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(writeRequests(sim)).toBe(1);
    expect(rolesIn(neither, 'SYN0-2026')).toEqual(['teacher']);
  });
});

describe('reconcile and leave-alone marks', () => {
  it('does not read back, compare or repair a left-alone person or course, and says so', async () => {
    const before = readAppliedState(store, connection.id);
    store.leaveAlone.add(connection.id, 'person', 'S1');
    store.leaveAlone.add(connection.id, 'course', 'C2');
    simUser('syn1').email = 'chosen@by-hand.example';
    simCourse('SYN2-2026').fullname = 'Renamed by the teacher';
    enrolByHand(students().notIn('C0'), 'SYN2-2026', 'teacher', true);
    simUser('syn3').email = 'typo@elsewhere.example';

    const result = await reconcile();

    expect(result.drifts.map((d) => d.recordKey)).toEqual(['S3']);
    expect(result.message).toContain('Not checked, as left alone: 1 user and 1 course.');
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(sim.requestCount('core_course_update_courses')).toBe(0);
    expect(simUser('syn1').email).toBe('chosen@by-hand.example');
    expect(simCourse('SYN2-2026').fullname).toBe('Renamed by the teacher');
    // Their baseline is as it was: lifting the mark later plans from what ClassBridge last applied.
    const after = readAppliedState(store, connection.id);
    expect(after.people.S1).toEqual(before.people.S1);
    expect(after.courses.C2).toEqual(before.courses.C2);
  });
});
