import { z } from 'zod';

/**
 * What ClassBridge last applied to one LMS connection, per SMS key, plus the LMS ids it has learnt.
 * The planner diffs the snapshot against this instead of asking the LMS, so an unchanged SMS costs
 * no LMS request. It holds the applied *field values* (not hashes) so that one changed field plans
 * one update carrying just that field.
 *
 * Plain JSON (records, no Maps), validated by `AppliedStateSchema` when read back from storage.
 */

/**
 * What the SMS said identifies a person beyond their SMS id (USI, NSN, date of birth with email,
 * lower-cased), kept so a person who vanishes and comes back under a new SMS id in the same import can
 * be recognised (a re-key) although the snapshot no longer has their old record. Only keys the SMS gave.
 */
export const AppliedIdentitySchema = z.object({
  usi: z.string().optional(),
  nsn: z.string().optional(),
  dob: z.string().optional(),
  email: z.string().optional(),
});
export type AppliedIdentity = z.infer<typeof AppliedIdentitySchema>;

/** A person as ClassBridge last wrote them to the LMS user. `role` is kept for the safety rail's wording. */
export const AppliedPersonSchema = z.object({
  role: z.enum(['student', 'staff']),
  username: z.string(),
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  idnumber: z.string(),
  suspended: z.boolean(),
  /** Optional: states applied before identities were kept have none (those people cannot be re-keyed). */
  identity: AppliedIdentitySchema.optional(),
  /**
   * The mapped profile fields last sent (LMS field → value; mapping.profileFields), so a second run with
   * the same SMS values sends nothing. Absent on states applied before profile fields were mapped.
   */
  profile: z.record(z.string(), z.string()).optional(),
});
export type AppliedPerson = z.infer<typeof AppliedPersonSchema>;

/** Course fields ClassBridge manages; dates in unix seconds, 0 = none. */
export const AppliedCourseSchema = z.object({
  /** created: ClassBridge made it (so it is synced even before course tracking lists it); matched: adopted. */
  origin: z.enum(['created', 'matched']),
  fullname: z.string(),
  shortname: z.string(),
  idnumber: z.string(),
  startDate: z.number().int(),
  endDate: z.number().int(),
});
export type AppliedCourse = z.infer<typeof AppliedCourseSchema>;

export const AppliedGroupSchema = z.object({ course: z.string(), name: z.string(), idnumber: z.string() });
export type AppliedGroup = z.infer<typeof AppliedGroupSchema>;

/** The full enrolment state last sent (Moodle resets what is left out, so it is always sent whole). */
export const AppliedEnrolmentSchema = z.object({
  person: z.string(),
  course: z.string(),
  role: z.string(),
  timeStart: z.number().int(),
  timeEnd: z.number().int(),
  suspended: z.boolean(),
});
export type AppliedEnrolment = z.infer<typeof AppliedEnrolmentSchema>;

export const AppliedMembershipSchema = z.object({ group: z.string(), person: z.string(), course: z.string() });
export type AppliedMembership = z.infer<typeof AppliedMembershipSchema>;

const lmsIds = z.record(z.string(), z.number().int().positive());

/** SMS id → LMS id for the entities that have one. Enrolments and memberships are addressed by user + course/group. */
export const AppliedLinksSchema = z.object({ people: lmsIds, courses: lmsIds, groups: lmsIds });
export type AppliedLinks = z.infer<typeof AppliedLinksSchema>;

export const APPLIED_STATE_VERSION = 1;

export const AppliedStateSchema = z.object({
  version: z.literal(APPLIED_STATE_VERSION),
  people: z.record(z.string(), AppliedPersonSchema),
  courses: z.record(z.string(), AppliedCourseSchema),
  groups: z.record(z.string(), AppliedGroupSchema),
  /** Keyed by `enrolmentKey(person, course)`. */
  enrolments: z.record(z.string(), AppliedEnrolmentSchema),
  /** Keyed by `membershipKey(group, person)`. */
  memberships: z.record(z.string(), AppliedMembershipSchema),
  links: AppliedLinksSchema,
});
export type AppliedState = z.infer<typeof AppliedStateSchema>;

