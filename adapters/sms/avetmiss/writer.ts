import { ddmmyyyyFromIso } from './fields';
import type { FieldSpec, RecordLayout } from './layouts';

/** NAT files end records with CRLF (C.1). */
export const CRLF = '\r\n';

/**
 * Plain ASCII for a fixed-width field (F.3): macrons and other diacritics lose their marks
 * (ā → a), typographic quotes become plain ones, anything else non-ASCII becomes '?'. One
 * character in, one character out is not guaranteed by NFD, so this runs before padding.
 */
export function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** A: left-justified, space-padded, truncated to length. */
export function padAlpha(value: string, length: number): string {
  return toAscii(value).slice(0, length).padEnd(length, ' ');
}

/** N: right-justified, zero-filled. A value that does not fit is a caller bug, not data to truncate. */
export function padNumeric(value: string | number, length: number): string {
  const text = String(value);
  if (text === '') return ' '.repeat(length);
  if (!/^\d+$/.test(text) || text.length > length) throw new RangeError(`${text} does not fit N(${length})`);
  return text.padStart(length, '0');
}

function formatField(field: FieldSpec, value: string | undefined): string {
  if (value === undefined || value === '') return ' '.repeat(field.length);
  if (field.type === 'N') return padNumeric(value, field.length);
  if (field.type === 'D') return /^@+$/.test(value) ? '@'.repeat(field.length) : ddmmyyyyFromIso(value);
  return padAlpha(value, field.length);
}

/** One record, full national length (no CRLF). D values are ISO dates. */
export function formatRecord(layout: RecordLayout, values: Readonly<Record<string, string>>): string {
  let out = '';
  for (const field of layout.fields) {
    // Layout fields are contiguous; a gap (none today) would be filler spaces.
    out = out.padEnd(field.start - 1, ' ') + formatField(field, values[field.key]);
  }
  return out;
}

/** Replaces one field of an existing record in place, keeping every other character. */
export function replaceField(record: string, field: FieldSpec, value: string): string {
  const from = field.start - 1;
  const padded = record.padEnd(from + field.length, ' ');
  return padded.slice(0, from) + formatField(field, value) + padded.slice(from + field.length);
}
