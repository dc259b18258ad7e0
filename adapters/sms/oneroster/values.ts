import { SmsImportError } from '../../contract';
import type { TableRow } from './csv-table';

/**
 * Field checks shared by the file readers (E.1): status active | tobedeleted (1.0's `inactive` still seen,
 * read as inactive), dates YYYY-MM-DD (a full ISO timestamp is cut to its date), booleans true/false in any
 * case, lists comma-separated inside one quoted cell. A bad value stops the import with file, line, field.
 */
export type RecordStatus = 'active' | 'inactive' | 'tobedeleted';

export interface FieldContext {
  file: string;
  row: TableRow;
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

export function checkDateLastModified(ctx: FieldContext, delta: boolean): void {
  const value = ctx.row.get('dateLastModified');
  if (!value && !delta) return;
  if (!ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(ctx, 'dateLastModified', 'an ISO 8601 timestamp', value);
  }
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
