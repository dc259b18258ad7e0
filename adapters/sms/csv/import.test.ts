import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMBINED_CSV_MAPPING,
  COMBINED_FILE,
  SEPARATE_CSV_MAPPING,
  combinedCsv,
  separateCsvFiles,
} from '../../testing/sms-fixtures/csv';
import { generateSchool, SIZE_S } from '../../testing/sms-fixtures/school';
import { createCsvAdapter } from './index';

const school = generateSchool({ seed: 7, size: SIZE_S, country: 'nz' });
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cb-csv-import-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function writeFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(folder, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

describe('createCsvAdapter', () => {
  it('describes itself as a file source that writes results back as a file', () => {
    const adapter = createCsvAdapter({ mapping: COMBINED_CSV_MAPPING });
    expect(adapter.describe()).toEqual({
      provider: 'csv',
      capabilities: { pull: false, push: false, file: true, resultsWriteBack: ['file'] },
    });
  });

  it('reads a combined file: one row per enrolment, people and classes merged', async () => {
    const dir = await writeFolder('combined', { [COMBINED_FILE]: combinedCsv(school) });
    const { snapshot } = await createCsvAdapter({ mapping: COMBINED_CSV_MAPPING }).import({ kind: 'path', path: dir });
    const studentIds = new Set(school.enrolments.map((e) => e.studentId));
    expect(snapshot.people.filter((p) => p.role === 'student')).toHaveLength(studentIds.size);
    expect(snapshot.enrolments.filter((e) => e.role === 'student')).toHaveLength(school.enrolments.length);
    const first = school.students[0];
    const person = snapshot.people.find((p) => p.smsId === first?.id);
    expect(person).toMatchObject({ givenName: first?.givenName, familyName: first?.familyName, role: 'student' });
    expect(person?.extra?.['nsn']).toBe(first?.nationalId);
    expect(snapshot.people.some((p) => p.role === 'staff')).toBe(true);
    expect(snapshot.enrolments.some((e) => e.role === 'teacher' && e.groupSmsId)).toBe(true);
    // The sample school's teaching period runs around today (its dates are never written here).
    const { startDate, endDate } = school.courses[0]!;
    expect(snapshot.courses[0]).toMatchObject({ startDate, endDate });
  });

  it('reads the combined file itself when the path is the file, with ; delimiters and DD/MM/YYYY dates', async () => {
    const dir = await writeFolder('semicolon', { 'export.csv': combinedCsv(school, { delimiter: ';', dates: 'nz' }) });
    const adapter = createCsvAdapter({ mapping: COMBINED_CSV_MAPPING });
    const { snapshot } = await adapter.import({ kind: 'path', path: join(dir, 'export.csv') });
    expect(snapshot.enrolments.filter((e) => e.role === 'student')).toHaveLength(school.enrolments.length);
    expect(snapshot.courses[0]?.startDate).toBe(school.courses[0]!.startDate);
  });

  it('reads tab-delimited text', async () => {
    const dir = await writeFolder('tabs', {
      [COMBINED_FILE]: combinedCsv(school, { delimiter: '\t', lineEnding: '\n' }),
    });
    const { snapshot } = await createCsvAdapter({ mapping: COMBINED_CSV_MAPPING }).import({ kind: 'path', path: dir });
    expect(snapshot.people.length).toBeGreaterThan(school.students.length - 1);
  });

  it('reads separate files and joins them by id, with teacher enrolments by role', async () => {
    const dir = await writeFolder('separate', separateCsvFiles(school));
    const { snapshot, warnings } = await createCsvAdapter({ mapping: SEPARATE_CSV_MAPPING }).import({
      kind: 'path',
      path: dir,
    });
    expect(snapshot.people).toHaveLength(school.students.length + school.staff.length);
    expect(snapshot.courses).toHaveLength(school.courses.length);
    expect(snapshot.groups).toHaveLength(school.classes.length);
    expect(snapshot.enrolments).toHaveLength(school.enrolments.length + school.classes.length);
    expect(snapshot.enrolments.filter((e) => e.role === 'teacher')).toHaveLength(school.classes.length);
    const inactive = school.students.filter((s) => !s.active).map((s) => s.id);
    expect(snapshot.people.filter((p) => !p.active).map((p) => p.smsId)).toEqual(inactive);
    expect(warnings).toEqual([]);
  });

  it('derives courses and classes from the enrolments file when there are no such files', async () => {
    const files = separateCsvFiles(school);
    const dir = await writeFolder('derived', {
      'people.csv': files['people.csv'] ?? '',
      'enrolments.csv': files['enrolments.csv'] ?? '',
    });
    const mapping = {
      ...SEPARATE_CSV_MAPPING,
      files: { people: 'people.csv', enrolments: 'enrolments.csv' },
      courses: undefined,
      groups: undefined,
    };
    const { snapshot } = await createCsvAdapter({ mapping }).import({ kind: 'path', path: dir });
    expect(snapshot.courses).toHaveLength(school.courses.length);
    expect(snapshot.groups).toHaveLength(school.classes.length);
  });

  it('reads uploaded payloads ({ name, content })', async () => {
    const adapter = createCsvAdapter({ mapping: COMBINED_CSV_MAPPING });
    const { snapshot } = await adapter.import({
      kind: 'payloads',
      payloads: [{ name: 'upload-123.csv', content: new TextEncoder().encode(combinedCsv(school)) }],
    });
    expect(snapshot.enrolments.filter((e) => e.role === 'student')).toHaveLength(school.enrolments.length);
  });

  it('matches headers ignoring case and spacing, and warns once about unmapped columns', async () => {
    const text = 'student id,FIRST NAME,surname,Subject,Favourite Colour\n1,Aroha,Ngata,10MAT,Blue\n';
    const dir = await writeFolder('loose', { 'x.csv': text });
    const mapping = {
      mode: 'combined',
      file: 'x.csv',
      person: { smsId: 'Student ID', givenName: 'First Name', familyName: 'Surname' },
      course: { smsId: 'Subject' },
    } as const;
    const { snapshot, warnings } = await createCsvAdapter({ mapping }).import({ kind: 'path', path: dir });
    expect(snapshot.people[0]).toMatchObject({ smsId: '1', givenName: 'Aroha', familyName: 'Ngata', active: true });
    expect(snapshot.courses[0]).toEqual({ smsId: '10MAT', code: '10MAT', name: '10MAT' });
    expect(warnings).toEqual([{ message: 'Columns not mapped, ignored: Favourite Colour', file: 'x.csv', line: 1 }]);
  });

  it('keeps per-course class numbers apart (scope per-course)', async () => {
    const text = 'ID,First,Last,Subject,Class\n1,A,B,MAT,1\n1,A,B,ENG,1\n';
    const dir = await writeFolder('scope', { 'x.csv': text });
    const mapping = {
      mode: 'combined',
      file: 'x.csv',
      person: { smsId: 'ID', givenName: 'First', familyName: 'Last' },
      course: { smsId: 'Subject' },
      group: { smsId: 'Class', scope: 'per-course' },
    } as const;
    const { snapshot } = await createCsvAdapter({ mapping }).import({ kind: 'path', path: dir });
    expect(snapshot.groups.map((g) => g.smsId)).toEqual(['MAT/1', 'ENG/1']);
  });
});
