import { stringify } from 'csv-stringify/sync';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SmsExportReport, SmsResultRecord } from '../../contract';

export const RESULTS_FILE = 'results.csv';

const HEADER = ['Person ID', 'Course Code', 'Progress %', 'Grade', 'Grade %', 'Completed', 'Updated At'];

/**
 * Writes results.csv for the SMS (or a person) to import. UTF-8 *with* a byte-order mark: Excel opens a
 * BOM-less CSV in the PC's legacy code page (Windows-1252 on NZ/AU machines), which turns "Māori"
 * into "MÄori"; the BOM is the only signal Excel honours. CRLF line ends as RFC 4180 and Excel expect.
 * Written to a temporary name and renamed, so an SMS polling the folder never sees half a file.
 */
export async function exportResults(results: readonly SmsResultRecord[], folder: string): Promise<SmsExportReport> {
  const target = resolve(folder);
  await mkdir(target, { recursive: true });
  const rows = results.map((result) => [
    textCell(result.personSmsId),
    textCell(result.courseSmsId),
    numberCell(result.progressPercent),
    textCell(result.grade ?? ''),
    result.gradePercent === null ? '' : numberCell(result.gradePercent),
    result.completed ? 'Yes' : 'No',
    result.updatedAt,
  ]);
  const text = stringify([HEADER, ...rows], { record_delimiter: 'windows' });
  const path = join(target, RESULTS_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `\uFEFF${text}`, 'utf8');
  await rename(temporary, path);
  return { files: [path], records: results.length, warnings: [] };
}

function numberCell(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '';
}

/**
 * Text from the LMS (a grade is whatever a teacher typed or a scale says) must not run as a formula
 * when the file is opened in Excel: a leading =, +, @ or a control character gets a leading
 * apostrophe (OWASP "CSV injection"). A lone "-" (Moodle's "no grade") and negative numbers stay.
 */
function textCell(value: string): string {
  if (/^[=+@\t\r]/.test(value) || /^-(?![\d.]*$)/.test(value)) return `'${value}`;
  return value;
}
