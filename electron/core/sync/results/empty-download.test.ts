import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../test-support/temp';
import { SmsConnectionSchema, type Snapshot } from '../../model';
import type { Store } from '../../store/store';
import { startPartRunMoodle, syntheticSchool } from '../../../test-support/upload-harness';
import { runPart } from '../run-part';
import { previewUpload } from '../upload/preview-upload';

/**
 * Silent empties (issue 12 item 5), through the engine's part runner as a scheduled or CLI run does
 * it: a download that finds no results says why, and an upload with nothing imported says so.
 */
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let deps: Parameters<typeof runPart>[0];
const LMS = 'm';

beforeEach(async () => {
  ({ sim, store, deps } = await startPartRunMoodle(tempDir(), LMS));
});
afterEach(async () => {
  store.close();
  await sim.close();
});

/** The synthetic school, every enrolment starting on `startDate`. */
function schoolStarting(startDate: string): Snapshot {
  const school = syntheticSchool(12, 3);
  return { ...school, enrolments: school.enrolments.map((e) => ({ ...e, startDate })) };
}

describe('a download that finds no results says why', () => {
  it('no course is Open: says how many are New and how to open them', async () => {
    expect((await runPart(deps, LMS, 'course-tracking', 'manual')).outcome).toBe('ok');
    const known = store.lmsCourses.list({ connectionId: LMS, states: ['New'] }).length;
    expect(known).toBeGreaterThan(1);

    const outcome = await runPart(deps, LMS, 'results', 'manual');
    expect(outcome.message).toContain('0 results from 0 open courses');
    expect(outcome.message).toContain(
      `${known} courses are New: mark them Open on the Courses page or with \`classbridge courses open`,
    );
    expect(store.runs.last(LMS, 'results')?.message).toBe(outcome.message);

    // With one Open course, that sentence goes: a course was read.
    const [first] = store.lmsCourses.list({ connectionId: LMS, states: ['New'] });
    store.lmsCourses.setState(LMS, first!.lmsId, 'Open');
    expect((await runPart(deps, LMS, 'results', 'manual')).message).not.toContain('are New');
  });

  it('grades read but none matched to an SMS student: a warning with why and the fix, never a green OK', async () => {
    // The site's own courses have students nobody in this (empty) SMS export is: no link, no idnumber match.
    expect((await runPart(deps, LMS, 'course-tracking', 'manual')).outcome).toBe('ok');
    for (const c of store.lmsCourses.list({ connectionId: LMS, states: ['New'] }))
      store.lmsCourses.setState(LMS, c.lmsId, 'Open');
    const outcome = await runPart(deps, LMS, 'results', 'manual');
    expect(outcome.message).toMatch(/^0 results from \d+ open courses/);
    expect(outcome.message).toMatch(/\d+ students? in the gradebooks match(es)? nobody in the SMS/);
    expect(outcome.message).toContain('Run the upload first (it links the accounts)');
    expect(outcome.outcome).toBe('partial');
    expect(store.runs.last(LMS, 'results')?.counts.unmatched).toBeGreaterThan(0);
  });

  it('the Open courses’ enrolments have not started: says how many start when', async () => {
    store.snapshot.replace(schoolStarting('2031-02-01'), 'test');
    const upload = await runPart(deps, LMS, 'upload', 'manual');
    expect(upload.outcome, upload.message).toBe('ok');
    await runPart(deps, LMS, 'course-tracking', 'manual');
    const created = store.lmsCourses
      .list({ connectionId: LMS, states: ['New', 'Open'] })
      .filter((c) => c.idnumber.startsWith('SYN'));
    expect(created).toHaveLength(3);
    for (const c of created) store.lmsCourses.setState(LMS, c.lmsId, 'Open');
    // Moodle has the students enrolled, from 1 Feb 2031 (reference §10: no grade rows before then).
    const students = syntheticSchool(12, 3).enrolments.filter((e) => e.role === 'student').length;

    const outcome = await runPart(deps, LMS, 'results', 'manual');
    expect(outcome.outcome).toBe('ok');
    expect(outcome.message).toContain('0 results from 3 open courses');
    expect(outcome.message).toContain(
      `${students} enrolments start on 1 Feb 2031: Moodle reports no grades before then.`,
    );
    // Staff enrolments start then too, but they are no gradebook's business: only students are counted.
    const all = syntheticSchool(12, 3).enrolments.length;
    expect(sim.state.userEnrolments.filter((ue) => ue.timestart > Date.now() / 1000)).toHaveLength(all);
  });
});

describe('an upload with an SMS configured but no export imported says so', () => {
  beforeEach(() => {
    store.connections.save(
      SmsConnectionSchema.parse({
        id: 'sms',
        kind: 'sms',
        provider: 'csv',
        name: 'Student records',
        source: '/srv/exports',
      }),
    );
  });

  it('in the dry run and in the run, with the step left; nothing is sent', async () => {
    const connection = store.connections.get(LMS);
    if (connection?.kind !== 'lms') throw new Error('no LMS connection');
    const preview = previewUpload(store, connection, store.settings.get());
    expect(preview.summary).not.toContain('Nothing to change');
    expect(preview.summary).toContain('No export from the SMS "Student records" (/srv/exports) has been imported yet');
    expect(preview.summary).toContain('classbridge import /srv/exports');

    sim.resetCounters();
    const outcome = await runPart(deps, LMS, 'upload', 'manual');
    expect(outcome.outcome).toBe('failed');
    expect(outcome.message).toContain('has been imported yet, so there is nothing to upload');
    const error = store.runs.listErrors({ part: 'upload' }).find((e) => e.recordKind === 'connection');
    expect(error?.fix).toContain('classbridge import /srv/exports');
    expect(sim.requestCount('core_user_create_users')).toBe(0);

    // Once an export is in, the upload plans from it as usual.
    store.snapshot.replace(syntheticSchool(4, 2), 'test');
    expect(previewUpload(store, connection, store.settings.get()).summary).toMatch(/^Will create/);
  });
});
