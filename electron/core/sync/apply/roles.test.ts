import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import type { Snapshot } from '../../model';
import { useTempDirs } from '../../../test-support/temp';
import {
  connectionFor,
  lmsView,
  moodleAdapter,
  openTestStore,
  syntheticSchool,
  upload,
} from '../../../test-support/upload-harness';

// Issue 13 item 7: roles follow the SMS — both where a person has two, the old one gone when it changes,
// and nobody left enrolled with no role.
const tempDir = useTempDirs();
let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

/** The school with the teacher T1 a student (not the teacher) of course C0. */
function teacherNowStudentIn(snapshot: Snapshot, course: string): Snapshot {
  return {
    ...snapshot,
    enrolments: snapshot.enrolments.map((e) =>
      e.personSmsId === 'T1' && e.courseSmsId === course ? { ...e, role: 'student' } : e,
    ),
  };
}

/** One person's enrolment in one course as the LMS holds it ("tteacher@SYN0-2026:editingteacher:active"). */
const rolesOf = (username: string, shortname: string) =>
  lmsView(sim, {
    people: [{ smsId: username, role: 'staff', givenName: '', familyName: '', username, active: true }],
    courses: [{ smsId: shortname, code: shortname, name: shortname }],
    groups: [],
    enrolments: [],
  }).enrolments;

describe('roles', () => {
  it('a teacher in one course and a student in another gets both', async () => {
    const school = teacherNowStudentIn(syntheticSchool(4, 2), 'C1');
    const connection = connectionFor(sim);
    const store = openTestStore(tempDir(), connection, school);
    try {
      expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
      expect(rolesOf('tteacher', 'SYN0-2026')).toEqual(['tteacher@SYN0-2026:editingteacher:active']);
      expect(rolesOf('tteacher', 'SYN1-2026')).toEqual(['tteacher@SYN1-2026:student:active']);
    } finally {
      store.close();
    }
  });

  it('a role the SMS no longer gives is unassigned once the new one is in; the enrolment stays', async () => {
    const school = syntheticSchool(4, 2);
    const connection = connectionFor(sim);
    const store = openTestStore(tempDir(), connection, school);
    try {
      expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
      expect(rolesOf('tteacher', 'SYN0-2026')).toEqual(['tteacher@SYN0-2026:editingteacher:active']);
      store.snapshot.replace(teacherNowStudentIn(school, 'C0'), 'test');
      const second = await upload(store, moodleAdapter(sim), connection);
      expect(second.outcome).toBe('ok');
      expect(rolesOf('tteacher', 'SYN0-2026')).toEqual(['tteacher@SYN0-2026:student:active']);
      // Nothing else changed: the other course keeps the teacher role.
      expect(rolesOf('tteacher', 'SYN1-2026')).toEqual(['tteacher@SYN1-2026:editingteacher:active']);
    } finally {
      store.close();
    }
  });

  it('with the removal policy "keep", the old role stays next to the new one', async () => {
    const school = syntheticSchool(4, 2);
    const connection = connectionFor(sim, { removalPolicy: 'keep' });
    const store = openTestStore(tempDir(), connection, school);
    try {
      await upload(store, moodleAdapter(sim), connection);
      store.snapshot.replace(teacherNowStudentIn(school, 'C0'), 'test');
      expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
      expect(rolesOf('tteacher', 'SYN0-2026')).toEqual(['tteacher@SYN0-2026:editingteacher+student:active']);
    } finally {
      store.close();
    }
  });

  it('when the new role cannot be given, the old one is not taken away', async () => {
    const school = syntheticSchool(4, 2);
    const connection = connectionFor(sim, { roles: { student: 'student', teacher: 'editingteacher', tutor: 'tutor' } });
    const store = openTestStore(tempDir(), connection, school);
    try {
      await upload(store, moodleAdapter(sim), connection);
      // "tutor" is no role on this site: the enrolment with it fails, and the teacher keeps the teacher role.
      const tutor = {
        ...school,
        enrolments: school.enrolments.map((e) =>
          e.personSmsId === 'T1' && e.courseSmsId === 'C0' ? { ...e, role: 'tutor' } : e,
        ),
      };
      store.snapshot.replace(tutor, 'test');
      const second = await upload(store, moodleAdapter(sim), connection);
      expect(second.outcome).toBe('partial');
      expect(rolesOf('tteacher', 'SYN0-2026')).toEqual(['tteacher@SYN0-2026:editingteacher:active']);
    } finally {
      store.close();
    }
  });
});
