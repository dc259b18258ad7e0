import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LmsError } from '../../../../adapters/contract';
import { createMoodleAdapter } from '../../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema, type Snapshot } from '../../model';
import { openStore, type Store } from '../../store/store';
import { trackCourses } from '../course-tracking';
import { exportResults } from '../../../../adapters/sms/csv';
import { deliverResults, downloadResults, markDelivered, resultsToDeliver } from './index';

// The real store (SQLite in a temp folder) and the real Moodle adapter against the simulator over HTTP.
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let clock: Date;
const CONNECTION = 'moodle';
const MATH = 2;
const BIO = 3;
const HIST = 4;
/** Kofi (LMS user 12) is known to the SMS as P-KOFI, through a person link; the others by idnumber. */
const KOFI = { lmsId: 12, smsId: 'P-KOFI' };
/** Olivia (LMS user 11) is in no SMS snapshot and has no link: she gets no result. */
const OLIVIA = 11;

beforeEach(async () => {
  sim = await startMoodleSim();
  clock = new Date('2026-11-23T09:00:00Z');
  store = openStore({ file: join(tempDir(), 'cb.db'), now: () => clock });
  store.connections.save(
    ConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'Moodle', url: sim.url }),
  );
  store.snapshot.replace(schoolSnapshot(), 'test');
  store.links.set(CONNECTION, 'person', KOFI.smsId, String(KOFI.lmsId));
  // BIO110 is linked by upload; MATH101 is found through its idnumber = the SMS course code.
  store.links.set(CONNECTION, 'course', 'C-BIO', String(BIO));
  await trackCourses(adapter(), store, CONNECTION);
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const adapter = () => createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1, timeoutMs: 5000 });
const download = () => downloadResults(adapter(), store, CONNECTION);
const tick = () => void (clock = new Date(clock.getTime() + 60_000));

/** The SMS's view of the sim's students: SMS id = LMS idnumber, except Kofi (own id) and Olivia (absent). */
function schoolSnapshot(): Snapshot {
  const students = [...sim.state.users.values()].filter((u) => u.username.startsWith('s'));
  return {
    people: students
      .filter((u) => u.id !== OLIVIA)
      .map((u) => ({
        smsId: u.id === KOFI.lmsId ? KOFI.smsId : u.idnumber,
        role: 'student' as const,
        givenName: u.firstname,
        familyName: u.lastname,
        active: true,
      })),
    courses: [
      { smsId: 'C-MATH', code: sim.state.courses.get(MATH)?.idnumber ?? '?', name: 'Maths' },
      { smsId: 'C-BIO', code: 'BIO-CODE-NOT-IN-LMS', name: 'Biology' },
    ],
    groups: [],
    enrolments: [],
  };
}

/** The SMS id a sim user's result is stored under, by the test's own rule. */
function smsIdOf(userId: number): string {
  if (userId === KOFI.lmsId) return KOFI.smsId;
  const user = sim.state.users.get(userId);
  if (!user) throw new Error(`no sim user ${userId}`);
  return user.idnumber;
}

/** Students of a course in the sim (role 'student'), minus the one the SMS does not know. */
function matchedStudents(courseId: number): number[] {
  const student = [...sim.state.roles.values()].find((r) => r.shortname === 'student')?.id;
  const ids = sim.state.roleAssignments
    .filter((ra) => ra.courseid === courseId && ra.roleid === student)
    .map((ra) => ra.userid);
  return [...new Set(ids)].filter((id) => id !== OLIVIA);
}

/** Progress % by hand from the sim's raw tables: graded visible `mod` items ÷ visible `mod` items. */
function handProgress(courseId: number, userId: number): number {
  const gradeOf = (itemId: number) => sim.state.grades.find((g) => g.itemid === itemId && g.userid === userId);
  const visible = [...sim.state.gradeItems.values()].filter(
    (i) => i.courseid === courseId && i.itemtype === 'mod' && !i.hidden && !gradeOf(i.id)?.hidden,
  );
  const graded = visible.filter((i) => (gradeOf(i.id)?.finalgrade ?? null) !== null);
  return visible.length === 0 ? 0 : Math.round((graded.length / visible.length) * 10000) / 100;
}

