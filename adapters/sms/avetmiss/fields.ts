import { SmsImportError } from '../../contract';
import type { FieldSpec, RecordLayout } from './layouts';

/** Where a record came from, for errors and warnings. */
export interface RecordContext {
  file: string;
  line: number;
}

/** Field values by key: A trimmed, N as written, D as ISO YYYY-MM-DD ('' when blank or not stated). */
export type NatRecord = Record<string, string>;

export interface ParsedRecord {
  values: NatRecord;
  /** Characters beyond the national record length (state extensions, trailing data). */
  extraLength: number;
}

/**
 * Reads one fixed-width record (C.1): short lines are tolerated (missing trailing fields are blank,
 * and an A field may lose its trailing spaces), but a record that ends before a mandatory field, or
 * inside an N or D field, is truncated.
 */
export function readRecord(layout: RecordLayout, text: string, ctx: RecordContext): ParsedRecord {
  const values: NatRecord = {};
  for (const field of layout.fields) values[field.key] = readField(field, text, ctx);
  return { values, extraLength: Math.max(0, text.length - layout.recordLength) };
}

function readField(field: FieldSpec, text: string, ctx: RecordContext): string {
  const from = field.start - 1;
  const to = from + field.length;
  if (text.length < to) {
    const partial = text.slice(from);
    const truncatedInside = field.type !== 'A' && partial.trim() !== '';
    const mandatoryMissing = field.required === true && (field.type !== 'A' || partial.trim() === '');
    if (truncatedInside || mandatoryMissing) {
      throw new SmsImportError('format', `Record is truncated: it ends at column ${text.length}`, {
        ...ctx,
        column: field.start,
        field: field.label,
        expected: `columns ${field.start}-${to} (${field.length} characters)`,
        found: `a record of ${text.length} characters`,
      });
    }
  }
  const raw = text.slice(from, to);
  const value = raw.trim();
  if (value === '') {
    if (field.required) {
      throw new SmsImportError('missing', 'A mandatory field is blank', {
        ...ctx,
        column: field.start,
        field: field.label,
        expected: 'a value',
        found: raw,
      });
    }
    return '';
  }
  if (field.type === 'N') return readNumber(field, raw, ctx);
  if (field.type === 'D') return readDate(field, raw, ctx);
  return value;
}

function readNumber(field: FieldSpec, raw: string, ctx: RecordContext): string {
  if (!/^\d+$/.test(raw)) {
    throw new SmsImportError('format', 'A numeric field holds something other than digits', {
      ...ctx,
      column: field.start,
      field: field.label,
      expected: `${field.length} digits, zero-filled`,
      found: raw,
    });
  }
  return raw;
}

function readDate(field: FieldSpec, raw: string, ctx: RecordContext): string {
  // `@@@@@@@@` is "not stated" (C.1), only where the field is optional.
  if (!field.required && /^@+$/.test(raw)) return '';
  const iso = isoFromDdmmyyyy(raw);
  if (iso === undefined) {
    throw new SmsImportError('format', 'Not a real date', {
      ...ctx,
      column: field.start,
      field: field.label,
      expected: 'a date DDMMYYYY',
      found: raw,
    });
  }
  return iso;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `31122026` → `2026-12-31`; undefined for anything that is not a real calendar date. */
export function isoFromDdmmyyyy(text: string): string | undefined {
  // Called for every date of every record: plain arithmetic, no regex or Date objects.
  if (text.length !== 8) return undefined;
  let digits = 0;
  for (let i = 0; i < 8; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
    digits = digits * 10 + (code - 48);
  }
  const year = digits % 10000;
  const month = Math.floor(digits / 10000) % 100;
  const day = Math.floor(digits / 1000000);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > days) return undefined;
  return `${text.slice(4)}-${text.slice(2, 4)}-${text.slice(0, 2)}`;
}

/** `2026-12-31` → `31122026`. */
export function ddmmyyyyFromIso(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO date: ${iso}`);
  return `${match[3]}${match[2]}${match[1]}`;
}
