import { SmsImportError } from '../../contract';

/**
 * Lenient readers for KAMAR JSON values. KAMAR's field types drift between builds (ints vs strings,
 * bools vs 0/1, ref A.4) and key case differs between samples (`moeCode` vs `moecode`, ref A.2), so
 * every read is case-insensitive and accepts the spellings seen; anything else is an SmsImportError
 * that names the field path, what was expected and what was found.
 */
export type JsonObject = Record<string, unknown>;

/** Where a value sits, for error messages: the message (file) and a dotted path (field). */
export interface Place {
  file: string;
  path: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a key case-insensitively: the exact spelling first (the common case), then a scan. */
export function field(record: JsonObject, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

export function at(place: Place, key: string | number): Place {
  return { file: place.file, path: typeof key === 'number' ? `${place.path}[${key}]` : `${place.path}.${key}` };
}

export function describeFound(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatError(place: Place, expected: string, found: unknown): SmsImportError {
  return new SmsImportError('format', `KAMAR field has the wrong type`, {
    file: place.file,
    field: place.path,
    expected,
    found: describeFound(found),
  });
}

export function missingError(place: Place, expected: string): SmsImportError {
  return new SmsImportError('missing', `KAMAR field is missing`, { file: place.file, field: place.path, expected });
}

/** Text from a string or number; undefined for absent/null; objects, arrays and booleans are refused. */
export function optionalText(record: JsonObject, name: string, place: Place): string | undefined {
  const value = field(record, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw formatError(at(place, name), 'text or a number', value);
}

export function requiredText(record: JsonObject, name: string, place: Place): string {
  const text = optionalText(record, name, place);
  if (text === undefined || text === '') throw missingError(at(place, name), 'a non-empty value');
  return text;
}

/** KAMAR flags arrive as true/false, 0/1 or "0"/"1" (ref A.4, `esol`); anything else reads as undefined. */
export function optionalFlag(record: JsonObject, name: string): boolean | undefined {
  const value = field(record, name);
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

/**
 * A KAMAR date (YYYYMMDD, or the first 8 digits of YYYYMMDDhhmmss) as an ISO date, from an int or a
 * string (ref A.2/A.4). 0 and '' mean "none". Unreadable values give undefined and the caller warns.
 */
export function kamarDate(value: unknown): string | undefined | 'invalid' {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return undefined;
  const digits = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof digits !== 'string' || !/^\d{8}(\d{6})?$/.test(digits.trim())) return 'invalid';
  const text = digits.trim();
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? 'invalid' : iso;
}
