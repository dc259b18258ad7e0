import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS, type LmsConnection, type Settings, type Snapshot } from '../../model';
import { openStore, type Store } from '../../store/store';
import { join } from 'node:path';
import { trackCourses } from '../course-tracking';
import { previewUpload } from '../upload/preview-upload';
import {
  connectionFor,
  lmsView,
  moodleAdapter,
  startMoodleSim,
  syntheticSchool,
  upload,
  type MoodleSim,
} from '../../../test-support/upload-harness';

// The term lifecycle end to end: the real store (SQLite in a temp folder), runUpload and the Moodle
// adapter against the simulator over HTTP. The school is in Auckland: SMS dates are days there.
const tempDir = useTempDirs();
const NZ: Settings = { ...DEFAULT_SETTINGS, timeZone: 'Pacific/Auckland' };
/** 00:00 on 1 December 2026 in Auckland: the day after the end date 2026-11-30. */
const DECEMBER_1 = new Date('2026-11-30T11:00:00Z');
const NOVEMBER_20 = new Date('2026-11-20T00:00:00Z');

let sim: MoodleSim;
let store: Store;
let connection: LmsConnection;
let school: Snapshot;
/** The store's clock and the run's are one: an admin's Open is dated by it. */
let clock: Date;

function openDatedStore(): Store {
  const opened = openStore({ file: join(tempDir(), 'classbridge.db'), now: () => clock });
  opened.connections.save(connection);
  opened.snapshot.replace(school, 'test');
  return opened;
}
/** One upload at `at` (the store's clock too). */
function uploadAt(at: Date) {
  clock = at;
  return upload(store, moodleAdapter(sim), connection, { settings: NZ, now: () => clock });
}

/** The synthetic school, SYN0 and SYN2 ending 30 November, SYN1 next June. */
function datedSchool(): Snapshot {
  const s = syntheticSchool(15, 3);
  s.courses[0]!.endDate = '2026-11-30';
  s.courses[1]!.endDate = '2027-06-30';
  s.courses[2]!.endDate = '2026-11-30';
  for (const c of s.courses) c.startDate = '2026-02-02';
  return s;
}

const lmsCourseOf = (code: string) => [...sim.state.courses.values()].find((c) => c.idnumber === code)!;
const tracked = (lmsId: number) =>
  store.lmsCourses
    .list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] })
    .find((c) => c.lmsId === lmsId)!;

