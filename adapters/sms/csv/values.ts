import { SmsImportError } from '../../contract';
import { cell, type ColumnRef } from './columns';
import type { ActiveFlagColumn } from './mapping';
import type { CsvRow } from './read-rows';

export const DATE_FORMATS = 'YYYY-MM-DD or DD/MM/YYYY (day first)';

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: [\d:.]+)?$/;

/**
 * A date cell as YYYY-MM-DD. NZ and AU schools write dates day first, so `03/04/2026` is 3 April;
 * month-first (US) order is never guessed, even when the day is over 12, because a guess that is
 * sometimes right is worse than an error. A trailing time (Excel's "2026-01-28 00:00:00") is ignored.
 */
export function parseDateCell(file: string, row: CsvRow, column: ColumnRef | undefined): string | undefined {
  const text = cell(row, column);
  if (text === '' || !column) return undefined;
  const iso = ISO.exec(text);
  const dayFirst = iso ? undefined : DAY_FIRST.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3]] : dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : undefined;
  const date = parts && calendarDate(Number(parts[0]), Number(parts[1]), Number(parts[2]));
  if (!date)
    throw new SmsImportError('format', `"${text}" is not a date ClassBridge reads`, {
      file,
      line: row.line,
      column: column.index + 1,
      field: column.header,
      expected: DATE_FORMATS,
      found: text,
    });
  return date;
}

function calendarDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (year < 1900 || year > 2200) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Which of a mapping's named values a cell holds (case-insensitive), e.g. "S" → student.
 * Blank cells take `fallback`; anything else unlisted is a 'format' error listing what is accepted.
 */
export function mappedValue<K extends string>(
  file: string,
  row: CsvRow,
  column: ColumnRef | undefined,
  values: Record<K, readonly string[]>,
  fallback: K | undefined,
): K {
  const text = cell(row, column);
  const lower = text.toLowerCase();
  const header = column?.header ?? '';
  for (const key of Object.keys(values) as K[]) {
    if (lower === key.toLowerCase() || values[key].some((value) => value.toLowerCase() === lower)) return key;
  }
  if (text === '' && fallback !== undefined) return fallback;
  const accepted = (Object.keys(values) as K[]).map((key) => `${key}: ${[key, ...values[key]].join('/')}`).join('; ');
  throw new SmsImportError('format', `"${text}" is not one of the values mapped for ${header}`, {
    file,
    line: row.line,
    ...(column ? { column: column.index + 1 } : {}),
    field: header,
    expected: accepted,
    found: text,
  });
}

/** Active unless the cell is one of the mapping's inactive values (blank counts as active). */
export function isActive(row: CsvRow, column: ColumnRef | undefined, flag: ActiveFlagColumn | undefined): boolean {
  if (!column || !flag) return true;
  const lower = cell(row, column).toLowerCase();
  return !flag.inactive.some((value) => value.toLowerCase() === lower);
}
