import { stringify } from 'csv-stringify/sync';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SmsResultRecord } from '../../../../adapters/contract';

const HEADER = ['Person ID', 'Course ID', 'Progress %', 'Grade', 'Grade %', 'Completed', 'Updated At'];

/**
 * The fallback delivery until the engine wires the SMS's own writer: one CSV file of results. UTF-8
 * with a byte-order mark and CRLF line ends, because Excel reads a BOM-less file in the PC's legacy code
 * page; written to a temporary name and renamed, so an SMS polling the folder never reads half a file.
 * Same columns and conventions as the CSV SMS adapter's results.csv.
 */
export async function writeResultsCsv(records: readonly SmsResultRecord[], file: string): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const rows = records.map((r) => [
    textCell(r.personSmsId),
    textCell(r.courseSmsId),
    numberCell(r.progressPercent),
    textCell(r.grade ?? ''),
    r.gradePercent === null ? '' : numberCell(r.gradePercent),
    r.completed ? 'Yes' : 'No',
    r.updatedAt,
  ]);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `\uFEFF${stringify([HEADER, ...rows], { record_delimiter: 'windows' })}`, 'utf8');
  await rename(temporary, target);
}

function numberCell(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '';
}

/**
 * A grade is whatever a teacher typed: a leading =, +, @ or control character must not run as a
 * formula when the file is opened in a spreadsheet (CSV injection), so it gets a leading apostrophe.
 * A lone "-" and negative numbers stay as they are.
 */
function textCell(value: string): string {
  return /^[=+@\t\r]/.test(value) || /^-(?![\d.]*$)/.test(value) ? `'${value}` : value;
}
