import { SmsImportError } from '../../contract';
import { at, field, formatError, isObject, missingError, optionalText, type JsonObject, type Place } from './fields';

/**
 * The `SMSDirectoryData` envelope every KAMAR message carries (ref A.2): `sync` says what the message
 * is (A.3), `datetime` is when KAMAR built it (YYYYMMDDhhmmss, NZ local time), `version` the KAMAR
 * build. Payloads sit under a key named after the data (`students`, `staff`, …) as `{count, data[]}`.
 */
export interface KamarMessage {
  /** Lower-cased `sync` value. */
  sync: string;
  /** `datetime` as 14 digits, when present and readable. */
  datetime?: string;
  /** The date part of `datetime` as YYYY-MM-DD: "today" for leaving dates. */
  syncDate?: string;
  version?: string;
  body: JsonObject;
  file: string;
}

export interface PayloadBlock {
  /** `count` as KAMAR declared it (per message or per sync: not public, see README). */
  count?: number;
  data: unknown[];
  place: Place;
}

export function parseEnvelope(json: unknown, file: string): KamarMessage {
  const root: Place = { file, path: 'SMSDirectoryData' };
  if (!isObject(json)) throw formatError({ file, path: '(body)' }, 'a JSON object with SMSDirectoryData', json);
  const body = field(json, 'SMSDirectoryData');
  if (body === undefined) throw missingError(root, 'the SMSDirectoryData object');
  if (!isObject(body)) throw formatError(root, 'an object', body);
  const syncValue = field(body, 'sync');
  if (syncValue === undefined || syncValue === null || syncValue === '') {
    throw missingError(at(root, 'sync'), 'the message type (check, full, part, …)');
  }
  if (typeof syncValue !== 'string') throw formatError(at(root, 'sync'), 'text', syncValue);
  const datetime = readDatetime(field(body, 'datetime'));
  return {
    sync: syncValue.trim().toLowerCase(),
    ...(datetime
      ? { datetime, syncDate: `${datetime.slice(0, 4)}-${datetime.slice(4, 6)}-${datetime.slice(6, 8)}` }
      : {}),
    ...versionOf(body, root),
    body,
    file,
  };
}

/** `datetime` is a number in the samples; accept its string form too, ignore anything else (A.2). */
function readDatetime(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^\d{14}$/.test(text) ? text : undefined;
}

function versionOf(body: JsonObject, root: Place): { version?: string } {
  try {
    const version = optionalText(body, 'version', root);
    return version ? { version } : {};
  } catch {
    return {}; // the version is informative only: never refuse a push for it
  }
}

/** The `{count, data}` block under `key`, or undefined when the message has none. */
export function payloadBlock(message: KamarMessage, key: string): PayloadBlock | undefined {
  const place: Place = { file: message.file, path: `SMSDirectoryData.${key}` };
  const block = field(message.body, key);
  if (block === undefined || block === null) return undefined;
  if (!isObject(block)) throw formatError(place, 'an object with count and data', block);
  const data = field(block, 'data');
  const count = field(block, 'count');
  if (count !== undefined && count !== null && (typeof count !== 'number' || !Number.isInteger(count) || count < 0)) {
    throw formatError(at(place, 'count'), 'a whole number', count);
  }
  if (data === undefined || data === null) {
    if (typeof count === 'number' && count > 0) throw missingError(at(place, 'data'), `${count} records`);
    return { ...(typeof count === 'number' ? { count } : {}), data: [], place: at(place, 'data') };
  }
  if (!Array.isArray(data)) throw formatError(at(place, 'data'), 'an array of records', data);
  return { ...(typeof count === 'number' ? { count } : {}), data, place: at(place, 'data') };
}

/** Parses a raw HTTP body (or a saved push file) as JSON; KAMAR's XML format is refused with a fix. */
export function parseJsonText(text: string, file: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new SmsImportError('empty', 'The message is empty', { file });
  if (trimmed.startsWith('<')) {
    throw new SmsImportError('format', 'The message is XML: set the KAMAR service format to JSON', {
      file,
      expected: 'JSON',
      found: 'XML',
    });
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec(String(error))?.[1];
    throw new SmsImportError('format', 'The message is not valid JSON', {
      file,
      ...(position !== undefined ? { column: Number(position) + 1 } : {}),
      expected: 'JSON',
      found: trimmed.slice(0, 40),
    });
  }
}