/** The state of a connection nothing has been applied to yet. */
export function emptyAppliedState(): AppliedState {
  return {
    version: APPLIED_STATE_VERSION,
    people: {},
    courses: {},
    groups: {},
    enrolments: {},
    memberships: {},
    links: { people: {}, courses: {}, groups: {} },
  };
}

// SMS ids may contain any character, so composite keys are JSON arrays: unambiguous and readable in the database.

/** The key of one enrolment: one LMS enrolment per person and course. */
export function enrolmentKey(personSmsId: string, courseSmsId: string): string {
  return JSON.stringify([personSmsId, courseSmsId]);
}

/** The key of one group membership. */
export function membershipKey(groupSmsId: string, personSmsId: string): string {
  return JSON.stringify([groupSmsId, personSmsId]);
}

/** Active (not suspended) records per population, the safety rail's denominators. */
export interface ActiveCounts {
  students: number;
  staff: number;
  enrolments: number;
}

/** Counts the active records in an applied state (what a removal would take away from). */
export function countActive(state: AppliedState): ActiveCounts {
  const counts: ActiveCounts = { students: 0, staff: 0, enrolments: 0 };
  for (const key in state.people) {
    const p = state.people[key]!;
    if (p.suspended) continue;
    if (p.role === 'student') counts.students += 1;
    else counts.staff += 1;
  }
  for (const key in state.enrolments) if (!state.enrolments[key]!.suspended) counts.enrolments += 1;
  return counts;
}

/**
 * The applied state as it is once re-keys (old SMS key → new) are applied: each re-keyed person's
 * entry, enrolments and group memberships under the new key (the old key's link dropped). Enrolments and classes are planned
 * against this, so a re-keyed person's courses plan as unchanged rather than as unenrol + enrol. Returns
 * `state` itself when there is nothing to move; otherwise a copy (the input is not changed).
 */
export function rekeyedState(
  state: AppliedState,
  rekeyed: ReadonlyMap<string, string>,
  courses: ReadonlyMap<string, string> = new Map(),
): AppliedState {
  if (rekeyed.size === 0 && courses.size === 0) return state;
  const next: AppliedState = {
    ...state,
    people: { ...state.people },
    courses: { ...state.courses },
    groups: { ...state.groups },
    enrolments: {},
    memberships: {},
    links: { ...state.links, people: { ...state.links.people }, courses: { ...state.links.courses } },
  };
  for (const [from, to] of rekeyed) {
    const person = next.people[from];
    const link = next.links.people[from];
    delete next.people[from];
    delete next.links.people[from];
    // The new key gets no link here: what the plan sends for it waits for the re-key itself (a
    // placeholder the apply resolves once the re-key succeeded), so a failed re-key sends nothing more.
    if (person && link !== undefined) next.people[to] = person;
  }
  for (const [from, to] of courses) {
    const course = next.courses[from];
    delete next.courses[from];
    delete next.links.courses[from];
    if (course) next.courses[to] = course;
  }
  if (courses.size > 0) {
    for (const key in next.groups) {
      const g = next.groups[key]!;
      const to = courses.get(g.course);
      if (to !== undefined) next.groups[key] = { ...g, course: to };
    }
  }
  for (const [key, e] of rekeyedEnrolments(state, rekeyed, courses)) next.enrolments[key] = e;
  for (const [key, m] of rekeyedMemberships(state, rekeyed, courses)) next.memberships[key] = m;
  return next;
}

