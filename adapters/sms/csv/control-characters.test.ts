import { describe, expect, it } from 'vitest';
import { MAX_SMS_PROBLEMS } from '../../contract';
import { SEPARATE_CSV_MAPPING } from '../../testing/sms-fixtures/csv';
import type { CsvMappingInput } from './mapping';
import { DATED_MAPPING, SIMPLE_MAPPING, importError, importFiles } from '../../testing/sms-support/csv';

/**
 * NUL and other control characters in a mapped field are a damaged export, never part of a name or an
 * id: each is refused with the file, the physical line its record starts on, the column and the field,
 * and all of them (up to MAX_SMS_PROBLEMS) come back in one error.
 */
const HEADER = 'ID,First,Last,Subject\n';

/** Every mapped column of a combined file, with a teacher, class, dates, role and a free-text note. */
const FULL_MAPPING = {
  mode: 'combined',
  file: 'in.csv',
  person: {
    smsId: 'ID',
    givenName: 'First',
    familyName: 'Last',
    email: 'Email',
    role: { column: 'Type', values: { student: ['S'], staff: ['T'] } },
    extra: { notes: 'Notes' },
  },
  course: { smsId: 'Subject', name: 'Subject Name', startDate: 'Start' },
  group: { smsId: 'Class' },
  enrolment: { outcome: 'Outcome' },
  teacher: { smsId: 'Teacher', familyName: 'Teacher Surname' },
} as const satisfies CsvMappingInput;
const FULL_HEADER = 'ID,First,Last,Email,Type,Notes,Subject,Subject Name,Start,Class,Outcome,Teacher,Teacher Surname\n';
const FULL_ROW = [
  '1',
  'Aroha',
  'Ngata',
  'a@x.nz',
  'S',
  'Kind',
  '10MAT',
  'Maths',
  '2026-02-01',
  '10MAT1',
  '',
  'ABC',
  'Smith',
];

describe('control characters in mapped fields', () => {
  it('a NUL in a given name: format, with file, line, column, field and the value made visible', async () => {
    const error = await importError({ 'in.csv': `${HEADER}1,Aroha,Ngata,10MAT\n2,Mere\u0000,Tane,10MAT\n` });
    expect(error.kind).toBe('format');
    expect(error.where).toEqual({
      file: 'in.csv',
      line: 3,
      column: 2,
      field: 'First',
      expected: 'text without control characters',
      found: 'Mere\u0000',
    });
    expect(error.message).toContain('U+0000');
    expect(error.describe()).toBe(
      'in.csv, line 3, column 2, field First: The person given name holds the control character U+0000, which is never part of real text (a damaged export): correct the record in the SMS and export again: expected text without control characters, found "Mere\\u0000"',
    );
    expect(error.problems).toHaveLength(1);
  });

  it.each(FULL_HEADER.trim().split(','))('is refused in the mapped column %s', async (column) => {
    const index = FULL_HEADER.trim().split(',').indexOf(column);
    const cells = [...FULL_ROW];
    cells[index] = `${cells[index] ?? ''}\u0007x`;
    const error = await importError({ 'in.csv': `${FULL_HEADER}${cells.join(',')}\n` }, FULL_MAPPING);
    expect(error).toMatchObject({
      kind: 'format',
      where: { file: 'in.csv', line: 2, column: index + 1, field: column },
    });
    expect(error.message).toContain('U+0007');
  });

  it.each([
    ['\u001b', 'U+001B'],
    ['\u007f', 'U+007F'],
    ['\u0085', 'U+0085'],
    ['\u0009', 'U+0009'],
  ])('a %j in the middle of a family name is named %s', async (char, code) => {
    const error = await importError({ 'in.csv': `${HEADER}1,Aroha,"Ng${char}ata",10MAT\n` });
    expect(error.message).toContain(code);
    expect(error.where).toMatchObject({ line: 2, field: 'Last' });
  });

  it('the full row imports when no cell holds one (control)', async () => {
    const { snapshot } = await importFiles({ 'in.csv': `${FULL_HEADER}${FULL_ROW.join(',')}\n` }, FULL_MAPPING);
    expect(snapshot.people.map((p) => p.smsId)).toEqual(['1', 'ABC']);
  });

  it('a control character in a column no mapping uses is not read, so not refused', async () => {
    const { snapshot } = await importFiles({ 'in.csv': 'ID,First,Last,Subject,Junk\n1,A,B,10MAT,\u0000\u0001\n' });
    expect(snapshot.people).toHaveLength(1);
  });

  it('every bad record is listed in one error, each with its own line and field', async () => {
    const text = `${HEADER}1,A\u0000,B,10MAT\n2,C,D,10MAT\n3,E,F\u0001,10MAT\n4,G\u0002,H\u0003,10MAT\n`;
    const error = await importError({ 'in.csv': text });
    expect(error.problems.map((p) => [p.where.line, p.where.field])).toEqual([
      [2, 'First'],
      [4, 'Last'],
      [5, 'First'],
      [5, 'Last'],
    ]);
    expect(error.message).not.toContain('problems in all');
  });

  it(`lists at most ${MAX_SMS_PROBLEMS} and says how many there were`, async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `${i + 1},A\u0000,B,10MAT\n`).join('');
    const error = await importError({ 'in.csv': `${HEADER}${rows}` });
    expect(error.problems).toHaveLength(MAX_SMS_PROBLEMS);
    expect(error.problems[99]?.where.line).toBe(101);
    expect(error.message).toContain('(150 problems in all; the first 100 are listed)');
  });

  it('other record errors in the same file are listed with them, in file order', async () => {
    const text = `ID,First,Last,Subject,Start\n1,A,B,10MAT,31/02/2026\n2,C\u0000,D,10MAT,\n3,,,10MAT,\n`;
    const error = await importError({ 'in.csv': text }, DATED_MAPPING);
    expect(error.kind).toBe('format');
    expect(error.problems.map((p) => [p.kind, p.where.line, p.where.field])).toEqual([
      ['format', 2, 'Start'],
      ['format', 3, 'First'],
      ['missing', 4, 'Last'],
    ]);
  });

  it('separate files: a NUL in the people file names that file, before enrolments are read', async () => {
    const files = {
      'people.csv':
        'ID,Given Name,Family Name,Email,Type,Status\n1,Aroha,Ngata,,Student,\n2,Mere,Ta\u0000ne,,Student,\n',
      'courses.csv': 'Course ID,Code,Name,Start,End\nC1,10MAT,Maths,,\n',
      'classes.csv': 'Class Code,Course ID\n10MAT1,C1\n',
      'enrolments.csv': 'Person ID,Course ID,Class Code,Role\n1,C1,10MAT1,Student\n2,C1,10MAT1,Student\n',
    };
    const error = await importError(files, SEPARATE_CSV_MAPPING);
    expect(error.problems).toEqual([
      expect.objectContaining({
        kind: 'format',
        where: expect.objectContaining({ file: 'people.csv', line: 3, field: 'Family Name' }),
      }),
    ]);
  });
});

