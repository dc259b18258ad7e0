import type { Mapping, Person } from '../../model';
import type { AppliedPerson, AppliedState } from './applied-state';
import { checkUsername } from './usernames';
import type {
  CreateUserOp,
  PlanningError,
  ReactivateUserOp,
  SuspendUserOp,
  UpdateUserOp,
  UserIdRef,
} from './operations';
import type { PlanOptions } from './plan-input';

/** The LMS fields a person's user holds; a change in any of them is an update of just that field. */
const USER_FIELDS = ['username', 'firstname', 'lastname', 'email', 'idnumber'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const SOURCE_NAMES = { 'sms-username': 'username', email: 'email address', 'sms-id': 'id' } as const;

export interface PeoplePlan {
  createUsers: CreateUserOp[];
  updateUsers: UpdateUserOp[];
  reactivateUsers: ReactivateUserOp[];
  suspendUsers: SuspendUserOp[];
  errors: PlanningError[];
  /** The LMS user of each person enrolments may be planned for (known id or placeholder). */
  userRefs: Map<string, UserIdRef>;
  /** People applied before who are gone from the SMS or inactive (not those held back by an error). */
  removed: Set<string>;
}

type Desired = Omit<AppliedPerson, 'suspended'>;

function describe(p: Person): string {
  return `${p.smsId} (${`${p.givenName} ${p.familyName}`.trim() || 'no name'})`;
}

/** What the mapping makes of one person, or why it cannot. */
function desiredUser(p: Person, mapping: Mapping): { desired: Desired } | { error: PlanningError } {
  const err = (field: string, message: string, fix: string) => ({
    error: { recordKind: 'person' as const, recordKey: p.smsId, field, message, fix },
  });
  const source =
    mapping.usernameFrom === 'sms-username' ? p.username : mapping.usernameFrom === 'email' ? p.email : p.smsId;
  const sourceName = SOURCE_NAMES[mapping.usernameFrom];
  if (!source?.trim()) {
    return err(
      'username',
      `${describe(p)} has no ${sourceName} in the SMS, and this connection makes usernames from it.`,
      `Enter a ${sourceName} for this person in the SMS, or choose another username source in the connection's mapping.`,
    );
  }
  const check = checkUsername(source);
  if (!check.ok) {
    return err(
      'username',
      `The username "${check.username}" for ${describe(p)} ${check.problem}.`,
      `Change the ${sourceName} in the SMS to use only lower-case letters, digits and _ - @ .` +
        (check.suggestion ? ` (for example "${check.suggestion}").` : '.'),
    );
  }
  const email = mapping.emailFrom === 'sms-email' ? (p.email ?? '').trim() : '';
  if (email !== '' && !EMAIL.test(email)) {
    return err('email', `The email address "${email}" of ${describe(p)} is not valid.`, 'Correct it in the SMS.');
  }
  const firstname = p.givenName.trim();
  const lastname = p.familyName.trim();
  if (!firstname || !lastname) {
    const field = firstname ? 'familyName' : 'givenName';
    const which = firstname ? 'family name' : 'given name';
    return err(field, `${describe(p)} has no ${which}; the LMS requires one.`, `Enter the ${which} in the SMS.`);
  }
  return { desired: { role: p.role, username: check.username, firstname, lastname, email, idnumber: p.smsId } };
}

/**
 * Finds values two records would share in the LMS (usernames; emails, which Moodle also keeps unique
 * by default), including people applied before who are no longer in the SMS but still have an LMS user.
 */
function duplicateErrors(
  desired: Map<string, Desired>,
  people: Map<string, Person>,
  applied: AppliedState,
): PlanningError[] {
  const errors: PlanningError[] = [];
  for (const field of ['username', 'email'] as const) {
    // First holder per value; a list only for values held twice (rare), so 20,000 people cost 20,000 Map entries.
    const first = new Map<string, string>();
    const shared = new Map<string, string[]>();
    const add = (value: string, key: string) => {
      if (value === '') return;
      const v = value.toLowerCase();
      const holder = first.get(v);
      if (holder === undefined) first.set(v, key);
      else shared.set(v, [...(shared.get(v) ?? [holder]), key]);
    };
    for (const [key, d] of desired) add(d[field], key);
    for (const key in applied.people) if (!desired.has(key)) add(applied.people[key]![field], key);
    for (const [value, keys] of shared) {
      const current = keys.filter((k) => desired.has(k));
      if (current.length === 0) continue;
      const names = keys.map((k) => {
        const p = people.get(k);
        return p ? describe(p) : `${k} (no longer in the SMS, still a user in the LMS)`;
      });
      for (const key of current) {
        errors.push({
          recordKind: 'person',
          recordKey: key,
          field,
          message: `The ${field} "${value}" would be shared by ${names.join(' and ')}.`,
          fix: `Give each person their own ${field} in the SMS.`,
          related: keys.filter((k) => k !== key),
        });
      }
    }
  }
  return errors;
}

function changedFields(before: AppliedPerson, after: Desired): (typeof USER_FIELDS)[number][] {
  return USER_FIELDS.filter((f) => before[f] !== after[f]);
}

/** Plans every user write for one connection: creates, field updates, reactivations and suspensions. */
export function planPeople(
  people: readonly Person[],
  mapping: Mapping,
  applied: AppliedState,
  options: PlanOptions,
): PeoplePlan {
  const plan: PeoplePlan = {
    createUsers: [],
    updateUsers: [],
    reactivateUsers: [],
    suspendUsers: [],
    errors: [],
    userRefs: new Map(),
    removed: new Set(),
  };
  const active = new Map<string, Person>();
  for (const p of people) if (p.active) active.set(p.smsId, p);

  const desired = new Map<string, Desired>();
  for (const p of active.values()) {
    const result = desiredUser(p, mapping);
    if ('error' in result) plan.errors.push(result.error);
    else desired.set(p.smsId, result.desired);
  }
  const duplicates = duplicateErrors(desired, active, applied);
  for (const e of duplicates) desired.delete(e.recordKey);
  plan.errors.push(...duplicates);

  const refOf = (key: string): UserIdRef => applied.links.people[key] ?? { smsPersonId: key };
  const auth = options.newUsers?.auth ?? 'manual';
  const createPassword = options.newUsers?.createPassword ?? auth === 'manual';
  for (const [key, d] of desired) {
    plan.userRefs.set(key, refOf(key));
    const before = applied.people[key];
    const after: AppliedPerson = { ...d, suspended: false };
    if (!before) {
      const { role: _role, ...user } = d;
      plan.createUsers.push({
        key,
        record: { ...user, auth, ...(createPassword ? { createPassword } : {}) },
        applied: after,
      });
      continue;
    }
    const changed = changedFields(before, d);
    const fields = Object.fromEntries(changed.map((f) => [f, d[f]]));
    // A reactivation carries the changed fields too: one request, and one op per person.
    if (before.suspended) {
      plan.reactivateUsers.push({ key, record: { id: refOf(key), ...fields, suspended: false }, applied: after });
    } else if (changed.length > 0) {
      plan.updateUsers.push({ key, record: { id: refOf(key), ...fields }, changed, applied: after });
    }
  }
  // Held back by an error: planned neither as present nor as removed. Enrolments go on if the user exists.
  for (const e of plan.errors) {
    if (applied.people[e.recordKey] || applied.links.people[e.recordKey] !== undefined) {
      plan.userRefs.set(e.recordKey, refOf(e.recordKey));
    }
  }
  const heldBack = new Set(plan.errors.map((e) => e.recordKey));
  for (const key in applied.people) {
    const before = applied.people[key]!;
    if (desired.has(key) || heldBack.has(key)) continue;
    plan.removed.add(key);
    if (mapping.removalPolicy === 'suspend' && !before.suspended) {
      plan.suspendUsers.push({ key, record: { userId: refOf(key) }, applied: { ...before, suspended: true } });
    }
  }
  return plan;
}
