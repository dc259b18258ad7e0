import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEPARATE_CSV_MAPPING } from '../../testing/sms-fixtures/csv';
import { createCsvAdapter } from './index';
import { DATED_MAPPING, SIMPLE_MAPPING, importError, importFiles } from '../../testing/sms-support/csv';

const HEADER = 'ID,First,Last,Subject\n';

describe('refused sources name the file, line and column', () => {
  it('unbalanced quotes: format, at the line where the open field starts', async () => {
    const error = await importError({ 'in.csv': `${HEADER}1,Aroha,Ngata,10MAT\n2,"Bo,Li,10MAT\n3,Cy,Do,10MAT\n` });
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ file: 'in.csv', line: 3 });
    expect(error.describe()).toContain('in.csv, line 3');
  });

  it('an unclosed quote in a big file stops after a bounded record, not at the end of the file', async () => {
    const rest = 'x,'.repeat(600_000);
    const error = await importError({ 'in.csv': `${HEADER}1,A,B,C\n2,"unclosed,${rest}\n` });
    expect(error).toMatchObject({ kind: 'format', where: { file: 'in.csv', line: 3 } });
  });

  it('a mapped column missing from the header: missing, naming the column and the file', async () => {
    const error = await importError({ 'in.csv': 'ID,First,Surname,Subject\n1,A,B,C\n' });
    expect(error.kind).toBe('missing');
    expect(error.where).toMatchObject({ file: 'in.csv', field: 'Last' });
    expect(error.message).toContain('"Last"');
    expect(error.message).toContain('in.csv');
  });

  it('the same person id with different names: duplicate, naming both lines', async () => {
    const error = await importError({ 'in.csv': `${HEADER}7,Aroha,Ngata,10MAT\n8,Bo,Li,10MAT\n7,Aroha,Smith,10ENG\n` });
    expect(error.kind).toBe('duplicate');
    expect(error.where).toMatchObject({ file: 'in.csv', line: 4 });
    expect(error.message).toContain('line 2');
    expect(error.message).toContain('line 4');
  });

  it('the same person on many rows with the same name is one person (combined mode)', async () => {
    const { snapshot, warnings } = await importFiles({
      'in.csv': `${HEADER}7,Aroha,Ngata,10MAT\n7,Aroha,Ngata,10ENG\n`,
    });
    expect(snapshot.people).toHaveLength(1);
    expect(snapshot.enrolments).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('an enrolment for a person no people row defines (separate files): reference', async () => {
    const files = {
      'people.csv': 'ID,Given Name,Family Name,Email,Type,Status\n1,Aroha,Ngata,,Student,\n',
      'courses.csv': 'Course ID,Code,Name,Start,End\nC1,10MAT,Maths,,\n',
      'classes.csv': 'Class Code,Course ID\n10MAT1,C1\n',
      'enrolments.csv': 'Person ID,Course ID,Class Code,Role\n1,C1,10MAT1,Student\n99,C1,10MAT1,Student\n',
    };
    const error = await importError(files, SEPARATE_CSV_MAPPING);
    expect(error).toMatchObject({ kind: 'reference', where: { file: 'enrolments.csv', line: 3, found: '99' } });
    expect(error.message).toContain('people.csv');
  });

  it('an enrolment in a course or class the other files do not define: reference', async () => {
    const base = {
      'people.csv': 'ID,Given Name,Family Name,Email,Type,Status\n1,Aroha,Ngata,,Student,\n',
      'courses.csv': 'Course ID,Code,Name,Start,End\nC1,10MAT,Maths,,\nC2,10ENG,English,,\n',
      'classes.csv': 'Class Code,Course ID\n10MAT1,C1\n',
    };
    const course = await importError(
      { ...base, 'enrolments.csv': 'Person ID,Course ID,Class Code,Role\n1,C9,,Student\n' },
      SEPARATE_CSV_MAPPING,
    );
    expect(course).toMatchObject({ kind: 'reference', where: { line: 2, field: 'Course ID', found: 'C9' } });
    const klass = await importError(
      { ...base, 'enrolments.csv': 'Person ID,Course ID,Class Code,Role\n1,C2,10MAT1,Student\n' },
      SEPARATE_CSV_MAPPING,
    );
    expect(klass).toMatchObject({ kind: 'reference', where: { line: 2, field: 'Class Code' } });
  });

  it.each([
    ['12/25/2026', 'month-first (US) order'],
    ['31/02/2026', 'a day that does not exist'],
    ['2026-13-01', 'month 13'],
    ['28 Jan 2026', 'words'],
    ['28/01/26', 'a two-digit year'],
  ])('a bad date %j (%s): format, with the accepted formats', async (value) => {
    const error = await importError({ 'in.csv': `ID,First,Last,Subject,Start\n1,A,B,10MAT,${value}\n` }, DATED_MAPPING);
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({
      file: 'in.csv',
      line: 2,
      column: 5,
      field: 'Start',
      expected: 'YYYY-MM-DD or DD/MM/YYYY (day first)',
      found: value,
    });
  });

  it.each([
    ['2026-04-03', '2026-04-03'],
    ['03/04/2026', '2026-04-03'],
    ['3/4/2026', '2026-04-03'],
    ['2026-04-03 00:00:00', '2026-04-03'],
  ])('accepts the date %j as %j (day first)', async (value, iso) => {
    const { snapshot } = await importFiles(
      { 'in.csv': `ID,First,Last,Subject,Start\n1,A,B,10MAT,${value}\n` },
      DATED_MAPPING,
    );
    expect(snapshot.courses[0]?.startDate).toBe(iso);
  });

  it.each([
    ['a zero-byte file', ''],
    ['a BOM only', '\uFEFF'],
    ['blank lines only', '\r\n\r\n,,,\r\n'],
    ['a header without rows', HEADER],
  ])('%s: empty', async (_label, text) => {
    const error = await importError({ 'in.csv': text });
    expect(error).toMatchObject({ kind: 'empty', where: { file: 'in.csv' } });
  });

  it('a blank id on a row: missing, with the line and column', async () => {
    const error = await importError({ 'in.csv': `${HEADER}1,A,B,C\n,Bo,Li,C\n` });
    expect(error).toMatchObject({ kind: 'missing', where: { line: 3, column: 1, field: 'ID' } });
  });

  it('a role value the mapping does not list: format, with the accepted values', async () => {
    const mapping = {
      ...SIMPLE_MAPPING,
      person: { ...SIMPLE_MAPPING.person, role: { column: 'Type', values: { student: ['S'], staff: ['T'] } } },
    };
    const error = await importError({ 'in.csv': 'ID,First,Last,Subject,Type\n1,A,B,C,Parent\n' }, mapping);
    expect(error).toMatchObject({ kind: 'format', where: { line: 2, field: 'Type', found: 'Parent' } });
    expect(error.where.expected).toContain('student: student/S');
  });

  it('an incomplete saved mapping: missing, naming the field path', async () => {
    const adapter = createCsvAdapter({ mapping: { mode: 'combined', file: 'x.csv', person: { smsId: 'ID' } } });
    await expect(adapter.import({ kind: 'payloads', payloads: [] })).rejects.toMatchObject({
      kind: 'missing',
      where: { field: 'person.givenName' },
    });
  });

  it('a mapping that names a file outside the folder is refused', async () => {
    const adapter = createCsvAdapter({ mapping: { ...SIMPLE_MAPPING, file: '../secret.csv' } });
    await expect(adapter.import({ kind: 'payloads', payloads: [] })).rejects.toMatchObject({
      where: { field: 'file' },
    });
  });

  it('a mapped file that is not in the folder, a path that does not exist, and a zip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-csv-missing-'));
    try {
      const adapter = createCsvAdapter({ mapping: SEPARATE_CSV_MAPPING });
      await writeFile(join(dir, 'people.csv'), 'ID\n1\n');
      await expect(adapter.import({ kind: 'path', path: dir })).rejects.toMatchObject({
        kind: 'missing',
        where: { file: 'enrolments.csv' },
      });
      await expect(adapter.import({ kind: 'path', path: join(dir, 'nope') })).rejects.toMatchObject({
        kind: 'missing',
      });
      await writeFile(join(dir, 'export.zip'), 'PK');
      await expect(adapter.import({ kind: 'path', path: join(dir, 'export.zip') })).rejects.toMatchObject({
        kind: 'format',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
