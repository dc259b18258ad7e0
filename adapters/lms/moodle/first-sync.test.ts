import { afterEach, describe, expect, it } from 'vitest';
import type { LmsEnrolment } from '../../contract';
import { freshSiteSeed, startMoodleSim, type FreshSiteOptions, type MoodleSim } from '../../testing/moodle-sim';
import { PROBED_FEATURES } from './capability-probes';
import { createMoodleAdapter, type MoodleAdapterOptions } from './moodle-adapter';

// A site on the day it installs ClassBridge (reference §10): no courses, no participants, so no role id
// can be learnt from anyone, and a token whose role may lack capabilities site info cannot show.
let sim: MoodleSim;
afterEach(async () => {
  await sim.close();
});

async function freshSite(options: FreshSiteOptions = {}): Promise<MoodleSim> {
  sim = await startMoodleSim({ seed: freshSiteSeed(options) });
  return sim;
}

const adapter = (options: Partial<MoodleAdapterOptions> = {}) =>
  createMoodleAdapter({ url: sim.url, token: sim.token, backoffMs: 5, timeoutMs: 5000, ...options });

/** A new course and two new people in it, as a first upload makes them. */
async function newCourseWithPeople(a: ReturnType<typeof adapter>) {
  const course = await a.createCourses([{ fullname: 'English 10', shortname: '10ENG', categoryId: 1, idnumber: 'C1' }]);
  const users = await a.createUsers(
    ['s1', 's2', 't1'].map((u) => ({
      username: u,
      firstname: u,
      lastname: 'Person',
      email: `${u}@school.example.invalid`,
      idnumber: `SMS-${u}`,
      password: 'Pass#word-1',
    })),
  );
  const ids = users.outcomes.map((o) => (o.ok ? o.value.id : 0));
  const courseId = course.outcomes[0]?.ok ? course.outcomes[0].value.id : 0;
  const enrolments: LmsEnrolment[] = [
    { userId: ids[0] ?? 0, courseId, roleShortname: 'student' },
    { userId: ids[1] ?? 0, courseId, roleShortname: 'student' },
    { userId: ids[2] ?? 0, courseId, roleShortname: 'editingteacher' },
  ];
  return { courseId, ids, enrolments };
}

const rolesIn = (courseId: number) =>
  sim.state.roleAssignments.filter((ra) => ra.courseid === courseId).map((ra) => [ra.userid, ra.roleid]);

describe('enrolments into new courses on a fresh site', () => {
  it('enrol every person with no role ids configured, verifying Moodle’s default ids on the first one', async () => {
    await freshSite();
    const a = adapter();
    const { courseId, ids, enrolments } = await newCourseWithPeople(a);
    const result = await a.enrol(enrolments);
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(rolesIn(courseId)).toEqual(
      expect.arrayContaining([
        [ids[0], 5],
        [ids[1], 5],
        [ids[2], 3],
      ]),
    );
    // Verified ids are worth keeping for the next run; nothing is kept as a guess.
    expect(a.knownRoleIds()).toEqual(
      expect.arrayContaining([
        { shortname: 'student', id: 5, source: 'verified' },
        { shortname: 'editingteacher', id: 3, source: 'verified' },
      ]),
    );
  });

  it('on a site that numbers roles differently, undoes the one trial enrolment and names the problem', async () => {
    // Student re-created as id 9; id 5 is now the non-editing teacher role.
    await freshSite({ roleIds: { student: 9, teacher: 5 } });
    const a = adapter();
    const { courseId, ids, enrolments } = await newCourseWithPeople(a);
    const result = await a.enrol(enrolments);
    const [first, second, teacher] = result.outcomes;
    expect(teacher?.ok).toBe(true);
    for (const o of [first, second]) {
      expect(o?.ok).toBe(false);
      if (o && !o.ok) {
        expect(o.error.message).toMatch(
          /"student" does not have Moodle's default id on this site \(that id is "teacher"\)/,
        );
        expect(o.error.details.fix).toMatch(/roleIds/);
      }
    }
    // Nobody is left enrolled as a teacher by mistake.
    expect(rolesIn(courseId)).toEqual([[ids[2], 3]]);
    expect(sim.state.userEnrolments.filter((ue) => ue.userid === ids[0])).toEqual([]);
    // With the id the admin enters, the same enrolments succeed.
    const fixed = await adapter({ roleIds: { student: 9 } }).enrol(enrolments);
    expect(fixed.outcomes.every((o) => o.ok)).toBe(true);
    expect(rolesIn(courseId)).toEqual(expect.arrayContaining([[ids[0], 9]]));
  });

  it('learns ids from the participants of another course before assuming any default', async () => {
    await freshSite({ roleIds: { student: 9, teacher: 5 } });
    const setup = adapter({ roleIds: { student: 9 } });
    const other = await newCourseWithPeople(setup);
    await setup.enrol(other.enrolments);
    const a = adapter();
    const course = await a.createCourses([{ fullname: 'Maths 10', shortname: '10MAT', categoryId: 1 }]);
    const courseId = course.outcomes[0]?.ok ? course.outcomes[0].value.id : 0;
    const before = sim.requestCount('enrol_manual_enrol_users');
    const result = await a.enrol(
      other.ids.slice(0, 2).map((userId) => ({ userId, courseId, roleShortname: 'student' })),
    );
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(rolesIn(courseId).map(([, role]) => role)).toEqual([9, 9]);
    // Learnt, so no trial enrolment: one call for both.
    expect(sim.requestCount('enrol_manual_enrol_users') - before).toBe(1);
    expect(a.knownRoleIds()).toContainEqual({ shortname: 'student', id: 9, source: 'learnt' });
  });

  it('uses ids kept from an earlier run without searching again', async () => {
    await freshSite();
    const a = adapter({ knownRoles: [{ shortname: 'student', id: 5, source: 'verified' }] });
    const { enrolments } = await newCourseWithPeople(a);
    sim.resetCounters();
    const result = await a.enrol(enrolments.slice(0, 2));
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.requestCount('core_enrol_get_enrolled_users')).toBe(0);
  });

  it('tells the admin at setup which role ids it found and where from', async () => {
    await freshSite();
    const d = await adapter().describe({ roles: ['student', 'editingteacher', 'tutor'] });
    expect(d.roles).toEqual([
      { shortname: 'student', id: 5, source: 'default' },
      { shortname: 'editingteacher', id: 3, source: 'default' },
      { shortname: 'tutor', id: null, source: 'unknown' },
    ]);
  });
});

