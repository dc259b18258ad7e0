/**
 * core_course_duplicate_course as Moodle does it (course/externallib.php duplicate_course; see
 * course-copy.ts for each fact and where it comes from). The default seed's MATH101 (course 2) has
 * sections, six activities and a gradebook, and students with grades: the template.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const copy = (extra: Record<string, unknown> = {}) => ({
  courseid: 2,
  fullname: 'Mathematics 2027',
  shortname: 'MATH101-2027',
  categoryid: 3,
  ...extra,
});

describe('core_course_duplicate_course', () => {
  test('Moodle copies sections, activities and the gradebook into a new course, with no people and no idnumber', async () => {
    sim = await startMoodleSim();
    const s = sim;
    const template = s.state.courses.get(2)!;
    template.idnumber = 'MATH101-2026S1';
    const answer = (await callSim(s, 'core_course_duplicate_course', copy())) as { id: number; shortname: string };
    expect(answer).toEqual({ id: expect.any(Number), shortname: 'MATH101-2027' });

    const made = s.state.courses.get(answer.id)!;
    expect(made).toMatchObject({
      fullname: 'Mathematics 2027',
      shortname: 'MATH101-2027',
      category: 3,
      idnumber: '',
      visible: 1,
      format: template.format,
      startdate: template.startdate,
      enddate: template.enddate,
    });
    const of = <T extends { courseid: number }>(rows: Iterable<T>, id: number) =>
      [...rows].filter((r) => r.courseid === id);
    // Same activities, as new course modules.
    const names = (id: number) => of(s.state.modules.values(), id).map((m) => [m.modname, m.name]);
    expect(names(made.id)).toEqual(names(2));
    expect(names(made.id).length).toBeGreaterThan(0);
    // Same sections, each listing its own (new) modules.
    const sections = of(s.state.sections.values(), made.id);
    expect(sections.map((x) => x.section)).toEqual(of(s.state.sections.values(), 2).map((x) => x.section));
    for (const cm of sections.flatMap((x) => x.sequence)) expect(s.state.modules.get(cm)?.courseid).toBe(made.id);
    // Same grade items (course total included), in their copied categories; no grades.
    const items = (id: number) =>
      of(s.state.gradeItems.values(), id)
        .map((i) => `${i.itemtype}:${i.itemname ?? ''}:${i.grademax}:${i.hidden}`)
        .sort();
    expect(items(made.id)).toEqual(items(2));
    const copiedItems = of(s.state.gradeItems.values(), made.id);
    for (const i of copiedItems) {
      if (i.categoryid !== null) expect(s.state.gradeCategories.get(i.categoryid)?.courseid).toBe(made.id);
      if (i.cmid !== null) expect(s.state.modules.get(i.cmid)?.courseid).toBe(made.id);
    }
    const copiedIds = new Set(copiedItems.map((i) => i.id));
    expect(s.state.grades.filter((g) => copiedIds.has(g.itemid))).toEqual([]);
    // Nobody enrolled; a manual enrolment method to enrol into.
    const instances = [...s.state.enrolInstances.values()].filter((e) => e.courseid === made.id);
    expect(instances.find((e) => e.enrol === 'manual')?.status).toBe(0);
    expect(s.state.userEnrolments.filter((ue) => instances.some((e) => e.id === ue.enrolid))).toEqual([]);
    expect(s.state.roleAssignments.filter((ra) => ra.courseid === made.id)).toEqual([]);
    // The template is unchanged.
    expect(s.state.courses.get(2)?.idnumber).toBe('MATH101-2026S1');
  });

  test('Moodle refuses a taken shortname with shortnametaken naming the full names of the courses that have it', async () => {
    sim = await startMoodleSim();
    const before = sim.state.courses.size;
    const answer = await callSim(sim, 'core_course_duplicate_course', copy({ shortname: 'BIO110-2026S1' }));
    expect(answer).toMatchObject({
      exception: 'core\\exception\\moodle_exception',
      errorcode: 'shortnametaken',
      message: `Short name is already used for another course (${sim.state.courses.get(3)!.fullname})`,
    });
    expect(sim.state.courses.size).toBe(before);
  });

  test('Moodle answers invalidcourseid for a template course that does not exist, and a missing record for a missing category', async () => {
    sim = await startMoodleSim();
    expect(await callSim(sim, 'core_course_duplicate_course', copy({ courseid: 999 }))).toMatchObject({
      exception: 'core\\exception\\moodle_exception',
      errorcode: 'invalidcourseid',
      message: 'You are trying to use an invalid course ID',
    });
    expect(await callSim(sim, 'core_course_duplicate_course', copy({ categoryid: 999 }))).toMatchObject({
      exception: 'dml_missing_record_exception',
      errorcode: 'invalidrecordunknown',
    });
  });

  test('Moodle checks course:create and restore:restorecourse in the category, then backup:backupcourse in the template', async () => {
    sim = await startMoodleSim();
    const before = sim.state.courses.size;
    for (const [capability, name] of [
      ['moodle/course:create', 'Create courses'],
      ['moodle/restore:restorecourse', 'Restore courses'],
      ['moodle/backup:backupcourse', 'Backup courses'],
    ] as const) {
      sim.revokeCapability(sim.token, capability);
      expect(await callSim(sim, 'core_course_duplicate_course', copy())).toMatchObject({
        errorcode: 'nopermissions',
        message: `Sorry, but you do not currently have permissions to do that (${name}).`,
      });
      sim.grantCapability(sim.token, capability);
    }
    expect(sim.state.courses.size).toBe(before);
  });

  test('Moodle takes only its ten backup options, as 0 or 1, and a caller without backup:configure may send none', async () => {
    sim = await startMoodleSim();
    expect(
      await callSim(sim, 'core_course_duplicate_course', copy({ options: [{ name: 'questionbank', value: '1' }] })),
    ).toMatchObject({ errorcode: 'invalidextparam', message: 'Invalid external api parameter: questionbank' });
    expect(
      await callSim(sim, 'core_course_duplicate_course', copy({ options: [{ name: 'blocks', value: '2' }] })),
    ).toMatchObject({ errorcode: 'invalidextparam' });
    sim.revokeCapability(sim.token, 'moodle/backup:configure');
    expect(
      await callSim(sim, 'core_course_duplicate_course', copy({ options: [{ name: 'blocks', value: '0' }] })),
    ).toMatchObject({ exception: 'base_setting_exception', errorcode: 'setting_locked_by_permission' });
    // No options: the defaults, no configure needed.
    expect(await callSim(sim, 'core_course_duplicate_course', copy())).toMatchObject({ shortname: 'MATH101-2027' });
  });

  test('activities off: the sections and the course total come, the activities and their grade items do not', async () => {
    sim = await startMoodleSim();
    const answer = (await callSim(
      sim,
      'core_course_duplicate_course',
      copy({ options: [{ name: 'activities', value: '0' }] }),
    )) as { id: number };
    expect([...sim.state.modules.values()].filter((m) => m.courseid === answer.id)).toEqual([]);
    const items = [...sim.state.gradeItems.values()].filter((i) => i.courseid === answer.id);
    expect(items.map((i) => i.itemtype)).not.toContain('mod');
    expect(items.map((i) => i.itemtype)).toContain('course');
  });

  test('a hidden template needs viewhiddencourses, like entering any hidden course', async () => {
    sim = await startMoodleSim();
    sim.state.courses.get(2)!.visible = 0;
    sim.revokeCapability(sim.token, 'moodle/course:viewhiddencourses');
    sim.revokeCapability(sim.token, 'moodle/course:update');
    expect(await callSim(sim, 'core_course_duplicate_course', copy())).toMatchObject({
      exception: 'core\\exception\\require_login_exception',
      errorcode: 'requireloginerror',
    });
  });
});
