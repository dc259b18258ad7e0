import type { LmsConnection, Settings } from '../../model';
import type { Store } from '../../store/store';
import {
  APPLIED_STATE_VERSION,
  assessRemovals,
  countActive,
  courseCreationAllowed,
  emptyAppliedState,
  planUpload,
  preview,
  type AppliedState,
  type PlanPreview,
  type RemovalAssessment,
} from '../plan';
import { noExportImported } from './no-export';

export interface UploadPreview extends PlanPreview {
  /** Whether the safety rail would hold this plan for the admin's approval, and why. */
  removals: RemovalAssessment;
}

type Check = (value: unknown) => string | undefined;
type Fields = Record<string, (v: unknown) => boolean>;

const isString = (v: unknown): boolean => typeof v === 'string';
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isInteger = (v: unknown): boolean => Number.isSafeInteger(v);
const oneOf =
  (...values: string[]) =>
  (v: unknown): boolean =>
    typeof v === 'string' && values.includes(v);

/** A record check as strict as AppliedStateSchema's, without building a copy of every record. */
function recordCheck(
  fields: Fields,
  optional: Fields = {},
): { check: Check; size: (record: Record<string, unknown>) => number; names: string[] } {
  const required = Object.keys(fields);
  const names = [...required, ...Object.keys(optional)];
  const check: Check = (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object';
    const record = value as Record<string, unknown>;
    for (const name of required) if (!fields[name]!(record[name])) return `invalid ${name}`;
    for (const name in optional)
      if (record[name] !== undefined && !optional[name]!(record[name])) return `invalid ${name}`;
    return undefined;
  };
  // The number of known fields a record has (an optional one counts when present).
  const size = (record: Record<string, unknown>) => {
    let n = required.length;
    for (const name in optional) if (record[name] !== undefined) n += 1;
    return n;
  };
  return { check, size, names };
}

/** An applied person's identity (plan/applied-state.ts AppliedIdentitySchema): optional strings. */
const isIdentity = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  ['usi', 'nsn', 'dob', 'email'].every((k) => {
    const x = (v as Record<string, unknown>)[k];
    return x === undefined || typeof x === 'string';
  });

const RECORDS = {
  people: recordCheck(
    {
      role: oneOf('student', 'staff'),
      username: isString,
      firstname: isString,
      lastname: isString,
      email: isString,
      idnumber: isString,
      suspended: isBoolean,
    },
    { identity: isIdentity },
  ),
  courses: recordCheck({
    origin: oneOf('created', 'matched'),
    fullname: isString,
    shortname: isString,
    idnumber: isString,
    startDate: isInteger,
    endDate: isInteger,
  }),
  groups: recordCheck({ course: isString, name: isString, idnumber: isString }),
  enrolments: recordCheck({
    person: isString,
    course: isString,
    role: isString,
    timeStart: isInteger,
    timeEnd: isInteger,
    suspended: isBoolean,
  }),
  memberships: recordCheck({ group: isString, person: isString, course: isString }),
};

const isLmsId = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;

function unreadable(connectionId: string, reason: string): Error {
  // Written only by ClassBridge; unreadable means a newer version or a damaged row. Refuse rather
  // than diff against nothing (which would plan to create everything again).
  return new Error(`The record of what was uploaded to "${connectionId}" cannot be read (${reason}).`);
}

/**
 * The baseline last applied to a connection; empty when nothing was applied yet. Every stored entry
 * is checked against the AppliedStateSchema's rules (a damaged one refuses the whole state); a
 * record with fields the schema does not know keeps only the known ones, as the schema would.
 */
export function readAppliedState(store: Store, connectionId: string): AppliedState {
  const head = store.appliedState.header(connectionId);
  if (head === undefined) return emptyAppliedState();
  const header = head.header as { version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.version !== APPLIED_STATE_VERSION)
    throw unreadable(connectionId, `version ${String(header?.version)} is not ${APPLIED_STATE_VERSION}`);
  const state = emptyAppliedState();
  for (const [section, key, json] of store.appliedState.entries(connectionId)) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw unreadable(connectionId, `${section} ${key} is not JSON`);
    }
    if (section.startsWith('links.')) {
      const links = state.links[section.slice(6) as keyof AppliedState['links']] as Record<string, number> | undefined;
      if (!links) throw unreadable(connectionId, `unknown section ${section}`);
      if (!isLmsId(value)) throw unreadable(connectionId, `${section} ${key}: expected a positive integer`);
      links[key] = value as number;
      continue;
    }
    const rule = RECORDS[section as keyof typeof RECORDS] as (typeof RECORDS)[keyof typeof RECORDS] | undefined;
    if (!rule) throw unreadable(connectionId, `unknown section ${section}`);
    const problem = rule.check(value);
    if (problem !== undefined) throw unreadable(connectionId, `${section} ${key}: ${problem}`);
    let record = value as Record<string, unknown>;
    if (Object.keys(record).length !== rule.size(record))
      record = Object.fromEntries(rule.names.filter((n) => record[n] !== undefined).map((n) => [n, record[n]]));
    (state[section as keyof typeof RECORDS] as Record<string, unknown>)[key] = record;
  }
  return state;
}

/**
 * A dry run of the next upload to one LMS: what it would create, update, suspend, enrol and
 * unenrol, the first records of each kind, planning errors, and whether the safety rail holds it.
 * Reads only; writes nothing anywhere.
 */
export function previewUpload(store: Store, connection: LmsConnection, settings: Settings, samples = 3): UploadPreview {
  const applied = readAppliedState(store, connection.id);
  const snapshot = store.snapshot.read();
  const plan = planUpload({
    connectionId: connection.id,
    snapshot,
    mapping: connection.mapping,
    lmsCourses: store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] }),
    applied,
    options: { timeZone: settings.timeZone, allowCourseCreation: courseCreationAllowed(connection.mapping) },
  });
  const planned = preview(plan, samples);
  // "Nothing to change" would hide that the SMS export was never imported.
  const missing = noExportImported(store);
  const summary = missing ? `${missing.message} ${missing.fix}` : planned.summary;
  // The same checks as the run (run-upload.ts), per course too, so the dry run warns of the same hold.
  const removals = assessRemovals(plan, countActive(applied), settings.safety, { applied, courses: snapshot.courses });
  return { ...planned, summary, removals };
}
