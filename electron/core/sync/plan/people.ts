import type { Mapping, Person } from '../../model';
import type { AppliedIdentity, AppliedPerson, AppliedState } from './applied-state';
import { checkUsername } from './usernames';
import { templatedPeople } from './templates';
import type {
  CreateUserOp,
  PlanningError,
  RecordedIdentity,
  ReactivateUserOp,
  RekeyEvidence,
  RekeyUserOp,
  SuspendUserOp,
  UpdateUserOp,
  UserIdRef,
} from './operations';
import type { PlanOptions } from './plan-input';
import { describePerson } from '../../model';

/** The LMS fields a person's user holds; a change in any of them is an update of just that field. */
const USER_FIELDS = ['username', 'firstname', 'lastname', 'email', 'idnumber'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const SOURCE_NAMES = { 'sms-username': 'username', email: 'email address', 'sms-id': 'id' } as const;

export interface PeoplePlan {
  rekeyPeople: RekeyUserOp[];
  /** Old SMS key → new SMS key of each re-keyed person (their applied records move with them). */
  rekeyed: Map<string, string>;
  createUsers: CreateUserOp[];
  updateUsers: UpdateUserOp[];
  reactivateUsers: ReactivateUserOp[];
  suspendUsers: SuspendUserOp[];
  /** Unchanged people whose applied entry gains the SMS identifiers (no LMS write). */
  identities: RecordedIdentity[];
  errors: PlanningError[];
  /** The LMS user of each person enrolments may be planned for (known id or placeholder). */
  userRefs: Map<string, UserIdRef>;
  /** People applied before who are gone from the SMS or inactive (not those held back by an error). */
  removed: Set<string>;
}

type Desired = Omit<AppliedPerson, 'suspended'>;

const describe = (p: Person): string => describePerson(p);

/**
 * The mapped profile fields (LMS field → SMS `extra` field) whose SMS field no person in the snapshot has:
 * a typo or a field this SMS does not export. One error each, naming the fields the snapshot does have;
 * those LMS fields are then not sent at all (rather than blanked).
 */
export function unknownProfileSources(
  people: readonly Person[],
  mapping: Pick<Mapping, 'profileFields'>,
): { lmsField: string; error: PlanningError }[] {
  const wanted = Object.entries(mapping.profileFields ?? {});
  if (wanted.length === 0 || people.length === 0) return [];
  const present = new Set<string>();
  for (const p of people) for (const k in p.extra ?? {}) present.add(k);
  const list = [...present].sort().join(', ') || 'none (this SMS gives no extra fields)';
  return wanted
    .filter(([, sms]) => !present.has(sms))
    .map(([lmsField, sms]) => ({
      lmsField,
      error: {
        recordKind: 'person' as const,
        recordKey: `mapping.profileFields.${lmsField}`,
        field: `profileFields.${lmsField}`,
        message: `The SMS field "${sms}" mapped to the LMS field ${lmsField} is in no person's SMS record. The SMS gives: ${list}.`,
        fix: `Choose one of those fields for ${lmsField} in the connection's mapping (profile fields), or remove it.`,
      },
    }));
}

/** LMS field → SMS value for one person; people without a value for a field are left as they are. */
function profileOf(p: Person, fields: ReadonlyMap<string, string>): Record<string, string> | undefined {
  if (fields.size === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [lmsField, sms] of fields) {
    const v = p.extra?.[sms]?.trim();
    if (v) out[lmsField] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The profile fields whose value differs from what was last sent (all of them for a state from before). */
function profileChanges(before: AppliedPerson, after: Desired): Record<string, string> | undefined {
  if (!after.profile) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(after.profile)) if (before.profile?.[k] !== v) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What the mapping makes of one person, or why it cannot. */
function desiredUser(
  p: Person,
  mapping: Mapping,
  profileFields: ReadonlyMap<string, string> = new Map(),
  /** What the mapping's username/email templates give this person (sync/plan/templates.ts), when it has them. */
  templated: Partial<Record<'username' | 'email', string>> = {},
): { desired: Desired } | { error: PlanningError } {
  const err = (field: string, message: string, fix: string) => ({
    error: { recordKind: 'person' as const, recordKey: p.smsId, field, message, fix },
  });
  const source =
    templated.username ??
    (mapping.usernameFrom === 'sms-username' ? p.username : mapping.usernameFrom === 'email' ? p.email : p.smsId);
  const sourceName = templated.username !== undefined ? 'username template' : SOURCE_NAMES[mapping.usernameFrom];
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
      (templated.username !== undefined
        ? `Change the username template (the alnum modifier drops other characters, max:N shortens a field) or the person's fields in the SMS, so it uses only lower-case letters, digits and _ - @ .`
        : `Change the ${sourceName} in the SMS to use only lower-case letters, digits and _ - @ .`) +
        (check.suggestion ? ` (for example "${check.suggestion}").` : '.'),
    );
  }
  const email = templated.email ?? (mapping.emailFrom === 'sms-email' ? (p.email ?? '').trim() : '');
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
  const identity = identityOf(p);
  const profile = profileOf(p, profileFields);
  return {
    desired: {
      role: p.role,
      username: check.username,
      firstname,
      lastname,
      email,
      idnumber: p.smsId,
      ...(identity ? { identity } : {}),
      ...(profile ? { profile } : {}),
    },
  };
}

/** The identifiers the SMS adapters give (adapters/sms: extra.usi, extra.nsn; a date of birth under either name). */
function identityOf(p: Person): AppliedIdentity | undefined {
  const x = p.extra ?? {};
  const clean = (v: string | undefined) => v?.trim() || undefined;
  const usi = clean(x.usi);
  const nsn = clean(x.nsn);
  const dob = clean(x.dateOfBirth ?? x.birthDate);
  // The SMS email, not the LMS one (which the mapping may leave empty); only useful with a date of birth.
  const email = dob ? clean(p.email)?.toLowerCase() : undefined;
  const identity: AppliedIdentity = {
    ...(usi ? { usi } : {}),
    ...(nsn ? { nsn } : {}),
    ...(dob ? { dob } : {}),
    ...(email ? { email } : {}),
  };
  return Object.keys(identity).length > 0 ? identity : undefined;
}

const EVIDENCE: readonly { evidence: RekeyEvidence; value: (i: AppliedIdentity) => string | undefined }[] = [
  { evidence: 'usi', value: (i) => i.usi },
  { evidence: 'nsn', value: (i) => i.nsn },
  { evidence: 'email+dob', value: (i) => (i.email && i.dob ? JSON.stringify([i.email, i.dob]) : undefined) },
];

function sameIdentity(a: AppliedIdentity | undefined, b: AppliedIdentity | undefined): boolean {
  return (['usi', 'nsn', 'dob', 'email'] as const).every((k) => a?.[k] === b?.[k]);
}

/** Both sides have a key and it differs: not the same person, whatever else matches. */
function contradicts(a: AppliedIdentity, b: AppliedIdentity): boolean {
  return (['usi', 'nsn', 'dob'] as const).some((k) => a[k] !== undefined && b[k] !== undefined && a[k] !== b[k]);
}

/**
 * Pairs people applied before who are gone from the SMS (`gone`, each with an LMS user) with newcomers
 * (`fresh`, no applied entry) that carry the same USI, NSN or email + date of birth. Only keys both
 * sides have count; a pair whose other shared keys differ, whose roles differ, or where either side
 * would pair with more than one record, is no match — taking over the wrong account is worse than
 * suspend + create.
 */
function matchRekeys(
  gone: ReadonlyMap<string, AppliedPerson & { identity: AppliedIdentity }>,
  fresh: ReadonlyMap<string, Desired & { identity: AppliedIdentity }>,
): { from: string; to: string; evidence: RekeyEvidence }[] {
  if (gone.size === 0 || fresh.size === 0) return [];
  const partners = new Map<string, Set<string>>(); // both directions: "o:" + old, "n:" + new
  const evidenceOf = new Map<string, RekeyEvidence>();
  const pair = (from: string, to: string) => {
    for (const [a, b] of [
      [`o:${from}`, to],
      [`n:${to}`, from],
    ] as const) {
      let set = partners.get(a);
      if (!set) partners.set(a, (set = new Set()));
      set.add(b);
    }
  };
  for (const { evidence, value } of EVIDENCE) {
    const olds = new Map<string, string[]>();
    for (const [key, p] of gone) {
      const v = value(p.identity);
      if (v !== undefined) olds.set(v, [...(olds.get(v) ?? []), key]);
    }
    if (olds.size === 0) continue;
    const news = new Map<string, string[]>();
    for (const [key, d] of fresh) {
      const v = value(d.identity);
      if (v !== undefined && olds.has(v)) news.set(v, [...(news.get(v) ?? []), key]);
    }
    for (const [v, toKeys] of news) {
      for (const from of olds.get(v)!) {
        for (const to of toKeys) {
          pair(from, to);
          const id = `${from}\u0000${to}`;
          if (!evidenceOf.has(id)) evidenceOf.set(id, evidence);
        }
      }
    }
  }
  const out: { from: string; to: string; evidence: RekeyEvidence }[] = [];
  for (const [id, evidence] of evidenceOf) {
    const [from, to] = id.split('\u0000') as [string, string];
    if (partners.get(`o:${from}`)!.size !== 1 || partners.get(`n:${to}`)!.size !== 1) continue;
    const before = gone.get(from)!;
    const after = fresh.get(to)!;
    if (before.role !== after.role || contradicts(before.identity, after.identity)) continue;
    out.push({ from, to, evidence });
  }
  return out;
}

/**
 * Finds values two records would share in the LMS (usernames; emails, which Moodle also keeps unique
 * by default), including people applied before who are no longer in the SMS but still have an LMS user.
 */
function duplicateErrors(
  desired: Map<string, Desired>,
  people: Map<string, Person>,
  applied: AppliedState,
  /** Old keys of re-keyed people: their LMS user becomes the new record's, so it shares nothing. */
  moving: ReadonlySet<string> = new Set(),
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
    for (const key in applied.people) if (!desired.has(key) && !moving.has(key)) add(applied.people[key]![field], key);
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
    rekeyPeople: [],
    rekeyed: new Map(),
    createUsers: [],
    updateUsers: [],
    reactivateUsers: [],
    suspendUsers: [],
    identities: [],
    errors: [],
    userRefs: new Map(),
    removed: new Set(),
  };
  const active = new Map<string, Person>();
  for (const p of people) if (p.active) active.set(p.smsId, p);

  const unknownSources = unknownProfileSources([...active.values()], mapping);
  plan.errors.push(...unknownSources.map((u) => u.error));
  const unknownFields = new Set(unknownSources.map((u) => u.lmsField));
  const profileFields = new Map(Object.entries(mapping.profileFields ?? {}).filter(([f]) => !unknownFields.has(f)));
  const desired = new Map<string, Desired>();
  // Templated usernames/emails, suffixes decided over everyone at once (decided once, kept: templates.ts).
  const templated = templatedPeople(active, mapping, applied);
  plan.errors.push(...(templated?.errors ?? []));
  const untemplated = new Set(templated?.errors.map((e) => e.recordKey));
  for (const p of active.values()) {
    if (untemplated.has(p.smsId)) continue;
    const result = desiredUser(p, mapping, profileFields, templated?.names.get(p.smsId));
    if ('error' in result) plan.errors.push(result.error);
    else desired.set(p.smsId, result.desired);
  }
  // Re-keys are found before the duplicate check: the returning person shares the old one's username
  // and email, which is the point, not a clash.
  const gone = new Map<string, AppliedPerson & { identity: AppliedIdentity }>();
  for (const key in applied.people) {
    const before = applied.people[key]!;
    if (!active.has(key) && before.identity && applied.links.people[key] !== undefined)
      gone.set(key, { ...before, identity: before.identity });
  }
  const fresh = new Map<string, Desired & { identity: AppliedIdentity }>();
  if (gone.size > 0) {
    for (const [key, d] of desired)
      if (!applied.people[key] && d.identity) fresh.set(key, { ...d, identity: d.identity });
  }
  let rekeys = matchRekeys(gone, fresh);
  // A re-keyed person keeps the old key's templated username/email when the template still gives it them
  // (the suffix decided once stays theirs; a new one was only chosen because the old key held it).
  if (templated) {
    for (const r of rekeys) {
      const d = desired.get(r.to);
      const kept = d ? templated.reclaim(r.to, applied.people[r.from]!) : undefined;
      if (d && kept) Object.assign(d, kept);
    }
  }
  const duplicates = duplicateErrors(desired, active, applied, new Set(rekeys.map((r) => r.from)));
  for (const e of duplicates) desired.delete(e.recordKey);
  plan.errors.push(...duplicates);
  // A newcomer held back by an error is not re-keyed: the old person is then removed as before.
  rekeys = rekeys.filter((r) => desired.has(r.to));
  const rekeyTo = new Map(rekeys.map((r) => [r.to, r]));

  const refOf = (key: string): UserIdRef => applied.links.people[key] ?? { smsPersonId: key };
  // mapping.signIn (the connection's choice) unless a caller overrides it; only for accounts ClassBridge creates.
  const auth = options.newUsers?.auth ?? mapping.signIn?.auth ?? 'manual';
  const createPassword =
    options.newUsers?.createPassword ?? (auth === 'manual' && (mapping.signIn?.emailPassword ?? true));
  for (const [key, d] of desired) {
    plan.userRefs.set(key, refOf(key));
    const rekey = rekeyTo.get(key);
    const after: AppliedPerson = { ...d, suspended: false };
    if (rekey) {
      const before = applied.people[rekey.from]!;
      const lmsId = applied.links.people[rekey.from]!;
      const profile = profileChanges(before, d);
      const changed = [...changedFields(before, d), ...Object.keys(profile ?? {})];
      const fields = {
        ...Object.fromEntries(changedFields(before, d).map((f) => [f, d[f]])),
        ...(profile ? { profileFields: profile } : {}),
      };
      // A placeholder, not the id: the person's enrolments are sent only once the re-key succeeded.
      plan.userRefs.set(key, { smsPersonId: key });
      plan.rekeyed.set(rekey.from, key);
      plan.rekeyPeople.push({
        key,
        from: rekey.from,
        lmsId,
        evidence: rekey.evidence,
        changed,
        record: { id: lmsId, ...fields, ...(before.suspended ? { suspended: false } : {}) },
        applied: after,
      });
      continue;
    }
    const before = applied.people[key];
    if (!before) {
      const { role: _role, identity: _identity, profile, ...user } = d;
      plan.createUsers.push({
        key,
        record: {
          ...user,
          auth,
          ...(createPassword ? { createPassword } : {}),
          ...(profile ? { profileFields: profile } : {}),
        },
        applied: after,
      });
      continue;
    }
    const profile = profileChanges(before, d);
    const changed: string[] = [...changedFields(before, d), ...Object.keys(profile ?? {})];
    const fields = {
      ...Object.fromEntries(changedFields(before, d).map((f) => [f, d[f]])),
      ...(profile ? { profileFields: profile } : {}),
    };
    // The identity rides along with an LMS write; alone it is recorded without one (plan.identities).
    // A reactivation carries the changed fields too: one request, and one op per person.
    if (before.suspended) {
      plan.reactivateUsers.push({ key, record: { id: refOf(key), ...fields, suspended: false }, applied: after });
    } else if (changed.length > 0) {
      plan.updateUsers.push({ key, record: { id: refOf(key), ...fields }, changed, applied: after });
    } else if (!sameIdentity(before.identity, d.identity)) {
      plan.identities.push({ key, applied: after });
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
    if (desired.has(key) || heldBack.has(key) || plan.rekeyed.has(key)) continue;
    plan.removed.add(key);
    if (mapping.removalPolicy === 'suspend' && !before.suspended) {
      plan.suspendUsers.push({ key, record: { userId: refOf(key) }, applied: { ...before, suspended: true } });
    }
  }
  return plan;
}
