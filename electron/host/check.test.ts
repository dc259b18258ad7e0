import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avetmissFiles, writeAvetmissFolder } from '../../adapters/testing/sms-fixtures/avetmiss';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { kamarFullPush } from '../../adapters/testing/sms-fixtures/kamar';
import { oneRosterFiles, zipBytes } from '../../adapters/testing/sms-fixtures/oneroster';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { openStore } from '../core/store/store';
import { runCli } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

// `classbridge check` and `import` on real export files of every format, as an admin runs them.
const tempDir = useTempDirs();
const nz = generateSchool({ seed: 11 });
const au = generateSchool({ seed: 12, country: 'au' });

async function exportsIn(dir: string): Promise<Record<string, string>> {
  const nat = join(dir, 'nat');
  await writeAvetmissFolder(nat, avetmissFiles(au));
  const oneroster = join(dir, 'roster.zip');
  writeFileSync(oneroster, zipBytes(oneRosterFiles(nz)));
  const csv = join(dir, 'students.csv');
  writeFileSync(csv, combinedCsv(nz));
  const kamar = join(dir, 'kamar-push.json');
  writeFileSync(kamar, JSON.stringify(kamarFullPush(nz, { chunks: 2 })));
  return { nat, oneroster, csv, kamar };
}

describe('classbridge check', () => {
  it('recognises and validates every format, printing what it found (exit 0)', async () => {
    const files = await exportsIn(tempDir());
    const noData = join(tempDir(), 'data');
    const nat = runCli(['--data-dir', noData, 'check', files.nat ?? '']);
    expect(nat.status).toBe(0);
    expect(nat.stdout).toContain(`valid AVETMISS NAT files (AVETMISS 8.0)`);
    expect(nat.stdout).toContain(`${au.students.length} students`);
    for (const [key, label] of [
      ['oneroster', 'OneRoster CSV'],
      ['csv', 'CSV'],
      ['kamar', 'KAMAR Directory Services push'],
    ] as const) {
      const result = runCli(['--data-dir', noData, '--json', 'check', files[key] ?? '']);
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { valid: boolean; counts: { students: number } };
      expect(report.valid).toBe(true);
      expect(report.counts.students, label).toBe(nz.students.length);
    }
  });

  it('names the file, line and field of a bad record (exit 1)', async () => {
    const dir = tempDir();
    const files = avetmissFiles(au);
    const lines = (files.NAT00080 ?? '').split('\r\n');
    // Date of birth is positions 74–81 of a NAT00080 record (AVETMISS 8.0): make it 31 February.
    lines[2] = `${lines[2]?.slice(0, 73)}31022001${lines[2]?.slice(81)}`;
    await writeAvetmissFolder(dir, { ...files, NAT00080: lines.join('\r\n') });
    const result = runCli(['--data-dir', join(dir, 'data'), 'check', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/NAT00080\.txt, line 3, column 74, field Date of birth/);
    expect(result.stderr).toContain('31022001');
  });

  it('is bad usage (exit 2) when the format cannot be told or the provider is unknown', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.bin'), 'hello');
    expect(runCli(['check', join(dir, 'notes.bin')]).status).toBe(2);
    expect(runCli(['check', join(dir, 'missing')]).status).toBe(2);
    expect(runCli(['check', dir, '--provider', 'sims']).status).toBe(2);
  });
});

describe('classbridge import', () => {
  it('makes a valid export the snapshot, and leaves it untouched when the next export is bad', async () => {
    const dir = tempDir();
    const files = await exportsIn(dir);
    const dataDir = join(dir, 'data');
    expect(runCli(['--data-dir', dataDir, 'import', files.csv ?? '']).status).toBe(0);
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, combinedCsv(nz).replace(/\r?\n/, '\n"unbalanced,'));
    const refused = runCli(['--data-dir', dataDir, 'import', broken]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/was not imported \(the previous snapshot is unchanged\): broken\.csv, line \d+/);
    const status = JSON.parse(runCli(['--data-dir', dataDir, '--json', 'status']).stdout) as {
      snapshot: { source: string; counts: { people: number } };
    };
    expect(status.snapshot.source).toContain('students.csv');
  });
});

/** The issue's own repro: teacher ABC takes both classes of 10ENG. */
const TWO_CLASSES_CSV =
  'Student ID,First Name,Last Name,Subject,Class,Teacher\r\n1,Aroha,Ngata,10ENG,10ENG-1,ABC\r\n2,Mere,Tane,10ENG,10ENG-2,ABC\r\n';

