/** All-or-nothing (T) batches apply nothing on one bad item; update_* (W) apply the good items and warn. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(() => sim.close());

const newUser = (username: string, extra: Record<string, string> = {}) => ({
  username,
  firstname: 'New',
  lastname: 'User',
  email: `${username}@example.invalid`,
  password: 'Sim#Pass-1',
  ...extra,
});
const usernames = (): string[] => [...sim.state.users.values()].map((u) => u.username);
const enrolledIn = (userid: number, courseid: number): boolean =>
  sim.state.userEnrolments.some(
    (ue) => ue.userid === userid && sim.state.enrolInstances.get(ue.enrolid)?.courseid === courseid,
  );

describe('all-or-nothing batches', () => {
  test('create_users: a duplicate username in the middle creates nobody', async () => {
    const before = sim.state.users.size;
    const answer = await callSim(sim, 'core_user_create_users', {
      users: [newUser('batchok1'), newUser('s1002'), newUser('batchok3')],
    });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter', message: 'Invalid parameter value detected' });
    expect(sim.state.users.size).toBe(before);
    expect(usernames()).not.toContain('batchok1');
  });

  test('create_users: a second user with the same idnumber is accepted, as Moodle does not check it', async () => {
    const answer = await callSim(sim, 'core_user_create_users', {
      users: [newUser('twin1', { idnumber: 'SIS-s1001' })],
    });
    expect(answer).toEqual([{ id: expect.any(Number), username: 'twin1' }]);
  });

  test('create_users: rejects a duplicate email whatever its case, a missing password and an upper-case username', async () => {
    for (const user of [
      newUser('casey', { email: 'S1001@Students.Example.Invalid' }),
      { username: 'nopass', firstname: 'N', lastname: 'P', email: 'nopass@example.invalid' },
      newUser('UpperCase'),
    ]) {
      expect(await callSim(sim, 'core_user_create_users', { users: [user] })).toMatchObject({
        errorcode: 'invalidparameter',
      });
    }
    expect(usernames()).not.toContain('casey');
    // An external auth keeps no password, so none is needed.
    const ldap = { username: 'ldapuser', firstname: 'L', lastname: 'D', email: 'ldap@example.invalid', auth: 'ldap' };
    expect(await callSim(sim, 'core_user_create_users', { users: [ldap] })).toEqual([
      { id: expect.any(Number), username: 'ldapuser' },
    ]);
  });

  test('create_courses: a taken shortname creates no course', async () => {
    const course = (shortname: string) => ({ fullname: shortname, shortname, categoryid: 2 });
    const answer = await callSim(sim, 'core_course_create_courses', {
      courses: [course('BATCH-A'), course('MATH101-2026S1'), course('BATCH-C')],
    });
    expect(answer).toMatchObject({ errorcode: 'shortnametaken' });
    expect([...sim.state.courses.values()].map((c) => c.shortname)).not.toContain('BATCH-A');
  });

  test('create_categories: a taken idnumber creates no category', async () => {
    const answer = await callSim(sim, 'core_course_create_categories', {
      categories: [
        { name: 'Arts', idnumber: 'SIS-FAC-ART' },
        { name: 'Dup', idnumber: 'SIS-FAC-SCI' },
      ],
    });
    expect(answer).toMatchObject({ errorcode: 'categoryidnumbertaken' });
    expect([...sim.state.categories.values()].map((c) => c.name)).not.toContain('Arts');
  });

  test('enrol: a bad course rolls back the good enrolments', async () => {
    const answer = await callSim(sim, 'enrol_manual_enrol_users', {
      enrolments: [
        { roleid: 5, userid: 13, courseid: 2 },
        { roleid: 5, userid: 13, courseid: 99999 },
        { roleid: 5, userid: 14, courseid: 2 },
      ],
    });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter' });
    expect(enrolledIn(13, 2)).toBe(false);
    expect(enrolledIn(14, 2)).toBe(false);
  });

  test('enrol: a role that does not exist or is not assignable in a course is refused', async () => {
    for (const roleid of [99, 6]) {
      expect(
        await callSim(sim, 'enrol_manual_enrol_users', { enrolments: [{ roleid, userid: 13, courseid: 2 }] }),
      ).toMatchObject({
        errorcode: 'wsusercannotassign',
      });
    }
  });

  test('enrol: a course without an enabled manual instance gives wsnoinstance', async () => {
    for (const instance of sim.state.enrolInstances.values()) if (instance.courseid === 2) instance.status = 1;
    expect(
      await callSim(sim, 'enrol_manual_enrol_users', { enrolments: [{ roleid: 5, userid: 13, courseid: 2 }] }),
    ).toMatchObject({
      errorcode: 'wsnoinstance',
    });
  });

  test('enrol: re-enrolling resets left-out dates to 0 and reactivates', async () => {
    await callSim(sim, 'enrol_manual_enrol_users', {
      enrolments: [{ roleid: 5, userid: 7, courseid: 2, timestart: 100, timeend: 200, suspend: 1 }],
    });
    const ue = () => sim.state.userEnrolments.find((e) => e.userid === 7 && e.enrolid === 1);
    expect(ue()).toMatchObject({ timestart: 100, timeend: 200, status: 1 });
    expect(
      await callSim(sim, 'enrol_manual_enrol_users', { enrolments: [{ roleid: 5, userid: 7, courseid: 2 }] }),
    ).toBeNull();
    expect(ue()).toMatchObject({ timestart: 0, timeend: 0, status: 0 });
  });

  test('unenrol: a bad course second leaves the first user enrolled', async () => {
    const answer = await callSim(sim, 'enrol_manual_unenrol_users', {
      enrolments: [
        { userid: 7, courseid: 2 },
        { userid: 7, courseid: 99999 },
      ],
    });
    expect(answer).toMatchObject({ errorcode: 'invalidrecordunknown' });
    expect(enrolledIn(7, 2)).toBe(true);
  });

  test('unenrol: removes roles, group membership and grades with the enrolment', async () => {
    expect(await callSim(sim, 'enrol_manual_unenrol_users', { enrolments: [{ userid: 7, courseid: 2 }] })).toBeNull();
    expect(enrolledIn(7, 2)).toBe(false);
    expect(sim.state.groups.get(1)?.members).not.toContain(7);
    expect(sim.state.grades.filter((g) => g.userid === 7 && g.itemid <= 6)).toEqual([]);
  });

  test('create_groups: a duplicate name creates no group', async () => {
    const answer = await callSim(sim, 'core_group_create_groups', {
      groups: [
        { courseid: 2, name: 'Tutorial C', description: 'x' },
        { courseid: 2, name: 'Tutorial A', description: 'dup' },
      ],
    });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter' });
    expect([...sim.state.groups.values()].map((g) => g.name)).not.toContain('Tutorial C');
  });

  test('add_group_members: one member not enrolled adds nobody', async () => {
    const answer = await callSim(sim, 'core_group_add_group_members', {
      members: [
        { groupid: 2, userid: 7 },
        { groupid: 2, userid: 6 },
        { groupid: 2, userid: 8 },
      ],
    });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter' });
    expect(sim.state.groups.get(2)?.members).toEqual([10, 11, 12]);
  });
});

describe('per-item batches', () => {
  test('update_users: good items apply, the missing and the clashing one come back as warnings', async () => {
    const answer = await callSim(sim, 'core_user_update_users', {
      users: [
        { id: 7, city: 'Madrid' },
        { id: 99999, city: 'Nowhere' },
        { id: 10, username: 's1001' },
        { id: 8, city: 'London', suspended: 1 },
      ],
    });
    expect(answer).toEqual({
      warnings: [
        { item: 'user', itemid: 99999, warningcode: 'invaliduserid', message: 'Invalid user ID' },
        { item: 'user', itemid: 10, warningcode: 'dmlwriteexception', message: 'Error writing to database' },
      ],
    });
    expect(sim.state.users.get(7)?.city).toBe('Madrid');
    expect(sim.state.users.get(8)).toMatchObject({ city: 'London', suspended: true });
    expect(sim.state.users.get(10)?.username).toBe('s1004');
  });

  test('update_courses: good items apply, bad ones come back as warnings', async () => {
    const answer = await callSim(sim, 'core_course_update_courses', {
      courses: [
        { id: 3, fullname: 'Biology 111' },
        { id: 99999, fullname: 'Nope' },
        { id: 4, shortname: 'MATH101-2026S1' },
      ],
    });
    expect(answer).toEqual({
      warnings: [
        {
          item: 'course',
          itemid: 99999,
          warningcode: 'invalidrecordunknown',
          message: "Can't find data record in database.",
        },
        {
          item: 'course',
          itemid: 4,
          warningcode: 'shortnametaken',
          message: 'Short name is already used for another course (MATH101-2026S1)',
        },
      ],
    });
    expect(sim.state.courses.get(3)?.fullname).toBe('Biology 111');
    expect(sim.state.courses.get(4)?.shortname).toBe('HIST201-2026S1');
  });

  test('update_courses: a missing field capability is a warning for that course only', async () => {
    sim.revokeCapability(sim.token, 'moodle/course:changefullname');
    const answer = await callSim(sim, 'core_course_update_courses', {
      courses: [
        { id: 3, fullname: 'Renamed' },
        { id: 2, summary: 'New summary' },
      ],
    });
    expect(answer).toMatchObject({ warnings: [{ itemid: 3, warningcode: 'nopermissions' }] });
    expect(sim.state.courses.get(2)?.summary).toBe('New summary');
  });
});
