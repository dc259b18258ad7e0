import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import {
  aroundWrites,
  connectionFor,
  moodleAdapter,
  openTestStore,
  SimulatedCrash,
  startMoodleSim,
  syntheticSchool,
  upload,
  useFreshSite,
  writeRequests,
  type MoodleSim,
} from '../../../test-support/upload-harness';
import { DEFAULT_SETTINGS, type Mapping } from '../../model';
import { CourseCopiesRepository } from '../../store/repositories/course-copies-repository';
import { previewUpload } from '../upload/preview-upload';

/**
 * Courses made from a template (mapping.courseTemplates), against the Moodle simulator over HTTP with a
 * real SQLite store. The simulator's MATH101 (course 2) is the template: sections, six activities and a
 * gradebook. SYN0-2026 (C0) matches the rule; SYN1 and SYN2 do not and are created empty.
 */

const tempDir = useTempDirs();
const site = useFreshSite(tempDir);
const TEMPLATE = 2;

const RULES: Partial<Mapping> = {
  newCourseCategoryId: 1,
  courseCategories: [{ field: 'code', equals: 'SYN0-2026', categoryId: 3 }],
  courseTemplates: [{ field: 'code', matches: '^SYN0', templateCourseId: TEMPLATE }],
};

/** The synthetic school with term dates on its courses. */
function school() {
  const snapshot = syntheticSchool(6, 3);
  snapshot.courses = snapshot.courses.map((c) => ({ ...c, startDate: '2027-02-01', endDate: '2027-12-10' }));
  return snapshot;
}

const unix = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const coursesNamed = (sim: MoodleSim, shortname: string) =>
  [...sim.state.courses.values()].filter((c) => c.shortname === shortname);
const modulesOf = (sim: MoodleSim, courseId: number) =>
  [...sim.state.modules.values()].filter((m) => m.courseid === courseId).map((m) => m.name);
const gradeItemsOf = (sim: MoodleSim, courseId: number) =>
  [...sim.state.gradeItems.values()]
    .filter((i) => i.courseid === courseId)
    .map((i) => `${i.itemtype}:${i.itemname ?? ''}`)
    .sort();
const enrolledIn = (sim: MoodleSim, courseId: number) => {
  const instances = new Set(
    [...sim.state.enrolInstances.values()].filter((e) => e.courseid === courseId).map((e) => e.id),
  );
  return sim.state.userEnrolments.filter((ue) => instances.has(ue.enrolid)).length;
};