describe('ended courses are closed on their own', () => {
  let adminCourseId: number;

  beforeEach(async () => {
    sim = await startMoodleSim();
    connection = connectionFor(sim, { lifecycle: { endedCourses: 'close-and-hide', closeAfterDays: 0 } });
    school = datedSchool();
    clock = new Date('2026-02-01T00:00:00Z');
    store = openDatedStore();
    // SYN2-2026 is the admin's own course, made by hand in Moodle before ClassBridge: matched, not created.
    const made = await moodleAdapter(sim).createCourses([
      { fullname: 'Synthetic course 2 (by hand)', shortname: 'SYN2-2026', idnumber: 'SYN2-2026', categoryId: 1 },
    ]);
    adminCourseId = made.outcomes[0]!.ok ? (made.outcomes[0] as { value: { id: number } }).value.id : 0;
    await trackCourses(moodleAdapter(sim), store, connection.id);
    store.lmsCourses.setState(connection.id, adminCourseId, 'Open');
    expect((await uploadAt(NOVEMBER_20)).outcome).toBe('ok');
    await trackCourses(moodleAdapter(sim), store, connection.id);
    for (const c of store.lmsCourses.list({ connectionId: connection.id }))
      store.lmsCourses.setState(connection.id, c.lmsId, 'Open');
  });
  afterEach(async () => {
    store.close();
    await sim.close();
  });

  it('hides a course ClassBridge created, only closes one it did not create, and leaves a running one', async () => {
    const created = lmsCourseOf('SYN0-2026');
    const adminCourse = sim.state.courses.get(adminCourseId)!;
    const adminModified = adminCourse.timemodified;
    // The last evening of the course (23:59 in Auckland): nothing yet.
    await uploadAt(new Date('2026-11-30T10:59:00Z'));
    expect(tracked(created.id).state).toBe('Open');

    const result = await uploadAt(DECEMBER_1);
    expect(result.outcome).toBe('ok');
    expect(result.message).toContain(
      '2 courses closed because the SMS end date passed (SYN2-2026, ended 2026-11-30; SYN0-2026, ended 2026-11-30); 1 hidden in the LMS.',
    );
    expect(tracked(created.id)).toMatchObject({
      state: 'Closed',
      stateChangedBy: 'classbridge',
      stateReason: 'Its SMS end date 2026-11-30 has passed.',
      hiddenInLmsAt: expect.any(String),
    });
    expect(created.visible).toBe(0);
    // The admin's own course: Closed in ClassBridge, untouched in Moodle.
    expect(tracked(adminCourseId)).toMatchObject({ state: 'Closed', stateChangedBy: 'classbridge' });
    expect(tracked(adminCourseId).hiddenInLmsAt).toBeUndefined();
    expect(adminCourse.visible).toBe(1);
    expect(adminCourse.timemodified).toBe(adminModified);
    // SYN1 runs until June.
    expect(tracked(lmsCourseOf('SYN1-2026').id).state).toBe('Open');
    expect(lmsCourseOf('SYN1-2026').visible).toBe(1);
    // Closing removes nobody: the students of the closed course keep their enrolments.
    expect(lmsView(sim, school).enrolments.filter((e) => e.includes('SYN0-2026')).length).toBeGreaterThan(0);
  });

  it("keeps the admin's Open after the end date, and shows again a course ClassBridge hid", async () => {
    const created = lmsCourseOf('SYN0-2026');
    await uploadAt(DECEMBER_1);
    expect(created.visible).toBe(0);

    clock = new Date('2026-12-02T09:00:00Z');
    expect(store.lmsCourses.setState(connection.id, created.id, 'Open')).toBe('changed');
    const later = new Date('2026-12-10T00:00:00Z');
    const result = await uploadAt(later);
    expect(result.message).toContain('1 course you opened again shown in the LMS again.');
    expect(created.visible).toBe(1);
    expect(tracked(created.id)).toMatchObject({ state: 'Open', stateChangedBy: 'admin' });
    expect(tracked(created.id).hiddenInLmsAt).toBeUndefined();
    expect(tracked(created.id).stateReason).toBeUndefined();

    // The rule does not fight the admin: later runs leave it Open.
    await uploadAt(new Date('2026-12-20T00:00:00Z'));
    expect(tracked(created.id).state).toBe('Open');
    expect(created.visible).toBe(1);
  });

  it('the dry run names the courses the next run closes, and changes nothing', () => {
    const preview = previewUpload(store, connection, NZ, 3, DECEMBER_1);
    // In LMS id order: the admin's course was made first.
    expect(preview.lifecycle?.closing.map((c) => [c.code, c.hide])).toEqual([
      ['SYN2-2026', false],
      ['SYN0-2026', true],
    ]);
    expect(tracked(lmsCourseOf('SYN0-2026').id).state).toBe('Open');
    expect(lmsCourseOf('SYN0-2026').visible).toBe(1);
  });

  it('a token that may not change visibility: the course is still Closed, the run says what to fix', async () => {
    sim.revokeCapability(sim.token, 'moodle/course:visibility');
    const created = lmsCourseOf('SYN0-2026');
    const result = await uploadAt(DECEMBER_1);
    expect(result.outcome).toBe('ok');
    expect(tracked(created.id).state).toBe('Closed');
    expect(tracked(created.id).hiddenInLmsAt).toBeUndefined();
    expect(created.visible).toBe(1);
    const errors = store.runs.listErrors({ connectionId: connection.id });
    expect(errors).toContainEqual(
      expect.objectContaining({
        recordKind: 'course',
        course: 'SYN0-2026',
        message: expect.stringContaining('is Closed in ClassBridge, but it could not be hidden in the LMS'),
        fix: expect.stringContaining('moodle/course:visibility'),
      }),
    );
  });
});

