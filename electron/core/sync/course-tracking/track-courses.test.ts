import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LmsError } from '../../../../adapters/contract';
import { createMoodleAdapter } from '../../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema, COURSE_STATES } from '../../model';
import { openStore, type Store } from '../../store/store';
import { coursesById, EmptyCourseListError, trackCourses } from './index';

// The real store (SQLite in a temp folder) and the real Moodle adapter against the simulator over HTTP.
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let clock: Date;
const CONNECTION = 'moodle';

beforeEach(async () => {
  sim = await startMoodleSim();
  clock = new Date('2026-11-23T09:00:00Z');
  store = openStore({ file: join(tempDir(), 'cb.db'), now: () => clock });
  store.connections.save(
    ConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'Moodle', url: sim.url }),
  );
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const adapter = () => createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1, timeoutMs: 5000 });
const track = () => trackCourses(adapter(), store, CONNECTION);
/** The sim's real courses (course 1 is the site front page, not a course). */
const simCourseIds = () => [...sim.state.courses.values()].filter((c) => c.format !== 'site').map((c) => c.id);
const stateOf = (lmsId: number) => coursesById(store, CONNECTION).get(lmsId)?.state;
const allRows = () => store.lmsCourses.list({ connectionId: CONNECTION, states: COURSE_STATES });

describe('trackCourses', () => {
  it('records every course as New on the first run, and nothing new on the second', async () => {
    const ids = simCourseIds();
    expect(ids.length).toBeGreaterThan(1);
    expect(await track()).toEqual({ added: ids.length, deleted: 0, returned: 0, total: ids.length });
    const rows = store.lmsCourses.list({ connectionId: CONNECTION });
    expect(rows.map((r) => r.lmsId).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.state === 'New')).toBe(true);
    const math = rows.find((r) => r.lmsId === 2);
    expect(math).toMatchObject({ shortname: 'MATH101-2026S1', idnumber: sim.state.courses.get(2)?.idnumber });

    expect(await track()).toEqual({ added: 0, deleted: 0, returned: 0, total: ids.length });
  });

  it("keeps an admin's Open decision and picks up a renamed course", async () => {
    await track();
    expect(store.lmsCourses.setState(CONNECTION, 2, 'Open')).toBe('changed');
    const course = sim.state.courses.get(2);
    if (!course) throw new Error('seed changed: no MATH101');
    course.fullname = 'Mathematics 101 (renamed)';
    await track();
    expect(stateOf(2)).toBe('Open');
    expect(coursesById(store, CONNECTION).get(2)?.fullname).toBe('Mathematics 101 (renamed)');
  });

  it('marks a course deleted in the LMS Deleted, hides it, keeps its name, and makes it New when it returns', async () => {
    await track();
    store.lmsCourses.setState(CONNECTION, 3, 'Open');
    const bio = sim.state.courses.get(3);
    if (!bio) throw new Error('seed changed: no BIO110');
    sim.state.courses.delete(3);

    expect(await track()).toMatchObject({ added: 0, deleted: 1, returned: 0 });
    expect(stateOf(3)).toBe('Deleted');
    expect(store.lmsCourses.list({ connectionId: CONNECTION }).map((c) => c.lmsId)).not.toContain(3);
    // Still there to name old results and enrolments.
    expect(coursesById(store, CONNECTION).get(3)?.fullname).toBe(bio.fullname);
    // A second run does not count it again.
    expect(await track()).toMatchObject({ deleted: 0 });

    sim.state.courses.set(3, bio);
    expect(await track()).toMatchObject({ added: 0, deleted: 0, returned: 1 });
    // It was Open before it vanished; an admin must decide again.
    expect(stateOf(3)).toBe('New');
  });

  it('marks a course deleted in Moodle Deleted, though Moodle fails any id list that still holds it', async () => {
    await track();
    store.lmsCourses.setState(CONNECTION, 3, 'Open');
    sim.state.courses.delete(3);
    // What reconcile would meet if it asked for the course by id (reference §10).
    const byId = await adapter()
      .findCourses('id', [2, 3])
      .catch((e: unknown) => e);
    expect(byId).toBeInstanceOf(LmsError);
    expect((byId as LmsError).message).toContain('contextvalidated');

    expect(await track()).toMatchObject({ deleted: 1 });
    expect(stateOf(3)).toBe('Deleted');
    expect(stateOf(2)).toBe('New');
  });

  it('changes nothing and throws the LmsError when the course list cannot be read', async () => {
    await track();
    store.lmsCourses.setState(CONNECTION, 2, 'Open');
    sim.state.courses.delete(3); // would be Deleted if the run got that far
    const before = allRows();
    sim.injectFault(
      { kind: 'http-status', status: 502, body: '<html>Bad gateway</html>' },
      { function: 'core_course_get_courses_by_field', times: 10 },
    );
    clock = new Date(clock.getTime() + 60_000);

    const error = await track().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect((error as LmsError).kind).toBe('server');
    expect(allRows()).toEqual(before);
  });

  it('throws the access error when the listing function is revoked', async () => {
    await track();
    const before = allRows();
    sim.revokeFunction(sim.token, 'core_course_get_courses_by_field');
    sim.revokeFunction(sim.token, 'core_course_get_courses');
    const error = await track().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LmsError);
    expect((error as LmsError).kind).toBe('access');
    expect(allRows()).toEqual(before);
  });

  it('refuses an empty listing when courses are known, unless told it is real', async () => {
    await track();
    const known = simCourseIds();
    for (const id of known) sim.state.courses.delete(id);
    const before = allRows();

    await expect(track()).rejects.toBeInstanceOf(EmptyCourseListError);
    expect(allRows()).toEqual(before);

    expect(await trackCourses(adapter(), store, CONNECTION, { allowEmpty: true })).toMatchObject({
      deleted: known.length,
      total: 0,
    });
    expect(store.lmsCourses.list({ connectionId: CONNECTION })).toEqual([]);
  });

  it('keeps connections apart', async () => {
    store.connections.save(
      ConnectionSchema.parse({ id: 'other', kind: 'lms', provider: 'moodle', name: 'Other', url: sim.url }),
    );
    await track();
    store.lmsCourses.setState(CONNECTION, 2, 'Open');
    expect(await trackCourses(adapter(), store, 'other')).toMatchObject({ added: simCourseIds().length });
    expect(stateOf(2)).toBe('Open');
    expect(store.lmsCourses.list({ connectionId: 'other' }).every((c) => c.state === 'New')).toBe(true);
  });
});