describe('line ends and tabs', () => {
  it('a newline inside a quoted name is refused at the line its record starts on', async () => {
    const error = await importError({ 'in.csv': `${HEADER}1,A,B,10MAT\n2,"Ana\nMaria",Smith,10MAT\n` });
    expect(error).toMatchObject({ kind: 'format', where: { line: 3, field: 'First', found: 'Ana\nMaria' } });
    expect(error.message).toContain('U+000A');
  });

  it('a newline in a free-text column (person extra) is kept, and later lines are still counted right', async () => {
    const mapping = { ...DATED_MAPPING, person: { ...DATED_MAPPING.person, extra: { notes: 'Notes' } } };
    const good = 'ID,First,Last,Subject,Start,Notes\r\n1,Ana,Smith,10MAT,,"first line\r\nsecond line"\r\n';
    const { snapshot } = await importFiles({ 'in.csv': good }, mapping);
    expect(snapshot.people[0]?.extra).toEqual({ notes: 'first line\nsecond line' });
    // The note spans lines 2–4, so the next record starts on line 5 and the one after on line 6.
    const text =
      'ID,First,Last,Subject,Start,Notes\r\n1,Ana,Smith,10MAT,,"one\r\ntwo\r\nthree"\r\n2,Bo\u0000,Li,10MAT,,\r\n3,Cy,Do,10MAT,31/02/2026,\r\n';
    const error = await importError({ 'in.csv': text }, mapping);
    expect(error.problems.map((p) => [p.where.line, p.where.field])).toEqual([
      [5, 'First'],
      [6, 'Start'],
    ]);
  });

  it('a NUL in a free-text column is still refused', async () => {
    const mapping = { ...SIMPLE_MAPPING, person: { ...SIMPLE_MAPPING.person, extra: { notes: 'Notes' } } };
    const error = await importError({ 'in.csv': 'ID,First,Last,Subject,Notes\n1,A,B,10MAT,"x\ny\u0000"\n' }, mapping);
    expect(error).toMatchObject({ where: { line: 2, field: 'Notes' } });
    expect(error.message).toContain('U+0000');
  });

  it('tabs in a tab-separated file are separators, not values (and a NUL there is still found)', async () => {
    const { snapshot } = await importFiles({ 'in.csv': 'ID\tFirst\tLast\tSubject\n1\tAroha\tNgata\t10MAT\n' });
    expect(snapshot.people[0]).toMatchObject({ givenName: 'Aroha', familyName: 'Ngata' });
    const error = await importError({ 'in.csv': 'ID\tFirst\tLast\tSubject\n1\tAroha\tNga\u0000ta\t10MAT\n' });
    expect(error).toMatchObject({ where: { line: 2, column: 3, field: 'Last' } });
  });

  it('Excel "Unicode Text" (UTF-16 LE, tabs) with a NUL character in a name', async () => {
    const text = 'ID\tFirst\tLast\tSubject\r\n1\tTāne\tPō\u0000tae\t10MAT\r\n';
    const error = await importError({ 'in.csv': Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]) });
    expect(error).toMatchObject({ where: { line: 2, field: 'Last' } });
  });

  it('spaces, tabs and line ends around a cell are trimmed, not refused', async () => {
    const { snapshot } = await importFiles({ 'in.csv': `${HEADER}1,"Aroha\t","\nNgata ",10MAT\n` });
    expect(snapshot.people[0]).toMatchObject({ givenName: 'Aroha', familyName: 'Ngata' });
  });
});