describe('courses made from a template, against the Moodle simulator', () => {
  it('the dry run names the template; the upload copies it (activities, gradebook), sets idnumber, category and SMS dates, enrols into it, and a second run writes nothing', async () => {
    const { sim, store, connection } = await site.open(RULES, school());

    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.courseTemplates).toEqual([
      {
        key: 'C0',
        name: 'SYN0-2026 Synthetic course 0',
        templateCourseId: TEMPLATE,
        because: 'rule 1: code matches /^SYN0/',
      },
    ]);
    expect(writeRequests(sim)).toBe(0);

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('ok');
    expect(sim.requestCount('core_course_duplicate_course')).toBe(1);

    const [copy] = coursesNamed(sim, 'SYN0-2026');
    expect(copy).toMatchObject({
      fullname: 'Synthetic course 0',
      idnumber: 'SYN0-2026',
      category: 3,
      startdate: unix('2027-02-01'),
      enddate: unix('2027-12-10') + 86400,
    });
    expect(modulesOf(sim, copy!.id)).toEqual(modulesOf(sim, TEMPLATE));
    expect(modulesOf(sim, copy!.id).length).toBeGreaterThan(0);
    expect(gradeItemsOf(sim, copy!.id)).toEqual(gradeItemsOf(sim, TEMPLATE));
    expect(enrolledIn(sim, copy!.id)).toBeGreaterThan(0);
    // The others are empty creates, as without rules.
    const [plain] = coursesNamed(sim, 'SYN1-2026');
    expect(modulesOf(sim, plain!.id)).toEqual([]);
    // An empty create gets the SMS term dates too (sync/plan/courses.ts), in the fallback category.
    expect(plain).toMatchObject({ startdate: unix('2027-02-01'), enddate: unix('2027-12-10') + 86400, category: 1 });
    expect(store.links.lmsId(connection.id, 'course', 'C0')).toBe(String(copy!.id));
    expect(new CourseCopiesRepository(store.db).pending(connection.id).size).toBe(0);

    sim.resetCounters();
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.planned.total).toBe(0);
    expect(writeRequests(sim)).toBe(0);
  });

  it('a later SMS date change updates the copy ClassBridge made (and never the template)', async () => {
    const { sim, store, connection } = await site.open(RULES, school());
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    const templateBefore = { ...sim.state.courses.get(TEMPLATE)! };

    const moved = school();
    moved.courses = moved.courses.map((c) => (c.smsId === 'C0' ? { ...c, endDate: '2027-11-30' } : c));
    store.snapshot.replace(moved, 'test');
    sim.resetCounters();
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(sim.requestCount('core_course_update_courses')).toBe(1);
    expect(sim.requestCount('core_course_duplicate_course')).toBe(0);
    expect(coursesNamed(sim, 'SYN0-2026')[0]?.enddate).toBe(unix('2027-11-30') + 86400);
    expect(sim.state.courses.get(TEMPLATE)).toEqual(templateBefore);
  });

  it('resumes without a second copy after a crash between the copy and its idnumber, or before Moodle answered', async () => {
    for (const after of [true, false]) {
      const sim = await startMoodleSim();
      const connection = connectionFor(sim, RULES);
      const dir = tempDir();
      let store = openTestStore(dir, connection, school());
      // The copy runs in Moodle; the process dies either right after it (answer lost) or before the update.
      const crashing = aroundWrites(moodleAdapter(sim), async (_n, method, call) => {
        if (method === 'copyCourse' && after) {
          await call();
          throw new SimulatedCrash('crash after the copy, before its answer');
        }
        if (method === 'updateCourses' && !after) throw new SimulatedCrash('crash before the idnumber');
        return call();
      });
      await expect(upload(store, crashing, connection)).rejects.toBeInstanceOf(SimulatedCrash);
      expect(coursesNamed(sim, 'SYN0-2026')).toHaveLength(1);
      expect(coursesNamed(sim, 'SYN0-2026')[0]?.idnumber).toBe('');
      store.close();

      store = openTestStore(dir, connection);
      sim.resetCounters();
      const resumed = await upload(store, moodleAdapter(sim), connection);
      expect(resumed.outcome, `after=${after}`).toBe('ok');
      expect(sim.requestCount('core_course_duplicate_course')).toBe(0);
      const copies = coursesNamed(sim, 'SYN0-2026');
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ idnumber: 'SYN0-2026', startdate: unix('2027-02-01') });
      expect(enrolledIn(sim, copies[0]!.id)).toBeGreaterThan(0);
      expect(new CourseCopiesRepository(store.db).pending(connection.id).size).toBe(0);
      store.close();
      await sim.close();
    }
  });

  it('a crash at any write, before or after the LMS applied it, resumes to one copy with its idnumber and nothing left to do', async () => {
    let crashes = 0;
    for (let n = 1; n <= 12; n++) {
      for (const after of [false, true]) {
        const sim = await startMoodleSim();
        const connection = connectionFor(sim, RULES);
        const dir = tempDir();
        let store = openTestStore(dir, connection, school());
        const crashing = aroundWrites(moodleAdapter(sim), async (k, _method, call) => {
          if (k !== n) return call();
          if (after) await call();
          throw new SimulatedCrash(`crash at write ${k}`);
        });
        const crashed = await upload(store, crashing, connection).then(
          () => false,
          (e: unknown) => {
            if (!(e instanceof SimulatedCrash)) throw e;
            return true;
          },
        );
        if (crashed) crashes += 1;
        store.close();
        store = openTestStore(dir, connection);
        const trial = `write ${n} ${after ? 'after' : 'before'}`;
        expect((await upload(store, moodleAdapter(sim), connection)).outcome, trial).toBe('ok');
        const copies = coursesNamed(sim, 'SYN0-2026');
        expect(copies, trial).toHaveLength(1);
        expect(copies[0]?.idnumber, trial).toBe('SYN0-2026');
        expect(modulesOf(sim, copies[0]!.id).length, trial).toBeGreaterThan(0);
        sim.resetCounters();
        expect((await upload(store, moodleAdapter(sim), connection)).planned.total, trial).toBe(0);
        expect(writeRequests(sim), trial).toBe(0);
        store.close();
        await sim.close();
      }
    }
    expect(crashes).toBeGreaterThanOrEqual(8);
  }, 120_000);

  it("an admin's course with the shortname and no idnumber, not in the copy journal, is linked as it is, never refilled", async () => {
    const { sim, store, connection } = await site.open(RULES, school());
    const admins = sim.state.courses.get(3)!;
    sim.state.courses.set(3, { ...admins, shortname: 'SYN0-2026', idnumber: '' });
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(sim.requestCount('core_course_duplicate_course')).toBe(0);
    expect(coursesNamed(sim, 'SYN0-2026')).toHaveLength(1);
    expect(sim.state.courses.get(3)?.idnumber).toBe('');
    expect(store.links.lmsId(connection.id, 'course', 'C0')).toBe('3');
  });
});