describe('downloadResults', () => {
  it('stores a result per known student of an Open course, with progress as computed by hand', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    const summary = await download();

    const students = matchedStudents(MATH);
    expect(students.length).toBeGreaterThan(3);
    expect(summary.errors).toEqual([]);
    expect(summary.counts).toMatchObject({
      courses: 1,
      results: students.length,
      changed: students.length,
      unchanged: 0,
      errors: 0,
      unmatched: 1,
    });
    const stored = store.results.list({ connectionId: CONNECTION });
    expect(stored.map((r) => r.personSmsId).sort()).toEqual(students.map(smsIdOf).sort());
    for (const userId of students) {
      const result = stored.find((r) => r.personSmsId === smsIdOf(userId));
      expect(result?.progressPercent, `user ${userId}`).toBe(handProgress(MATH, userId));
    }
    // The progress values are not all the same, so the comparison above means something.
    expect(new Set(stored.map((r) => r.progressPercent)).size).toBeGreaterThan(1);

    // The report card: visible activities only, never the hidden one, the manual item or the total.
    const hiddenItem = [...sim.state.gradeItems.values()].find((i) => i.courseid === MATH && i.hidden);
    const visibleMods = [...sim.state.gradeItems.values()]
      .filter((i) => i.courseid === MATH && i.itemtype === 'mod' && !i.hidden)
      .map((i) => i.id);
    const hasHiddenMark = (personSmsId: string) =>
      sim.state.grades.some(
        (g) => g.itemid === hiddenItem?.id && g.finalgrade !== null && smsIdOf(g.userid) === personSmsId,
      );
    for (const r of stored) {
      expect(r.activities.map((a) => a.itemId).sort()).toEqual([...visibleMods].sort());
      expect(r.activities.map((a) => a.itemId)).not.toContain(hiddenItem?.id);
      // A total the hidden final exam's mark counts in is not sent (released-results.test.ts has the rules).
      if (hasHiddenMark(r.personSmsId)) expect(r.grade).toBeNull();
      else expect(r.grade).toMatch(/^\d+\.\d\d$/);
    }
    expect(stored.some((r) => hasHiddenMark(r.personSmsId))).toBe(true);
  });

  it('changes nothing on a second download, and exactly one result after one grade changes', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    const first = await download();
    const delivered = resultsToDeliver(store, CONNECTION);
    expect(delivered.records).toHaveLength(first.counts.results);
    expect(delivered.unmapped).toEqual([]);
    expect(delivered.records.every((r) => r.courseSmsId === 'C-MATH')).toBe(true);
    // The course total's percentage travels with the text grade (stored since migration 5).
    expect(delivered.records.some((r) => r.gradePercent !== null && r.gradePercent > 0)).toBe(true);
    markDelivered(store, delivered);
    expect(resultsToDeliver(store, CONNECTION).records).toEqual([]);

    tick();
    const second = await download();
    expect(second.counts).toMatchObject({ changed: 0, unchanged: first.counts.results });
    expect(resultsToDeliver(store, CONNECTION).records).toEqual([]);

    // A teacher grades Chen's (user 10) Geometry essay, which was ungraded.
    const essay = [...sim.state.gradeItems.values()].find(
      (i) => i.courseid === MATH && i.itemname === 'Geometry essay',
    );
    if (!essay) throw new Error('seed changed: no Geometry essay');
    expect(sim.state.grades.some((g) => g.itemid === essay.id && g.userid === 10)).toBe(false);
    const before = handProgress(MATH, 10);
    sim.state.grades.push({
      itemid: essay.id,
      userid: 10,
      finalgrade: 15,
      hidden: false,
      feedback: '',
      timemodified: 0,
    });

    tick();
    const third = await download();
    expect(third.counts).toMatchObject({ changed: 1, unchanged: first.counts.results - 1 });
    const next = resultsToDeliver(store, CONNECTION);
    expect(next.records).toHaveLength(1);
    expect(next.records[0]).toMatchObject({
      personSmsId: smsIdOf(10),
      courseSmsId: 'C-MATH',
      progressPercent: handProgress(MATH, 10),
      completed: handProgress(MATH, 10) === 100,
      updatedAt: clock.toISOString(),
    });
    expect(next.records[0]?.progressPercent).toBeGreaterThan(before);
  });

  it('reads no gradebook of a New, Closed or Deleted course', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    store.lmsCourses.setState(CONNECTION, BIO, 'Closed');
    // HIST stays New.
    sim.resetCounters();
    const summary = await download();
    expect(sim.requestCount('gradereport_user_get_grade_items')).toBe(1);
    expect(summary.counts.courses).toBe(1);
    expect(store.results.list({ lmsCourseId: BIO })).toEqual([]);
    expect(store.results.list({ lmsCourseId: HIST })).toEqual([]);

    // An Open course that vanishes from the LMS is Deleted: no more reads, its old results stay named.
    sim.state.courses.delete(MATH);
    await trackCourses(adapter(), store, CONNECTION);
    sim.resetCounters();
    expect((await download()).counts.courses).toBe(0);
    expect(sim.requestCount('gradereport_user_get_grade_items')).toBe(0);
    expect(store.results.list({ lmsCourseId: MATH }).length).toBeGreaterThan(0);
  });

  it('stops the run with the access error when the gradebook function is revoked', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    store.lmsCourses.setState(CONNECTION, BIO, 'Open');
    sim.revokeFunction(sim.token, 'gradereport_user_get_grade_items');
    const error = await download().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect((error as LmsError).kind).toBe('access');
    expect((error as LmsError).operation).toBe('gradereport_user_get_grade_items');
    expect(store.results.list()).toEqual([]);
  });

  it('reports a course that fails on its own and still downloads the others', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    store.lmsCourses.setState(CONNECTION, HIST, 'Open');
    // HIST201 is hidden; without this capability the token's user may no longer enter it.
    sim.revokeCapability(sim.token, 'moodle/course:viewhiddencourses');
    const summary = await download();
    expect(summary.counts).toMatchObject({ courses: 1, errors: 1, results: matchedStudents(MATH).length });
    expect(summary.errors).toEqual([
      expect.objectContaining({
        recordKind: 'course',
        recordKey: String(HIST),
        course: sim.state.courses.get(HIST)?.fullname,
        kind: 'require-login',
      }),
    ]);
    expect(summary.errors[0]?.fix).toBeTruthy();
    expect(store.results.list({ lmsCourseId: MATH })).toHaveLength(matchedStudents(MATH).length);
  });

  it('reports its progress as courses read of the Open courses, a failed course counted as ended', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    store.lmsCourses.setState(CONNECTION, HIST, 'Open');
    sim.revokeCapability(sim.token, 'moodle/course:viewhiddencourses');
    const seen: { done: number; total: number }[] = [];
    await downloadResults(adapter(), store, CONNECTION, { concurrency: 1, onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([
      { done: 0, total: 2 },
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
  });

  it('delivers through a link or the course idnumber, and keeps unmatched courses for later', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    store.lmsCourses.setState(CONNECTION, BIO, 'Open');
    await download();
    const delivery = resultsToDeliver(store, CONNECTION);
    const bioStudents = matchedStudents(BIO);
    expect(bioStudents.length).toBeGreaterThan(0);
    expect(
      delivery.records
        .filter((r) => r.courseSmsId === 'C-BIO')
        .map((r) => r.personSmsId)
        .sort(),
    ).toEqual(bioStudents.map(smsIdOf).sort());
    expect(delivery.records.find((r) => r.personSmsId === KOFI.smsId)).toBeDefined();

    // Without the BIO link (and no SMS course with BIO's idnumber), BIO's results wait.
    store.links.remove(CONNECTION, 'course', 'C-BIO');
    const folder = join(tempDir(), 'export');
    const file = join(folder, 'results.csv');
    const outcome = await deliverResults(store, CONNECTION, (records) => exportResults(records, folder));
    expect(outcome.delivered).toBe(matchedStudents(MATH).length);
    expect(outcome.unmapped).toEqual([
      { lmsCourseId: BIO, course: sim.state.courses.get(BIO)?.fullname, results: bioStudents.length },
    ]);
    const lines = (await readFile(file, 'utf8')).trim().split('\r\n');
    expect(lines).toHaveLength(1 + matchedStudents(MATH).length);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'C-MATH')).toBe(true);
    expect(resultsToDeliver(store, CONNECTION).records).toEqual([]);
    expect(resultsToDeliver(store, CONNECTION).unmapped).toHaveLength(1);
  });

  it('marks nothing delivered when the writer fails', async () => {
    store.lmsCourses.setState(CONNECTION, MATH, 'Open');
    await download();
    const failing = deliverResults(store, CONNECTION, () => Promise.reject(new Error('SMS folder not writable')));
    await expect(failing).rejects.toThrow('SMS folder not writable');
    expect(resultsToDeliver(store, CONNECTION).records).toHaveLength(matchedStudents(MATH).length);
  });
});
