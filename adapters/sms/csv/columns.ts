import { SmsImportError, type SmsWarning } from '../../contract';
import type { CsvRow } from './read-rows';

/** A header cell reduced to letters and digits, so "Student ID", "student_id" and "StudentID" meet. */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A mapped column found in the header: its 0-based index and the header as the file spells it. */
export interface ColumnRef {
  index: number;
  header: string;
}

/**
 * What a mapped column holds, for the checks every row's cells get. `freeText` columns (a person's
 * extra facts, such as notes) may hold line breaks and tabs; names, ids, codes, titles, dates and
 * flags may not.
 */
export interface MappedColumn extends ColumnRef {
  use: string;
  freeText: boolean;
}

/**
 * The header row of one file and which of its columns the mapping uses. Lookup is exact first, then
 * by `headerKey`, because a mapping saved last term should survive "Surname " becoming "surname".
 */
export class HeaderRow {
  readonly line: number;
  private readonly headers: string[];
  /** By column index; a column mapped twice is free text only when every use is. */
  private readonly used = new Map<number, MappedColumn>();

  constructor(
    readonly file: string,
    row: CsvRow,
  ) {
    this.line = row.line;
    this.headers = row.fields.map((field) => field.trim());
  }

  /** The column for `header`, or SmsImportError 'missing' naming the column, the file and its use. */
  require(header: string, use: string, options: { freeText?: boolean } = {}): ColumnRef {
    const index = this.find(header);
    if (index === undefined)
      throw new SmsImportError('missing', `The column "${header}" (mapped to ${use}) is not in ${this.file}`, {
        file: this.file,
        line: this.line,
        field: header,
        expected: `a column headed "${header}"`,
        found: this.headers.join(', ').slice(0, 300),
      });
    const ref = { index, header: this.headers[index] ?? header };
    const freeText = (options.freeText ?? false) && (this.used.get(index)?.freeText ?? true);
    this.used.set(index, { ...ref, use: this.used.get(index)?.use ?? use, freeText });
    return ref;
  }

  optional(header: string | undefined, use: string): ColumnRef | undefined {
    return header === undefined ? undefined : this.require(header, use);
  }

  /** Every column the mapping uses, in file order. */
  mappedColumns(): MappedColumn[] {
    return [...this.used.values()].sort((a, b) => a.index - b.index);
  }

  /** One warning listing the columns no mapping uses (normal for wide exports, but worth seeing). */
  unusedColumnsWarning(): SmsWarning | undefined {
    const unused = this.headers.filter((header, index) => !this.used.has(index) && header !== '');
    if (unused.length === 0) return undefined;
    const list =
      unused.length > 12 ? `${unused.slice(0, 12).join(', ')} and ${unused.length - 12} more` : unused.join(', ');
    return { message: `Columns not mapped, ignored: ${list}`, file: this.file, line: this.line };
  }

  private find(header: string): number | undefined {
    const wanted = header.trim();
    const exact = this.headers.indexOf(wanted);
    if (exact >= 0) return exact;
    const key = headerKey(wanted);
    const loose = this.headers.findIndex((candidate) => headerKey(candidate) === key);
    return loose >= 0 && key !== '' ? loose : undefined;
  }
}

/** A cell's trimmed text; a short row (fewer cells than the header) reads as blank. */
export function cell(row: CsvRow, column: ColumnRef | undefined): string {
  if (!column) return '';
  return (row.fields[column.index] ?? '').trim();
}

/** True for rows Excel leaves behind at the end of a sheet (",,,,"): skipped, not errors. */
export function isBlankRow(row: CsvRow): boolean {
  return row.fields.every((field) => field.trim() === '');
}

/** A required cell, or SmsImportError 'missing' with the line and column. */
export function requiredCell(file: string, row: CsvRow, column: ColumnRef, use: string): string {
  const value = cell(row, column);
  if (value === '')
    throw new SmsImportError('missing', `The ${use} is blank`, {
      file,
      line: row.line,
      column: column.index + 1,
      field: column.header,
      expected: `a ${use}`,
      found: '',
    });
  return value;
}
