import { controlCharacterIn, SmsImportError, type SmsPerson } from '../../contract';
import {
  at,
  field,
  formatError,
  isObject,
  kamarDate,
  missingError,
  optionalFlag,
  optionalText,
  requiredText,
  type Place,
} from './fields';
import { readCaregivers, type KamarCaregiver } from './caregivers';

/** A timetabled class: identity = subject + coreoption (ref A.4, wing5wong builds "SUBJ-COREOPTION"). */
export interface KamarClass {
  subject: string;
  coreoption: string;
}

export interface KamarPersonRecord {
  person: SmsPerson;
  classes: KamarClass[];
  /** A student's caregivers, read only with RecordOptions.caregivers (caregivers.ts). */
  caregivers?: KamarCaregiver[];
}

export interface KamarSubjectRecord {
  code: string;
  name: string;
}

export interface RecordOptions {
  /** YYYY-MM-DD: a leaving date on or before it makes the person inactive. */
  today: string;
  /** Keep form-time classes (`subject: "FT"`, ref A.4) as courses. Default false. */
  includeFormClasses: boolean;
  /** Read students' caregivers (only while a parents rule is on: caregivers.ts). Default false. */
  caregivers?: boolean;
  warn(message: string, field: string): void;
}

/** One `students.data[]` or `staff.data[]` record (ref A.4) as a person plus their class memberships. */
export function readPerson(
  raw: unknown,
  role: 'student' | 'staff',
  place: Place,
  options: RecordOptions,
): KamarPersonRecord {
  if (!isObject(raw)) throw formatError(place, `a ${role} record (object)`, raw);
  const smsId = requiredText(raw, 'id', place);
  // Named by id once the id itself is clean; the field path carries the record's index either way.
  const idClean = controlCharacterIn(smsId) === undefined;
  const record = idClean ? `${role} ${smsId}` : `this ${role} record`;
  const clean = (value: string | undefined, name: string) => refuseControl(value, place, name, record);
  clean(smsId, 'id');
  const givenName =
    clean(optionalText(raw, 'firstname', place), 'firstname') ??
    clean(optionalText(raw, 'forenames', place), 'forenames') ??
    '';
  const familyName = clean(optionalText(raw, 'lastname', place), 'lastname') ?? '';
  if (givenName === '' && familyName === '') throw missingError(at(place, 'lastname'), 'a first or last name');
  const email = clean(optionalText(raw, 'email', place), 'email');
  const username = clean(optionalText(raw, 'username', place), 'username');
  const person: SmsPerson = {
    smsId,
    role,
    givenName,
    familyName,
    ...(email ? { email } : {}),
    ...(username ? { username } : {}),
    active: isActive(raw, place, options),
    extra: role === 'student' ? studentExtra(raw, place, options) : staffExtra(raw, place),
  };
  const classes = readClasses(field(raw, 'groups'), at(place, 'groups'), options, record);
  if (!options.caregivers || role !== 'student') return { person, classes };
  return { person, classes, caregivers: readCaregivers(raw, place, options.warn) };
}

/**
 * A name, username or id with a control character (NUL, other C0/C1 codes, DEL) is a damaged export:
 * Moodle would store it or refuse the whole batch. Refused with the record and the field.
 */
function refuseControl(value: string | undefined, place: Place, name: string, record: string): string | undefined {
  if (value === undefined) return undefined;
  const bad = controlCharacterIn(value);
  if (bad === undefined) return value;
  throw new SmsImportError('format', `${record} has a control character (${bad}) in ${name}`, {
    file: place.file,
    field: at(place, name).path,
  });
}

/** Leavers stay in the roll with a leaving date; they are inactive from that date on. */
function isActive(raw: Record<string, unknown>, place: Place, options: RecordOptions): boolean {
  const leaving = kamarDate(field(raw, 'leavingdate'));
  if (leaving === 'invalid') {
    options.warn(`unreadable leaving date ignored`, at(place, 'leavingdate').path);
    return true;
  }
  return leaving === undefined || leaving > options.today;
}

function studentExtra(raw: Record<string, unknown>, place: Place, options: RecordOptions): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [kamarName, name] of [
    ['nsn', 'nsn'],
    ['uniqueid', 'uniqueid'],
    ['tutor', 'tutor'],
  ] as const) {
    const value = optionalText(raw, kamarName, place);
    if (value) extra[name] = value;
  }
  const yearLevel = field(raw, 'yearlevel');
  if (typeof yearLevel === 'number' || (typeof yearLevel === 'string' && /^\d+$/.test(yearLevel.trim()))) {
    extra.yearLevel = String(yearLevel).trim();
  } else if (yearLevel !== undefined && yearLevel !== null && yearLevel !== '') {
    options.warn('unreadable year level ignored', at(place, 'yearlevel').path);
  }
  return extra;
}

function staffExtra(raw: Record<string, unknown>, place: Place): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const name of ['uniqueid', 'title', 'classification'] as const) {
    const value = optionalText(raw, name, place);
    if (value) extra[name] = value;
  }
  if (optionalFlag(raw, 'accountdisabled') === true) extra.accountdisabled = 'true';
  return extra;
}

/**
 * `groups[]` (ref A.4): only `type: "class"` entries are enrolments; ad-hoc groups (`type: "group"`)
 * and departments are not courses and are skipped. Form time (`subject: "FT"`) is skipped unless asked.
 */
function readClasses(groups: unknown, place: Place, options: RecordOptions, record: string): KamarClass[] {
  if (groups === undefined || groups === null) return [];
  if (!Array.isArray(groups)) throw formatError(place, 'an array of groups', groups);
  const classes: KamarClass[] = [];
  groups.forEach((group, index) => {
    const groupPlace = at(place, index);
    if (!isObject(group)) throw formatError(groupPlace, 'a group (object)', group);
    const type = optionalText(group, 'type', groupPlace)?.toLowerCase();
    if (type !== 'class') return;
    // Subject and coreoption become course and class ids.
    const subject = refuseControl(requiredText(group, 'subject', groupPlace), groupPlace, 'subject', record) ?? '';
    if (subject.toUpperCase() === 'FT' && !options.includeFormClasses) return;
    const coreoption = refuseControl(optionalText(group, 'coreoption', groupPlace), groupPlace, 'coreoption', record);
    classes.push({ subject, coreoption: coreoption ?? '' });
  });
  return classes;
}

/** `subjects.data[]` (common.subjects, ref A.4): `id` is the subject code, `name` its title. */
export function readSubject(raw: unknown, place: Place): KamarSubjectRecord {
  if (!isObject(raw)) throw formatError(place, 'a subject record (object)', raw);
  const code = requiredText(raw, 'id', place);
  const record = controlCharacterIn(code) === undefined ? `subject ${code}` : 'this subject record';
  refuseControl(code, place, 'id', record);
  return { code, name: refuseControl(optionalText(raw, 'name', place), place, 'name', record) || code };
}
