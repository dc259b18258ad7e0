import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SmsImportError } from '../../../adapters/contract';
import { combinedCsv, generateSchool } from '../../../adapters/testing/sms-fixtures';
import { useTempDirs } from '../../test-support/temp';
import { createSmsAdapter } from './sms-adapter-factory';

const tempDir = useTempDirs();

function fileWith(name: string, bytes: Buffer | string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

async function refusal(path: string): Promise<SmsImportError> {
  const error: unknown = await createSmsAdapter('csv', { path }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsImportError);
  return error as SmsImportError;
}

describe('a CSV export without a saved mapping', () => {
  it.each([
    ['an empty file', 'empty.csv', Buffer.alloc(0), 'empty', /empty \(0 bytes\)/],
    ['a BOM-only file', 'bom.csv', Buffer.from([0xef, 0xbb, 0xbf]), 'empty', /only a byte-order mark/],
    [
      'an Excel workbook saved as .csv',
      'book.csv',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....[Content_Types].xml xl/workbook.xml')]),
      'format',
      /Excel workbook \(\.xlsx\).*CSV UTF-8/,
    ],
    [
      'a renamed zip',
      'export.csv',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('....users.csv')]),
      'format',
      /zip archive/,
    ],
    [
      'an HTML error page',
      'students.csv',
      '\n<!DOCTYPE html><html><head><title>Session expired</title></head></html>',
      'format',
      /web page.*session has expired/,
    ],
    [
      'a binary file',
      'photo.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]),
      'format',
      /not a text file/,
    ],
  ])('%s gets its own message, naming the file', async (_label, name, bytes, kind, message) => {
    const error = await refusal(fileWith(name, bytes));
    expect(error.kind).toBe(kind);
    expect(error.where.file).toBe(name);
    expect(error.describe()).toMatch(message);
    expect(error.describe()).not.toMatch(/recognise the columns/);
  });

  it('Excel "Unicode Text" (UTF-16 LE with a BOM, tabs) is read: columns guessed and every student imported', async () => {
    const school = generateSchool({ seed: 12 });
    const text = combinedCsv(school, { delimiter: '\t' }).replace(/^\uFEFF/, '');
    const path = fileWith('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const adapter = await createSmsAdapter('csv', { path });
    const { snapshot } = await adapter.import({ kind: 'path', path });
    expect(snapshot.people.filter((p) => p.role === 'student')).toHaveLength(
      new Set(school.enrolments.map((e) => e.studentId)).size,
    );
  });
});
