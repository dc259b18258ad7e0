import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addActivities, gradeStudent, startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { callSim } from '../../adapters/testing/moodle-sim/test-support';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool, type SyntheticSchool } from '../../adapters/testing/sms-fixtures/school';
import { KeychainSecretStore } from '../core/secrets';
import { runCliAsync, type CliResult } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

// Every admin action of the app, run through the built `classbridge` command against the Moodle
// simulator, as an IT person without the app would.
const tempDir = useTempDirs();
const CONNECTION = 'moodle-main';

/**
 * The school's combined CSV export without its teacher columns: the fixture names teachers without
 * usernames, which are planning errors on every upload, and these tests need uploads that end ok.
 */
function csvWithoutTeachers(school: SyntheticSchool): string {
  const lines = combinedCsv(school).split('\r\n');
  const header = lines[0] ?? '';
  expect(header).toContain('Teacher Code,Teacher First Name,Teacher Surname');
  lines[0] = header.replace('Teacher Code,Teacher First Name,Teacher Surname', 'Note A,Note B,Note C');
  return lines.join('\r\n');
}

interface School {
  dir: string;
  school: SyntheticSchool;
  cli(...args: string[]): Promise<CliResult>;
  /** Imports this version of the school as the SMS export. */
  importSchool(school: SyntheticSchool): Promise<void>;
}

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await new KeychainSecretStore().deleteAll(CONNECTION);
  await sim.close();
});

/** Configuration (roles given, so enrolments into empty courses work), token and one import, all by CLI. */
async function setUpSchool(seed: number): Promise<School> {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
  const config = {
    ...SCHOOL_CONFIG,
    connections: [
      SCHOOL_CONFIG.connections[0],
      { ...SCHOOL_CONFIG.connections[1], url: sim.url, mapping: { roleIds: { student: 5, editingteacher: 3 } } },
    ],
  };
  writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
  expect((await cli('config', 'import', join(dir, 'school.json'))).status).toBe(0);
  expect(
    (await runCliAsync(['--data-dir', dataDir, 'secret', 'set', CONNECTION, 'token'], { stdin: sim.token })).status,
  ).toBe(0);
  const importSchool = async (version: SyntheticSchool) => {
    writeFileSync(join(dir, 'export.csv'), csvWithoutTeachers(version));
    const imported = await cli('import', '--provider', 'csv', join(dir, 'export.csv'));
    expect(imported.status, imported.stderr).toBe(0);
  };
  const school = generateSchool({ seed });
  await importSchool(school);
  return { dir, school, cli, importSchool };
}

const suspendedUsers = () => [...sim.state.users.values()].filter((u) => !u.deleted && u.suspended);