describe('courses from a template on a fresh site', () => {
  const errorsOf = (store: Parameters<typeof previewUpload>[0]) =>
    store.runs
      .listErrors({ connectionId: 'moodle-sim' })
      .map((e) => `${e.message} ${e.fix ?? ''}`)
      .join('\n');

  it('a template course that does not exist: a run error naming the course and the fix, no empty course instead, the rest goes', async () => {
    const { sim, store, connection } = await site.open(
      { ...RULES, courseTemplates: [{ field: 'code', matches: '^SYN0', templateCourseId: 999 }] },
      school(),
    );
    const run = await upload(store, moodleAdapter(sim), connection);
    expect(run.outcome).toBe('partial');
    expect(coursesNamed(sim, 'SYN0-2026')).toEqual([]);
    expect(coursesNamed(sim, 'SYN1-2026')).toHaveLength(1);
    expect(coursesNamed(sim, 'SYN2-2026')).toHaveLength(1);
    const errors = errorsOf(store);
    expect(errors).toContain('Template course 999 does not exist in the LMS, so SYN0-2026 was not made from it.');
    expect(errors).toContain("Correct templateCourseId in the connection's mapping (courseTemplates)");
    expect(new CourseCopiesRepository(store.db).pending(connection.id).size).toBe(0);
  });

  it('a token whose service lacks core_course_duplicate_course: the fix says to add it; nothing is sent for it, the rest goes', async () => {
    const { sim, store, connection } = await site.open(RULES, school());
    sim.revokeFunction(sim.token, 'core_course_duplicate_course');
    const run = await upload(store, moodleAdapter(sim), connection);
    expect(run.outcome).toBe('partial');
    expect(sim.requestCount('core_course_duplicate_course')).toBe(0);
    expect(coursesNamed(sim, 'SYN0-2026')).toEqual([]);
    expect(coursesNamed(sim, 'SYN1-2026')).toHaveLength(1);
    expect(errorsOf(store)).toContain('Add core_course_duplicate_course to the ClassBridge service');
  });

  it('a token without the backup capability: the fix names the three capabilities; the rest goes', async () => {
    const { sim, store, connection } = await site.open(RULES, school());
    sim.revokeCapability(sim.token, 'moodle/backup:backupcourse');
    const run = await upload(store, moodleAdapter(sim), connection);
    expect(run.outcome).toBe('partial');
    expect(coursesNamed(sim, 'SYN0-2026')).toEqual([]);
    expect(coursesNamed(sim, 'SYN2-2026')).toHaveLength(1);
    const errors = errorsOf(store);
    expect(errors).toContain('(Backup courses)');
    expect(errors).toContain(
      'moodle/course:create and moodle/restore:restorecourse in the category and moodle/backup:backupcourse in the template course',
    );
  });
});
