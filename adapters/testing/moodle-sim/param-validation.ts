/**
 * External function parameter descriptions and external_api::validate_parameters, with Moodle's
 * semantics: a value that cleaning would change is rejected, not coerced; missing required keys and
 * unexpected keys are rejected; each structure level wraps the inner error as "key => message: debuginfo"
 * (compare debug_err_username_uppercase and debug_err_invalid_param_missing_required).
 */
import { invalidParameter, MoodleException } from './errors';
import type { PhpArray, PhpValue } from './form-decoding';

/** PARAM_* constants by their PHP string values, which appear in debuginfo ("expecting "int" type"). */
export type ParamType =
  | 'int'
  | 'bool'
  | 'float'
  | 'raw'
  | 'raw_trimmed'
  | 'text'
  | 'notags'
  | 'alpha'
  | 'alphanum'
  | 'alphanumext'
  | 'alphaext'
  | 'username'
  | 'plugin'
  | 'lang'
  | 'theme'
  | 'timezone'
  | 'safedir'
  | 'sequence';

type Presence = { required: 'required' } | { required: 'optional' } | { required: 'default'; default: unknown };

export type ValueDesc = { kind: 'value'; type: ParamType } & Presence;
export type SingleDesc = { kind: 'single'; keys: Record<string, Desc> } & Presence;
export type MultipleDesc = { kind: 'multiple'; content: Desc } & Presence;
export type Desc = ValueDesc | SingleDesc | MultipleDesc;

export const value = (type: ParamType): ValueDesc => ({ kind: 'value', type, required: 'required' });
export const single = (keys: Record<string, Desc>): SingleDesc => ({ kind: 'single', keys, required: 'required' });
export const multiple = (content: Desc): MultipleDesc => ({ kind: 'multiple', content, required: 'required' });
/** VALUE_OPTIONAL: left out of the result when not sent. */
export const optional = <D extends Desc>(desc: D): D => ({ ...desc, required: 'optional' });
/** VALUE_DEFAULT: the default is validated like a sent value, as Moodle does. */
export const withDefault = <D extends Desc>(desc: D, dflt: unknown): D => ({
  ...desc,
  required: 'default',
  default: dflt,
});

/** What validated parameters look like: PARAM_INT/FLOAT → number, PARAM_BOOL → boolean, other values → string. */
export type Validated = string | number | boolean | Validated[] | { [key: string]: Validated };

const INSTALLED_LANGS = new Set(['en']);
export const INSTALLED_THEMES = new Set(['boost', 'classic']);

/** PHP's trim() character set. */
const TRIMMED = new Set([' ', '\t', '\n', '\r', '\0', '\v']);
const phpTrim = (s: string): string => {
  let start = 0;
  let end = s.length;
  while (start < end && TRIMMED.has(s[start] as string)) start++;
  while (end > start && TRIMMED.has(s[end - 1] as string)) end--;
  return s.slice(start, end);
};
/** strip_tags is approximated: anything that looks like a tag, comment or processing instruction. */
const stripTags = (s: string): string => s.replace(/<[a-zA-Z/!?][^>]*(>|$)/g, '');

/** clean_param() for the types the simulated functions declare. Returns the cleaned string. */
function clean(raw: string, type: ParamType): string {
  switch (type) {
    case 'int': {
      // PHP (int) cast of a numeric-looking prefix.
      const match = /^[ \t\n\r\v\f]*([+-]?\d+)/.exec(raw);
      if (!match) return '0';
      const n = BigInt(match[1] as string);
      const clamped =
        n > 9223372036854775807n ? 9223372036854775807n : n < -9223372036854775808n ? -9223372036854775808n : n;
      return clamped.toString();
    }
    case 'raw':
      return raw;
    case 'raw_trimmed':
      return phpTrim(raw);
    case 'text':
    case 'notags':
      return stripTags(raw);
    case 'alpha':
      return raw.replace(/[^a-zA-Z]/g, '');
    case 'alphanum':
      return raw.replace(/[^a-zA-Z0-9]/g, '');
    case 'alphanumext':
      return raw.replace(/[^a-zA-Z0-9_-]/g, '');
    case 'alphaext':
      return raw.replace(/[^a-zA-Z_-]/g, ''); // PARAM_ALPHAEXT: letters, - and _
    case 'username':
      // $CFG->extendedusernamechars is off by default: lower case, no spaces, only -.@_a-z0-9.
      return phpTrim(raw)
        .toLowerCase()
        .replace(/ /g, '')
        .replace(/[^-.@_a-z0-9]/g, '');
    case 'plugin':
      return raw === '' || (/^[a-z][a-z0-9_]*[a-z0-9]$/.test(raw) && !raw.includes('__')) ? raw : '';
    case 'lang':
      return INSTALLED_LANGS.has(raw) ? raw : '';
    case 'theme':
      return INSTALLED_THEMES.has(raw) ? raw : '';
    case 'timezone':
      return /^(99|[+-]?\d{1,2}(\.\d+)?|[A-Za-z]+(\/[A-Za-z0-9_+-]+)*|UTC)$/.test(raw) ? raw : '99';
    case 'safedir':
      return raw.replace(/[^a-zA-Z0-9_-]/g, '');
    case 'sequence':
      return raw.replace(/[^0-9,]/g, '');
    case 'bool':
    case 'float':
      return raw;
  }
}