describe('classbridge held', () => {
  it('holds a mass suspension, says where to approve it, and the next sync applies it once approved', async () => {
    const { school, cli, importSchool } = await setUpSchool(61);
    const first = await cli('sync', 'upload');
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect((await cli('held', 'list')).stdout).toContain('No upload is held for approval.');

    // An export that lost two thirds of the students: the upload is held, nothing is suspended.
    const truncated = structuredClone(school);
    const gone = truncated.students.slice(0, 20);
    const goneIds = new Set(gone.map((s) => s.id));
    truncated.students = truncated.students.filter((s) => !goneIds.has(s.id));
    truncated.enrolments = truncated.enrolments.filter((e) => !goneIds.has(e.studentId));
    await importSchool(truncated);
    const preview = await cli('sync', 'upload', '--dry-run');
    expect(preview.stdout).toContain('HELD for approval: This upload would suspend 20 of');
    expect(preview.stdout).toContain('`classbridge held approve <id>`');
    const held = await cli('sync', 'upload');
    expect(held.status).toBe(1);
    expect(held.stdout).toContain('Moodle (main): held — This upload would suspend 20 of');
    const list = JSON.parse((await cli('--json', 'held', 'list')).stdout) as { id: number; state: string }[];
    expect(list).toHaveLength(1);
    const id = list[0]!.id;
    expect(held.stdout).toContain(`\`classbridge held approve ${id}\``);
    expect(held.stdout).toContain('dashboard');
    expect(suspendedUsers()).toHaveLength(0);

    const people = await cli('held', 'list');
    expect(people.status).toBe(0);
    expect(people.stdout).toMatch(new RegExp(`^${id}  Moodle \\(main\\)  pending  held .*: 20 users suspended$`, 'm'));
    const shown = await cli('held', 'show', String(id));
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Removals: 20 users suspended');
    for (const student of gone) expect(shown.stdout).toContain(`(${student.username})`);
    const status = await cli('status');
    expect(status.stdout).toContain('HELD for approval since');
    expect(status.stdout).toContain(`classbridge held approve ${id}`);

    // Unknown and malformed ids: a clear failure, or a usage error.
    for (const verb of ['show', 'approve', 'reject']) {
      const unknown = await cli('held', verb, '999');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain(`There is no held plan 999. Waiting for a decision: ${id}.`);
    }
    expect((await cli('held', 'approve', 'first')).status).toBe(2);

    const approved = await cli('held', 'approve', String(id));
    expect(approved.status, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('the next upload applies these removals');
    expect(approved.stdout).toContain('classbridge sync upload');
    expect(suspendedUsers()).toHaveLength(0);

    const applied = await cli('sync', 'upload');
    expect(applied.status, applied.stdout).toBe(0);
    expect(applied.stdout).toContain('20 removed');
    expect(
      suspendedUsers()
        .map((u) => u.username)
        .sort(),
    ).toEqual(gone.map((s) => s.username).sort());
    expect((await cli('held', 'list')).stdout).toContain('No upload is held for approval.');
    expect((await cli('held', 'list', '--all')).stdout).toMatch(new RegExp(`^${id}  Moodle \\(main\\)  applied`, 'm'));
    const late = await cli('held', 'reject', String(id));
    expect(late.status).toBe(1);
    expect(late.stderr).toContain('no longer waiting for a decision: it was approved and applied');
  });

  it('a rejected plan keeps holding the upload; approve --upload applies a new one at once', async () => {
    const { school, cli, importSchool } = await setUpSchool(62);
    expect((await cli('sync', 'upload')).status).toBe(0);
    const truncated = structuredClone(school);
    const goneIds = new Set(truncated.students.slice(0, 20).map((s) => s.id));
    truncated.students = truncated.students.filter((s) => !goneIds.has(s.id));
    truncated.enrolments = truncated.enrolments.filter((e) => !goneIds.has(e.studentId));
    await importSchool(truncated);
    expect((await cli('sync', 'upload')).status).toBe(1);
    const [plan] = JSON.parse((await cli('--json', 'held', 'list')).stdout) as { id: number }[];

    const rejected = await cli('held', 'reject', String(plan!.id));
    expect(rejected.status).toBe(0);
    expect(rejected.stdout).toContain('Rejected: nothing is removed.');
    const again = await cli('sync', 'upload');
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('held — Held: you rejected these removals');
    expect(suspendedUsers()).toHaveLength(0);

    // The SMS data changes (one more student gone): a new plan, approved and uploaded in one go.
    truncated.students = truncated.students.slice(1);
    const kept = new Set(truncated.students.map((s) => s.id));
    truncated.enrolments = truncated.enrolments.filter((e) => kept.has(e.studentId));
    await importSchool(truncated);
    expect((await cli('sync', 'upload')).status).toBe(1);
    const [next] = JSON.parse((await cli('--json', 'held', 'list')).stdout) as { id: number }[];
    expect(next!.id).not.toBe(plan!.id);
    const approved = await cli('held', 'approve', String(next!.id), '--upload');
    expect(approved.status, approved.stdout + approved.stderr).toBe(0);
    expect(approved.stdout).toContain('Approved and uploaded.');
    expect(suspendedUsers()).toHaveLength(21);
  });
});

describe('classbridge courses', () => {
  it('lists the New courses course tracking found; opening one makes the upload enrol and the download deliver', async () => {
    const { dir, school, cli } = await setUpSchool(63);
    // The school's Moodle admin created two of its courses (idnumber = the SMS course code).
    const [maths, science] = school.courses;
    await callSim(sim, 'core_course_create_courses', {
      courses: [maths!, science!].map((c) => ({
        fullname: c.name,
        shortname: c.code,
        idnumber: c.code,
        categoryid: 1,
      })),
    });
    expect((await cli('sync', 'course-tracking')).status).toBe(0);
    const list = await cli('courses', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^ *\\d+  New +${maths!.code}  ${maths!.name}$`, 'm'));
    expect(list.stdout).toContain('5 courses: 0 open, 5 new, 0 closed, 0 deleted.');
    expect(list.stdout).toContain('`classbridge courses open <id|shortname>…`');
    const newOnes = JSON.parse((await cli('--json', 'courses', 'list', '--state', 'new')).stdout) as {
      lmsId: number;
      shortname: string;
    }[];
    expect(newOnes).toHaveLength(5);
    expect((await cli('courses', 'list', '--state', 'sideways')).status).toBe(2);

    // Nothing Open: the download reads nothing.
    const before = await cli('sync', 'download');
    expect(before.stdout).toContain('0 results from 0 open courses');

    // A name that matches nothing changes nothing, even next to one that does.
    const unknown = await cli('courses', 'open', maths!.code, 'NO-SUCH-COURSE');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Nothing was changed. No course "NO-SUCH-COURSE" in the course list');
    expect((await cli('courses', 'list', '--state', 'open')).stdout).toContain('No course matches.');
    expect((await cli('courses', 'open')).status).toBe(2);

    const opened = await cli('courses', 'open', maths!.code.toLowerCase());
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toContain('1 course marked Open.');
    const twice = await cli('courses', 'open', String(newOnes.find((c) => c.shortname === maths!.code)!.lmsId));
    expect(twice.stdout).toContain(`${maths!.code} (`);
    expect(twice.stdout).toContain('already open.');

    const upload = await cli('sync', 'upload');
    expect(upload.status, upload.stdout).toBe(0);
    const lmsCourse = [...sim.state.courses.values()].find((c) => c.idnumber === maths!.code)!;
    const enrolled = sim.state.userEnrolments.filter((ue) =>
      [...sim.state.enrolInstances.values()].some((i) => i.id === ue.enrolid && i.courseid === lmsCourse.id),
    );
    const students = school.enrolments.filter((e) => e.courseId === maths!.id).length;
    expect(enrolled).toHaveLength(students);

    // A teacher marks work; the download delivers it.
    const [item] = addActivities(sim.state, lmsCourse.id, [{ name: 'Essay' }]);
    for (const ue of enrolled) gradeStudent(sim.state, item!.id, ue.userid, 70);
    const download = await cli('sync', 'download');
    expect(download.status, download.stdout).toBe(0);
    expect(download.stdout).toContain(`${students} results from 1 open courses`);
    expect(download.stdout).toContain(`${students} delivered`);
    const file = join(dir, 'data', 'results', CONNECTION, 'results.csv');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(students + 1);
    expect((await cli('courses', 'list', '--state', 'open')).stdout).toContain(`${students} results (avg`);

    const closed = await cli('courses', 'close', maths!.code);
    expect(closed.stdout).toContain('1 course marked Closed.');
    expect(closed.stdout).toContain('their enrolments stay as they are in the LMS (nobody is unenrolled)');
    const all = await cli('--json', 'courses', 'open', '--all-new');
    expect(JSON.parse(all.stdout)).toMatchObject({ changed: 4, skipped: [] });
    const states = JSON.parse((await cli('--json', 'courses', 'list')).stdout) as { state: string }[];
    expect(states.map((c) => c.state).sort()).toEqual(['Closed', 'Open', 'Open', 'Open', 'Open']);
  });
});

describe('classbridge errors, and the exit code of a sync that left records unsynced', () => {
  it('exits 1 when a record fails, lists it with its id, and errors retry sends it once the cause is fixed', async () => {
    const { school, cli, importSchool } = await setUpSchool(64);
    // One student's email clashes with the LMS admin's: Moodle refuses that account.
    const clashing = structuredClone(school);
    const student = clashing.students[0]!;
    student.email = 'admin@example.invalid';
    await importSchool(clashing);

    const upload = await cli('sync', 'upload');
    expect(upload.status).toBe(1);
    expect(upload.stdout).toMatch(/Moodle \(main\): partial — Upload: \d+ created.*1 failed/);
    expect(upload.stdout).toContain('1 record did not sync: see `classbridge errors list`');
    const json = JSON.parse((await cli('--json', 'sync', 'upload')).stdout) as { outcome: string; failed: number }[];
    expect(json[0]).toMatchObject({ outcome: 'partial', failed: 1 });

    const listed = await cli('errors', 'list');
    expect(listed.status).toBe(0);
    const errors = JSON.parse((await cli('--json', 'errors', 'list')).stdout) as { id: number; recordKey: string }[];
    const failed = errors.find((e) => e.recordKey === student.id);
    expect(failed).toBeDefined();
    expect(listed.stdout).toContain(
      `${failed!.id}  upload  person ${student.id}: The email address "admin@example.invalid" is already used by another LMS account`,
    );
    expect(listed.stdout).toContain('classbridge errors retry <id>');

    // Retried before the cause is fixed: still open, exit 1.
    const early = await cli('errors', 'retry', String(failed!.id));
    expect(early.status).toBe(1);
    expect(early.stdout).toContain(`Error ${failed!.id}: the record still does not sync (partial).`);
    expect(early.stdout).toContain('is already used by another LMS account');
    const [now] = JSON.parse((await cli('--json', 'errors', 'list')).stdout) as { id: number }[];
    expect(early.stdout).toContain(`It is now error ${now!.id}.`);

    // The admin fixes the email in the SMS; Retry sends that one record, here and now.
    await importSchool(school);
    sim.resetCounters();
    const retried = await cli('errors', 'retry', String(now!.id));
    expect(retried.status, retried.stdout + retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`Error ${now!.id} is resolved`);
    expect(sim.requestCount('core_user_create_users')).toBe(1);
    expect([...sim.state.users.values()].some((u) => u.username === student.username)).toBe(true);
    expect((await cli('errors', 'list')).stdout).toContain('No open sync errors.');
    expect((await cli('errors', 'list', '--all')).stdout).toContain(`(resolved `);

    const unknown = await cli('errors', 'retry', '9999');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('There is no sync error 9999.');
    expect((await cli('errors', 'retry', 'x1')).status).toBe(2);
    expect((await cli('errors', 'list', '--part', 'everything')).status).toBe(2);
    // A script from before the upload was one part names a record kind: read as the upload.
    const byOldName = await cli('errors', 'list', '--part', 'enrolments', '--all');
    expect(byOldName.status, byOldName.stderr).toBe(0);
    expect(byOldName.stdout).toContain(`${now!.id}  upload  person ${student.id}`);

    // Everything synced: exit 0.
    const clean = await cli('sync', 'upload');
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('Moodle (main): ok');
  });
});