/** An SMS connection saved the way an admin does it without the wizard. */
function configure(dataDir: string, dir: string, sms: Record<string, unknown>): void {
  const file = join(dir, 'school.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'classbridge-config',
      version: 1,
      connections: [{ id: 'sms', kind: 'sms', name: 'SIS', options: {}, ...sms }],
    }),
  );
  const result = runCli(['--data-dir', dataDir, 'config', 'import', file]);
  expect(result.status, result.stderr).toBe(0);
}

describe('real school exports through check, import and status', () => {
  it('imports a person in two classes of one course: one enrolment per person, course and role, each class a group', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const csv = join(dir, 't.csv');
    writeFileSync(csv, TWO_CLASSES_CSV);
    const checked = runCli(['--data-dir', dataDir, 'check', csv]);
    expect(checked.status, checked.stderr).toBe(0);
    const imported = runCli(['--data-dir', dataDir, 'import', csv]);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);

    const store = openStore({ file: join(dataDir, 'classbridge.db') });
    try {
      const snapshot = store.snapshot.read();
      const teacher = snapshot.enrolments.filter(
        (e) => e.courseSmsId === snapshot.courses[0]?.smsId && e.role !== 'student',
      );
      expect(teacher).toHaveLength(1);
      expect(teacher[0]?.groupSmsIds).toHaveLength(2);
      expect(snapshot.enrolments.filter((e) => e.role === 'student').map((e) => e.groupSmsIds?.length)).toEqual([1, 1]);
      // The import is a recorded SMS import run, with its source.
      const run = store.runs.last(null, 'upload');
      expect(run).toMatchObject({ outcome: 'ok', trigger: 'manual' });
      expect(run?.message).toContain('t.csv');
    } finally {
      store.close();
    }

    const status = runCli(['--data-dir', dataDir, 'status']);
    expect(status.stdout).toMatch(
      /SMS data: CSV: .*t\.csv, imported \d{4}-\d\d-\d\dT[^:]+:\d\d:[\d.]+Z: 3 people, 1 courses, 2 classes, 3 enrolments/,
    );
  });

  it('records a refused import as a failed run that status reports, while the last good data stays', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const good = join(dir, 'good.csv');
    writeFileSync(good, TWO_CLASSES_CSV);
    expect(runCli(['--data-dir', dataDir, 'import', good]).status).toBe(0);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, TWO_CLASSES_CSV.replace('Aroha', 'Ar\u0000oha').replace('Mere', 'M\u0001ere'));
    const refused = runCli(['--data-dir', dataDir, 'import', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('U+0000');
    expect(refused.stderr).toContain('U+0001');

    const status = runCli(['--data-dir', dataDir, 'status']);
    expect(status.stdout).toContain('good.csv');
    expect(status.stdout).toMatch(/The latest import \(.*\) was refused: .*bad\.csv/);
    const store = openStore({ file: join(dataDir, 'classbridge.db') });
    try {
      expect(store.snapshot.read().people.map((p) => p.givenName)).toEqual(expect.arrayContaining(['Aroha', 'Mere']));
      const run = store.runs.last(null, 'upload');
      expect(run?.outcome).toBe('failed');
      expect(store.runs.listErrors({ includeResolved: false }).length).toBeGreaterThanOrEqual(2);
    } finally {
      store.close();
    }
  });

  it("reads with the configured connection's settings: a OneRoster course with its classes as groups", () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const zip = join(dir, 'roster.zip');
    writeFileSync(zip, zipBytes(oneRosterFiles(nz)));
    const plain = JSON.parse(runCli(['--data-dir', dataDir, '--json', 'check', zip]).stdout) as {
      counts: { courses: number; groups: number };
      connection?: unknown;
    };
    expect(plain.connection).toBeUndefined();
    configure(dataDir, dir, { provider: 'oneroster', options: { courseFrom: 'course' } });
    const configured = runCli(['--data-dir', dataDir, '--json', 'check', zip]);
    expect(configured.status, configured.stderr).toBe(0);
    const report = JSON.parse(configured.stdout) as {
      counts: { courses: number; groups: number };
      connection: { id: string; options: { courseFrom: string } };
    };
    expect(report.connection).toMatchObject({ id: 'sms', options: { courseFrom: 'course' } });
    expect(plain.counts.groups).toBe(0);
    expect(report.counts.groups).toBeGreaterThan(0);
    expect(runCli(['--data-dir', dataDir, 'check', zip]).stdout).toContain(
      'Read with the settings of the SMS connection "SIS" (courseFrom: course)',
    );
  });
});
