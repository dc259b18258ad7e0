import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS } from '../../model';
import { previewUpload } from '../upload/preview-upload';
import { readAppliedState } from '../plan/applied-state';
import {
  lmsView,
  moodleAdapter,
  type SimulatedSchool,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 12, 3));
  expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
  sim.resetCounters();
});
afterEach(() => stopSimulatedSchool({ sim, store }));

const user = (username: string) => [...sim.state.users.values()].find((u) => u.username === username && !u.deleted)!;
const inCourse = (view: ReturnType<typeof lmsView>, shortname: string) => ({
  enrolments: view.enrolments.filter((e) => e.includes(`@${shortname}:`)),
  members: view.members.filter((m) => m.includes(`@${shortname}/`)),
});

describe('upload with leave-alone marks, against the Moodle simulator', () => {
  it('a left-alone person whose SMS record changed is not updated, and a left-alone course is not touched', async () => {
    store.leaveAlone.add(connection.id, 'person', 'S1', 'Name kept as the family asked');
    store.leaveAlone.add(connection.id, 'course', 'C2');
    const before = lmsView(sim, school);
    const appliedBefore = readAppliedState(store, connection.id);
    const changed = structuredClone(school);
    changed.people.find((p) => p.smsId === 'S1')!.familyName = 'Changed1';
    changed.people.find((p) => p.smsId === 'S4')!.familyName = 'Changed4';
    changed.courses.find((c) => c.smsId === 'C2')!.name = 'Renamed in the SMS';
    // C2 loses every student's enrolment and gains S1's... and C0 loses S3 (not marked: suspended).
    changed.enrolments = changed.enrolments.filter(
      (e) => !(e.courseSmsId === 'C2' && e.personSmsId !== 'T1') && !(e.courseSmsId === 'C0' && e.personSmsId === 'S3'),
    );
    store.snapshot.replace(changed, 'test');

    const dryRun = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dryRun.summary).toContain('Will update 1 user; suspend 1 enrolment.');
    expect(dryRun.summary).toContain('Left alone, as you asked: 1 person and 1 course —');
    expect(dryRun.leftAlone).toMatchObject({ people: 1, courses: 1 });
    // Emptying a course is not a hold here: the marked course's students are not removals at all.
    expect(dryRun.removals.held).toBe(false);

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(user('syn4').lastname).toBe('Changed4');
    expect(user('syn1').lastname).toBe('Family1');
    expect(sim.requestCount('core_course_update_courses')).toBe(0);
    const after = lmsView(sim, school);
    expect(inCourse(after, 'SYN2-2026')).toEqual(inCourse(before, 'SYN2-2026'));
    expect(after.enrolments.filter((e) => e.startsWith('syn1@'))).toEqual(
      before.enrolments.filter((e) => e.startsWith('syn1@')),
    );
    expect(after.enrolments).toContain('syn3@SYN0-2026:student:suspended');
    // The marked records' baseline is as it was: the next upload does not take them for gone.
    const applied = readAppliedState(store, connection.id);
    expect(applied.people.S1).toEqual(appliedBefore.people.S1);
    expect(applied.courses.C2).toEqual(appliedBefore.courses.C2);
    sim.resetCounters();
    expect((await upload(store, moodleAdapter(sim), connection)).report?.skippedOps ?? []).toEqual([]);
    expect(lmsView(sim, school)).toEqual(after);

    // Lifted: the person's SMS change is sent.
    store.leaveAlone.remove(connection.id, 'person', 'S1');
    await upload(store, moodleAdapter(sim), connection);
    expect(user('syn1').lastname).toBe('Changed1');
  });
});