/** Every enrolment of `state`, those of re-keyed people and courses (old key → new) under their new keys. */
export function* rekeyedEnrolments(
  state: AppliedState,
  rekeyed: ReadonlyMap<string, string>,
  courses: ReadonlyMap<string, string> = new Map(),
): Generator<[key: string, value: AppliedEnrolment, before: string]> {
  for (const key in state.enrolments) {
    const e = state.enrolments[key]!;
    const person = rekeyed.get(e.person);
    const course = courses.get(e.course);
    if (person === undefined && course === undefined) yield [key, e, key];
    else {
      const moved = { ...e, person: person ?? e.person, course: course ?? e.course };
      yield [enrolmentKey(moved.person, moved.course), moved, key];
    }
  }
}

/** Every group membership of `state`, those of re-keyed people and courses under their new keys. */
export function* rekeyedMemberships(
  state: AppliedState,
  rekeyed: ReadonlyMap<string, string>,
  courses: ReadonlyMap<string, string> = new Map(),
): Generator<[key: string, value: AppliedMembership, before: string]> {
  for (const key in state.memberships) {
    const m = state.memberships[key]!;
    const person = rekeyed.get(m.person);
    const course = courses.get(m.course);
    if (person === undefined && course === undefined) yield [key, m, key];
    else {
      const moved = { ...m, person: person ?? m.person, course: course ?? m.course };
      yield [membershipKey(moved.group, moved.person), moved, key];
    }
  }
}

/**
 * The rows an applied state is stored as (`store.appliedState`, written by the apply's journal and the
 * reconcile): a header (`{ version }`) and one `[section, key, JSON]` row per entry. Structural, so the
 * planner reads storage without depending on the store.
 */
export interface AppliedStateRows {
  header(connectionId: string): { header: unknown } | undefined;
  entries(connectionId: string): Iterable<readonly [section: string, key: string, value: string]>;
}

/** Each stored section and the schema of one of its entries, taken from AppliedStateSchema itself. */
const ENTRY_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ...Object.entries(AppliedStateSchema.shape)
    .filter(([section]) => section !== 'version' && section !== 'links')
    .map(([section, schema]) => [section, (schema as z.ZodRecord).valueType] as [string, z.ZodType]),
  ...Object.entries(AppliedLinksSchema.shape).map(
    ([section, schema]) => [`links.${section}`, schema.valueType] as [string, z.ZodType],
  ),
]);

function unreadable(connectionId: string, reason: string): Error {
  // Written only by ClassBridge; unreadable means a newer version or a damaged row. Refuse rather
  // than diff against nothing (which would plan to create everything again).
  return new Error(`The record of what was uploaded to "${connectionId}" cannot be read (${reason}).`);
}

/**
 * The baseline last applied to a connection; empty when nothing was applied yet. Every stored entry
 * is parsed with its section's schema from AppliedStateSchema (a damaged one refuses the whole state;
 * fields the schema does not know are dropped, as the schema does). One entry at a time, so a large
 * state is never held twice.
 */
export function readAppliedState(store: { appliedState: AppliedStateRows }, connectionId: string): AppliedState {
  const head = store.appliedState.header(connectionId);
  if (head === undefined) return emptyAppliedState();
  const header = head.header as { version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.version !== APPLIED_STATE_VERSION)
    throw unreadable(connectionId, `version ${String(header?.version)} is not ${APPLIED_STATE_VERSION}`);
  const state = emptyAppliedState();
  for (const [section, key, json] of store.appliedState.entries(connectionId)) {
    const schema = ENTRY_SCHEMAS.get(section);
    if (!schema) throw unreadable(connectionId, `unknown section ${section}`);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw unreadable(connectionId, `${section} ${key} is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const problem = issue && issue.path.length > 0 ? `invalid ${issue.path.join('.')}` : issue?.message;
      throw unreadable(connectionId, `${section} ${key}: ${problem ?? 'invalid'}`);
    }
    const dot = section.indexOf('.');
    const target =
      dot < 0
        ? state[section as keyof Omit<AppliedState, 'version' | 'links'>]
        : state.links[section.slice(dot + 1) as keyof AppliedLinks];
    (target as Record<string, unknown>)[key] = parsed.data;
  }
  return state;
}
