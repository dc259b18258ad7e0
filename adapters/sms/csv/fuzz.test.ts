import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { SEPARATE_CSV_MAPPING } from '../../testing/sms-fixtures/csv';
import type { CsvMappingInput } from './mapping';
import { DATED_MAPPING, importFiles } from '../../testing/sms-support/csv';

/** Resolves, or rejects with SmsImportError: anything else thrown is a bug. */
async function onlyImportErrors(files: Record<string, string | Uint8Array>, mapping: CsvMappingInput): Promise<void> {
  try {
    await importFiles(files, mapping);
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
    expect(error.describe()).toBeTypeOf('string');
  }
}

const CSV_PIECES = [
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  '\r\n',
  'a',
  'é',
  'ā',
  '“',
  ' ',
  '1',
  '/',
  '-',
  '\uFEFF',
  '2026',
  '',
];
const csvText = fc.array(fc.constantFrom(...CSV_PIECES), { maxLength: 300 }).map((parts) => parts.join(''));
const header = fc.constantFrom('', 'ID,First,Last,Subject,Start\n', 'ID;First;Last;Subject;Start\n', 'ID,First\n');

describe('fuzz: the CSV reader only ever throws SmsImportError', () => {
  it('arbitrary bytes', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), (bytes) =>
        onlyImportErrors({ 'in.csv': bytes }, DATED_MAPPING),
      ),
      { numRuns: 200 },
    );
  });

  it('CSV-shaped text after a plausible header', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(header, csvText, (head, body) => onlyImportErrors({ 'in.csv': head + body }, DATED_MAPPING)),
      { numRuns: 200 },
    );
  });

  it('separate files with random bodies under real headers', { timeout: 60_000 }, async () => {
    const files = fc.record({
      'people.csv': csvText.map((body) => `ID,Given Name,Family Name,Email,Type,Status\n1,A,B,,Student,\n${body}`),
      'courses.csv': csvText.map((body) => `Course ID,Code,Name,Start,End\nC1,X,Y,,\n${body}`),
      'classes.csv': csvText.map((body) => `Class Code,Course ID\n${body}`),
      'enrolments.csv': csvText.map((body) => `Person ID,Course ID,Class Code,Role\n1,C1,,Student\n${body}`),
    });
    await fc.assert(
      fc.asyncProperty(files, (generated) => onlyImportErrors(generated, SEPARATE_CSV_MAPPING)),
      { numRuns: 200 },
    );
  });
});