describe('a rollover pause holds every removal', () => {
  const PAUSED = new Date('2027-01-10T00:00:00Z');
  const pauseMapping = { lifecycle: { rolloverPause: { windows: [{ from: '2026-12-19', until: '2027-02-01' }] } } };

  beforeEach(async () => {
    sim = await startMoodleSim();
    connection = connectionFor(sim, pauseMapping as never);
    school = datedSchool();
    clock = new Date('2026-02-01T00:00:00Z');
    store = openDatedStore();
  });
  afterEach(async () => {
    store.close();
    await sim.close();
  });

  /** One student leaves, one arrives: far below every limit of the safety rail. */
  function leaverAndNewcomer(): Snapshot {
    const next = structuredClone(school);
    next.people = next.people.filter((p) => p.smsId !== 'S0');
    next.enrolments = next.enrolments.filter((e) => e.personSmsId !== 'S0');
    next.people.push({
      smsId: 'S99',
      role: 'student',
      givenName: 'New',
      familyName: 'Comer',
      username: 'new99',
      email: 'new99@school.example',
      active: true,
    });
    next.enrolments.push({ personSmsId: 'S99', courseSmsId: 'C1', role: 'student', active: true });
    return next;
  }
  const suspendedUsers = () => lmsView(sim, school).users.filter((u) => u.endsWith(':suspended'));

  it('a fresh site in a pause: nothing to remove, so everything is created and nothing is held', async () => {
    const first = await uploadAt(PAUSED);
    expect(first.outcome).toBe('ok');
    expect(first.removals.pause?.label).toBe('rollover pause until 2027-02-01');
    expect(store.heldPlans.list()).toEqual([]);
    expect(lmsView(sim, school).users.length).toBeGreaterThan(15);
  });

  it('holds one leaver inside the window while the newcomer is created; approving lets it through', async () => {
    await uploadAt(PAUSED);
    store.snapshot.replace(leaverAndNewcomer(), 'test');

    const paused = await uploadAt(PAUSED);
    expect(paused.outcome).toBe('ok');
    expect(paused.message).toContain(
      'Removals held: rollover pause until 2027-02-01 — this upload would suspend 1 person;',
    );
    expect(paused.heldPlan?.state).toBe('pending');
    expect(suspendedUsers()).toEqual([]);
    expect([...sim.state.users.values()].some((u) => u.username === 'new99')).toBe(true);
    expect(store.heldPlans.list()).toHaveLength(1);

    const preview = previewUpload(store, connection, NZ, 3, PAUSED);
    expect(preview.removals.message).toContain('Removals held: rollover pause until 2027-02-01');
    expect(preview.lifecycle?.pause?.until).toBe('2027-02-01');

    store.heldPlans.decide(paused.heldPlan!.id, 'approved');
    const approved = await uploadAt(PAUSED);
    expect(approved.outcome).toBe('ok');
    expect(suspendedUsers()).toHaveLength(1);
  });

  it('a rejection in the pause holds back only the removals; later creations still go through', async () => {
    await uploadAt(PAUSED);
    store.snapshot.replace(leaverAndNewcomer(), 'test');
    const paused = await uploadAt(PAUSED);
    store.heldPlans.decide(paused.heldPlan!.id, 'rejected');
    const next = structuredClone(leaverAndNewcomer());
    next.people.push({
      ...next.people.find((p) => p.smsId === 'S99')!,
      smsId: 'S98',
      username: 'new98',
      email: 'new98@school.example',
    });
    store.snapshot.replace(next, 'test');

    const after = await uploadAt(PAUSED);
    expect(after.outcome).toBe('ok');
    expect(after.message).toContain('You rejected these removals');
    expect(after.message).toContain('they are not sent until the SMS data changes.');
    expect(suspendedUsers()).toEqual([]);
    expect([...sim.state.users.values()].some((u) => u.username === 'new98')).toBe(true);
  });

  it('outside the window the normal rule applies: one leaver goes through', async () => {
    await uploadAt(PAUSED);
    store.snapshot.replace(leaverAndNewcomer(), 'test');
    // 1 February 00:00 in Auckland: the pause is over.
    const after = await uploadAt(new Date('2027-01-31T11:00:00Z'));
    expect(after.outcome).toBe('ok');
    expect(after.heldPlan).toBeUndefined();
    expect(suspendedUsers()).toHaveLength(1);
  });
});