function typeMismatch(raw: string, type: ParamType): MoodleException {
  return invalidParameter(
    `Invalid external api parameter: the value is "${raw}", the server was expecting "${type}" type`,
  );
}

function validateValue(desc: ValueDesc, input: unknown): Validated {
  if (input instanceof Map || Array.isArray(input) || (typeof input === 'object' && input !== null)) {
    throw invalidParameter('Scalar type expected, array or object received.');
  }
  // Defaults arrive as JS values; sent values as strings.
  if (typeof input === 'number' || typeof input === 'boolean') {
    if (desc.type === 'bool') return Boolean(input);
    if (desc.type === 'int' || desc.type === 'float') return Number(input);
    return String(input);
  }
  const raw = String(input);
  if (desc.type === 'bool') {
    // validate_parameters accepts exactly 0/1 for PARAM_BOOL; "true" would clean to 1 and so be rejected.
    if (raw === '0' || raw === '1') return raw === '1';
    throw typeMismatch(raw, 'bool');
  }
  if (desc.type === 'float') {
    if (raw.trim() !== '' && !Number.isNaN(Number(raw)) && /^[+-]?[0-9]*\.?[0-9]*(e[-+]?[0-9]+)?$/i.test(raw))
      return Number(raw);
    throw typeMismatch(raw, 'float');
  }
  const cleaned = clean(raw, desc.type);
  if (cleaned !== raw) throw typeMismatch(raw, desc.type);
  return desc.type === 'int' ? Number(cleaned) : cleaned;
}

/** Wraps an inner error the way external_api does for a keyed child. */
function wrap(key: string, inner: unknown, debug: boolean): MoodleException {
  if (!(inner instanceof MoodleException)) throw inner;
  return invalidParameter(`${key} => ${inner.messageFor(debug)}: ${inner.debuginfo ?? ''}`);
}

function asEntries(input: unknown): [string, unknown][] | null {
  if (input instanceof Map) return [...(input as PhpArray).entries()];
  if (Array.isArray(input)) return input.map((v, i) => [String(i), v]);
  if (typeof input === 'object' && input !== null) return Object.entries(input);
  return null;
}

function badArray(input: unknown): MoodleException {
  return invalidParameter(`Only arrays accepted. The bad value is: '${String(input)}'`);
}

/**
 * external_api::validate_parameters. `debug` only changes the text nested messages quote, because PHP's
 * getMessage() includes the debuginfo when debugging is on.
 */
export function validate(desc: Desc, input: PhpValue | unknown, debug: boolean): Validated {
  if (desc.kind === 'value') return validateValue(desc, input);
  const entries = asEntries(input);
  if (entries === null) throw badArray(input);
  if (desc.kind === 'multiple') return entries.map(([, item]) => validate(desc.content, item, debug));

  const remaining = new Map(entries);
  const result: { [key: string]: Validated } = {};
  for (const [key, sub] of Object.entries(desc.keys)) {
    if (!remaining.has(key)) {
      if (sub.required === 'required') throw invalidParameter(`Missing required key in single structure: ${key}`);
      if (sub.required === 'default') {
        try {
          result[key] = validate(sub, sub.default, debug);
        } catch (e) {
          throw wrap(key, e, debug);
        }
      }
    } else {
      try {
        result[key] = validate(sub, remaining.get(key), debug);
      } catch (e) {
        throw wrap(key, e, debug);
      }
    }
    remaining.delete(key);
  }
  if (remaining.size > 0) {
    throw invalidParameter(`Unexpected keys (${[...remaining.keys()].join(', ')}) detected in parameter array.`);
  }
  return result;
}

/** Number of elements in a (not yet validated) array parameter; what the latency model calls items. */
export function countItems(input: PhpValue | undefined): number {
  return input instanceof Map ? input.size : 0;
}
