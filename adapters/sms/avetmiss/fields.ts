import { controlCharacterIn, SmsProblemList } from '../../contract';
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
  /**
   * A problem was reported for this record (its fields may be blank or shifted): it must not
   * count as data, though its identifier may still be noted so other files' references to it
   * are not reported as a second, misleading problem.
   */
  damaged: boolean;
}

/** Characters that need a closer look: controls (C0, DEL, C1) and surrogates (one character, two JS units). */
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;
const SURROGATE = /[\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A record's characters: the string itself, or its code points when it holds any outside the BMP. */
type Columns = string | readonly string[];

function cut(columns: Columns, from: number, to: number): string {
  return typeof columns === 'string' ? columns.slice(from, to) : columns.slice(from, to).join('');
}

/**
 * Reads one fixed-width record (C.1) by characters, not bytes: short lines are tolerated (missing
 * trailing fields are blank, and an A field may lose its trailing spaces), but a record that ends
 * before a mandatory field, or inside an N or D field, is truncated.
 *
 * One problem per record is reported (the first): a tab or a control character, else the first
 * field that does not read. Later fields of a damaged record are most often the same fault seen
 * again (a shifted column), which would only bury the real problem. With `problems` the problem is
 * added there and the record comes back `damaged`; without, it is thrown.
 */
export function readRecord(
  layout: RecordLayout,
  text: string,
  ctx: RecordContext,
  problems?: SmsProblemList,
): ParsedRecord {
  const sink = problems ?? new SmsProblemList();
  const before = sink.total;
  // One regex over the line in the usual case; the closer looks run only for lines that need them.
  const special = SPECIAL.test(text);
  const columns: Columns = special && SURROGATE.test(text) ? Array.from(text) : text;
  const values: NatRecord = {};
  let damaged = special && reportControlCharacter(layout, columns, ctx, sink);
  for (const field of layout.fields) {
    const value = readField(field, columns, ctx, damaged ? undefined : sink);
    if (value === undefined) {
      damaged = true;
      values[field.key] = '';
    } else values[field.key] = value;
  }
  if (special && damaged) {
    // What precedes the character is what the SMS meant (a tab after "100002"): kept, so the
    // record's identifier still answers references from other files.
    for (const key of Object.keys(values)) values[key] = (values[key] as string).split(CONTROL, 1)[0]!.trim();
  }
  if (!problems) sink.throwIfAny();
  return { values, extraLength: Math.max(0, columns.length - layout.recordLength), damaged: sink.total > before };
}

/** Names the first tab or control character inside the national record, with its field. */
function reportControlCharacter(
  layout: RecordLayout,
  columns: Columns,
  ctx: RecordContext,
  sink: SmsProblemList,
): boolean {
  // Trailing data beyond the national record is ignored (state extensions), so it is not judged either.
  for (const field of layout.fields) {
    const from = field.start - 1;
    if (from >= columns.length) return false;
    const raw = cut(columns, from, from + field.length);
    const code = controlCharacterIn(raw);
    if (code === undefined) continue;
    const offset = [...raw].findIndex((c) => controlCharacterIn(c) !== undefined);
    const where = { ...fieldWhere(field, ctx), column: field.start + offset };
    if (code === 'U+0009') {
      sink.add('format', 'A tab character where fixed-width columns are expected', {
        ...where,
        expected: `${field.length} characters at columns ${field.start}-${field.start + field.length - 1}, padded with spaces (NAT files are fixed-width, not tab-separated)`,
        found: `a tab at column ${where.column}`,
      });
    } else {
      sink.add('format', `A control character (${code}) in the record: NAT files hold printable text only`, {
        ...where,
        expected: 'printable characters (letters, digits, spaces, punctuation)',
        found: code,
      });
    }
    return true;
  }
  return false;
}

/** The field's value, or undefined after adding its problem to `sink` (or silently, without one). */
function readField(field: FieldSpec, columns: Columns, ctx: RecordContext, sink?: SmsProblemList): string | undefined {
  const from = field.start - 1;
  const to = from + field.length;
  if (columns.length < to) {
    const partial = cut(columns, from, to);
    const truncatedInside = field.type !== 'A' && partial.trim() !== '';
    const mandatoryMissing = field.required === true && (field.type !== 'A' || partial.trim() === '');
    if (truncatedInside || mandatoryMissing) {
      sink?.add('format', `Record is truncated: it ends at column ${columns.length}`, {
        ...fieldWhere(field, ctx),
        expected: `columns ${field.start}-${to} (${field.length} characters)`,
        found: `a record of ${columns.length} characters`,
      });
      return undefined;
    }
  }
  const raw = cut(columns, from, to);
  const value = raw.trim();
  if (value === '') {
    if (!field.required) return '';
    sink?.add('missing', 'A mandatory field is blank', { ...fieldWhere(field, ctx), expected: 'a value', found: raw });
    return undefined;
  }
  if (field.type === 'N') return readNumber(field, raw, ctx, sink);
  if (field.type === 'D') return readDate(field, raw, ctx, sink);
  return value;
}

/** Built only for a problem: this runs for every field of every record. */
function fieldWhere(field: FieldSpec, ctx: RecordContext) {
  return { file: ctx.file, line: ctx.line, column: field.start, field: field.label };
}

function readNumber(field: FieldSpec, raw: string, ctx: RecordContext, sink?: SmsProblemList): string | undefined {
  if (/^\d+$/.test(raw)) return raw;
  sink?.add('format', 'A numeric field holds something other than digits', {
    ...fieldWhere(field, ctx),
    expected: `${field.length} digits, zero-filled`,
    found: raw,
  });
  return undefined;
}

function readDate(field: FieldSpec, raw: string, ctx: RecordContext, sink?: SmsProblemList): string | undefined {
  // `@@@@@@@@` is "not stated" (C.1), only where the field is optional.
  if (!field.required && /^@+$/.test(raw)) return '';
  const iso = isoFromDdmmyyyy(raw);
  if (iso !== undefined) return iso;
  sink?.add('format', 'Not a real date', { ...fieldWhere(field, ctx), expected: 'a date DDMMYYYY', found: raw });
  return undefined;
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
