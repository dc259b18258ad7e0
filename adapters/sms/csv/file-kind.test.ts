import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { createCsvAdapter } from './index';
import { SIMPLE_MAPPING, importError, importFiles } from '../../testing/sms-support/csv';

/**
 * Files that are not CSV text, imported through a saved column mapping: each must get the same message
 * as without a mapping (what the file is and what to do), not a header, column or quote error.
 */
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

const NOT_CSV: [label: string, content: Uint8Array, kind: string, says: RegExp][] = [
  ['an empty file', new Uint8Array(), 'empty', /empty \(0 bytes\).*export it again/],
  ['a UTF-8 byte-order mark only', bytes(0xef, 0xbb, 0xbf), 'empty', /only a byte-order mark.*export it again/],
  ['a UTF-16 byte-order mark only', bytes(0xff, 0xfe), 'empty', /only a byte-order mark/],
  [
    'an Excel workbook renamed .csv',
    Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...ascii('\u0014\u0000\u0006\u0000xl/workbook.xml')]),
    'format',
    /Excel workbook \(\.xlsx\).*save it as "CSV UTF-8/,
  ],
  [
    'a zip renamed .csv',
    Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...ascii('\u0014\u0000people.csv')]),
    'format',
    /zip archive.*unzip it/,
  ],
  ['an old .xls workbook', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0), 'format', /old Excel workbook/],
  [
    "a portal's sign-in page",
    ascii('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Session expired</body></html>\n'),
    'format',
    /web page.*download the export again/,
  ],
  ['a PNG picture', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), 'format', /not a text file/],
  ['binary data', Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) % 32), 'format', /not a text file/],
];

describe('a file that is not CSV text, with a saved mapping', () => {
  it.each(NOT_CSV)('%s: its own message, naming the file', async (_label, content, kind, says) => {
    const error = await importError({ 'in.csv': content });
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(says);
    expect(error.where).toEqual({ file: 'in.csv' });
    expect(error.describe()).toMatch(/^in\.csv: /);
  });

  it('a text file with one NUL in a name is text: the reader names the record, not "binary"', async () => {
    const error = await importError({ 'in.csv': 'ID,First,Last,Subject\n1,Ana\u0000,Ngata,10MAT\n' });
    expect(error.message).not.toMatch(/not a text file/);
    expect(error.where).toMatchObject({ file: 'in.csv', line: 2, field: 'First' });
  });

  it('Excel "Unicode Text" (UTF-16 LE with BOM, tabs) imports through a saved mapping', async () => {
    const text = 'ID\tFirst\tLast\tSubject\r\n1\tTāne\tPōtae\t10MAT\r\n2\tMere\tTe Whata\t10ENG\r\n';
    const content = Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    const { snapshot } = await importFiles({ 'in.csv': content });
    expect(snapshot.people.map((p) => [p.smsId, p.givenName, p.familyName])).toEqual([
      ['1', 'Tāne', 'Pōtae'],
      ['2', 'Mere', 'Te Whata'],
    ]);
    expect(snapshot.courses.map((c) => c.smsId)).toEqual(['10MAT', '10ENG']);
  });
});

describe('the same files on disk (path route, separate mapping)', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cb-csv-kind-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('a workbook saved under the enrolments file name is refused naming that file', async () => {
    await writeFile(join(folder, 'people.csv'), 'ID,First,Last\n1,Aroha,Ngata\n');
    await writeFile(join(folder, 'enrolments.csv'), Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...ascii('xl/')]));
    const mapping = {
      mode: 'separate',
      files: { people: 'people.csv', enrolments: 'enrolments.csv' },
      people: SIMPLE_MAPPING.person,
      enrolments: { personSmsId: 'ID', courseSmsId: 'Subject' },
    } as const;
    const error = await createCsvAdapter({ mapping })
      .import({ kind: 'path', path: folder })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsImportError);
    expect(error).toMatchObject({ kind: 'format', where: { file: 'enrolments.csv' } });
    expect((error as SmsImportError).message).toMatch(/Excel workbook/);
  });

  it('an empty combined file given as the path itself', async () => {
    await writeFile(join(folder, 'export.csv'), '');
    const error = await createCsvAdapter({ mapping: SIMPLE_MAPPING })
      .import({ kind: 'path', path: join(folder, 'export.csv') })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'empty', where: { file: 'export.csv' } });
    expect((error as SmsImportError).message).toMatch(/0 bytes/);
  });
});