describe('capability probes', () => {
  const stateCounts = () => ({
    users: sim.state.users.size,
    courses: sim.state.courses.size,
    enrolments: sim.state.userEnrolments.length,
    roles: sim.state.roleAssignments.length,
  });

  it('a token with every capability passes every probe and changes nothing', async () => {
    await freshSite();
    const a = adapter();
    await newCourseWithPeople(a);
    const before = stateCounts();
    const d = await a.describe({ probe: PROBED_FEATURES });
    expect(d.ok).toBe(true);
    const probed = Object.fromEntries(d.features.filter((f) => f.probe).map((f) => [f.feature, f.probe?.result]));
    expect(probed).toEqual(Object.fromEntries(PROBED_FEATURES.map((f) => [f, 'granted'])));
    expect(stateCounts()).toEqual(before);
  });

  it('names every missing capability at once, by id, with what it stops, although site info lists every function', async () => {
    await freshSite({
      capabilities: [
        'webservice/rest:use',
        'moodle/course:view',
        'moodle/course:viewhiddencourses',
        'moodle/category:viewhiddencategories',
        'moodle/course:viewparticipants',
        'moodle/course:managegroups',
        'moodle/user:update',
      ],
    });
    const before = stateCounts();
    const d = await adapter().describe({ probe: PROBED_FEATURES });
    expect(d.features.every((f) => f.missingFunctions.length === 0)).toBe(true);
    expect(d.ok).toBe(false);
    const missing = Object.fromEntries(
      d.features.filter((f) => f.missingCapabilities).map((f) => [f.feature, f.missingCapabilities]),
    );
    expect(missing).toEqual({
      'create-users': ['moodle/user:create'],
      'create-courses': ['moodle/course:create'],
      enrol: ['enrol/manual:enrol'],
      unenrol: ['enrol/manual:unenrol'],
    });
    expect(d.fixes).toHaveLength(1);
    expect(d.fixes[0]).toMatch(/lacks 4 capabilities/);
    expect(d.fixes[0]).toMatch(/moodle\/user:create \(Create users\): new students and staff are not created/);
    // No course yet: the reads that need one say so instead of passing.
    expect(d.features.find((f) => f.feature === 'gradebook')?.probe).toMatchObject({ result: 'unchecked' });
    expect(stateCounts()).toEqual(before);
  });

  it('finds a role the token may not assign, and a gradebook it may not read', async () => {
    await freshSite();
    await newCourseWithPeople(adapter());
    sim.revokeCapability(sim.token, 'moodle/role:assign');
    sim.revokeCapability(sim.token, 'moodle/grade:viewall');
    const d = await adapter().describe({ probe: ['enrol', 'gradebook'] });
    expect(d.features.find((f) => f.feature === 'enrol')?.missingCapabilities).toEqual(['moodle/role:assign']);
    expect(d.features.find((f) => f.feature === 'gradebook')?.missingCapabilities).toEqual(['moodle/grade:viewall']);
    expect(d.fixes.join(' ')).toMatch(/Allow role assignments/);
  });
});
