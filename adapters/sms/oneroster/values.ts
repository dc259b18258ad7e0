import { controlCharacterIn, SmsImportError } from '../../contract';
import type { TableRow } from './csv-table';
import type { RowNotes } from './row-notes';

/**
 * Field checks shared by the file readers (E.1): status active | tobedeleted (1.0's `inactive` still seen,
 * read as inactive), dates YYYY-MM-DD (a full ISO timestamp is cut to its date), booleans true/false in any
 * case, lists comma-separated inside one quoted cell. A bad value stops the import with file, line, field.
 */
export type RecordStatus = 'active' | 'inactive' | 'tobedeleted';

export interface FieldContext {
  file: string;
  row: TableRow;
  notes: RowNotes;
}

function bad(ctx: FieldContext, field: string, expected: string, found: string): SmsImportError {
  return new SmsImportError('format', `bad ${field}`, { file: ctx.file, line: ctx.row.line, field, expected, found });
}

export function required(ctx: FieldContext, field: string): string {
  const value = ctx.row.get(field);
  if (!value) {
    throw new SmsImportError('missing', `${field} is empty`, {
      file: ctx.file,
      line: ctx.row.line,
      field,
      expected: 'a value',
    });
  }
  return value;
}

export function status(ctx: FieldContext, delta: boolean): RecordStatus {
  const value = ctx.row.get('status').toLowerCase();
  if (value === 'active' || value === 'tobedeleted' || value === 'inactive') return value;
  if (value === '' && !delta) return 'active';
  throw bad(ctx, 'status', delta ? 'active or tobedeleted (required in a delta file)' : 'active or tobedeleted', value);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * dateLastModified is never used: a delta is applied in file order, each sourcedId once, so no timestamp
 * decides anything. A spreadsheet's `1/05/2023` or `2017-05-06 08:01:05`, or a blank in a delta, is a
 * (collapsed) warning, never a refusal.
 */
export function checkDateLastModified(ctx: FieldContext, delta: boolean): void {
  const value = ctx.row.get('dateLastModified');
  if (!value) {
    if (delta) note(ctx, 'dateLastModified', 'dateLastModified is empty in a delta file');
    return;
  }
  if (!ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    note(ctx, 'dateLastModified', 'dateLastModified is not an ISO 8601 timestamp', value);
  }
}

/** A collapsed warning about a field ClassBridge does not use. */
export function note(ctx: FieldContext, field: string, message: string, found = ''): void {
  ctx.notes.tally.note(ctx.file, ctx.row.line, field, message, found);
}

/** A value E.1 requires but ClassBridge does not use: blank is a warning, not a refusal. */
export function wanted(ctx: FieldContext, field: string): string {
  const value = ctx.row.get(field);
  if (!value && ctx.row.has(field)) note(ctx, field, `${field} is empty`);
  return value;
}

/**
 * A name or id that reaches the LMS: a control character (NUL, ESC, DEL…) is a damaged export, collected
 * (up to 100) with file, line and field so every bad row is listed at once.
 */
export function clean(ctx: FieldContext, field: string, value: string): string {
  const bad = controlCharacterIn(value);
  if (bad) {
    ctx.notes.problems.add('format', `${field} has a control character (${bad})`, {
      file: ctx.file,
      line: ctx.row.line,
      field,
      expected: 'text without control characters',
      found: value,
    });
  }
  return value;
}

/** A required name: present and free of control characters. */
export function requiredName(ctx: FieldContext, field: string): string {
  return clean(ctx, field, required(ctx, field));
}

/** An optional name: free of control characters when present. */
export function optionalName(ctx: FieldContext, field: string): string {
  return clean(ctx, field, ctx.row.get(field));
}

/** A calendar date as YYYY-MM-DD, or undefined when blank and optional. */
export function date(ctx: FieldContext, field: string, isRequired: boolean): string | undefined {
  const value = ctx.row.get(field);
  if (!value) {
    if (isRequired) required(ctx, field);
    return undefined;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(value);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (!match || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw bad(ctx, field, 'a date YYYY-MM-DD', value);
  }
  return value.slice(0, 10);
}

export function boolean(ctx: FieldContext, field: string): boolean {
  const value = ctx.row.get(field).toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw bad(ctx, field, 'true or false', ctx.row.get(field));
}

export function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
