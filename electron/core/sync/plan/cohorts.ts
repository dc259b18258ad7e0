import { createHash } from 'node:crypto';
import type { NewLmsCohort } from '../../../../adapters/contract';
import {
  COHORT_FROM_CLASS,
  COHORT_NAME_MAX,
  parseTemplate,
  personFieldsOf,
  personTemplateValues,
  renderTemplate,
  type CohortRule,
  type Mapping,
  type Snapshot,
  type Template,
} from '../../model';
import type { AppliedState } from './applied-state';
import type { PlanOp, PlanningError, UserIdRef } from './operations';
import { personName } from '../../model';

/**
 * Cohorts from the mapping's cohort rules (model/cohorts.ts): which cohorts the SMS asks for, who is in
 * each, and what to create, add and remove against what ClassBridge made and added before (its own table,
 * store/repositories/cohort-state-repository.ts, read into `AppliedCohorts`). Pure, like the rest of the
 * planner. Cost: one pass over people and enrolments per rule, then set look-ups (no person × cohort scan).
 *
 * - A cohort is keyed by its idnumber, `classbridge:<from>:<value>`: the same key on every connection and
 *   for any name template, so renaming the template never makes a second cohort (the name is set when the
 *   cohort is made; ClassBridge does not rename it).
 * - Only people the upload knows in the LMS (linked, or created / re-keyed by this plan) are added.
 * - Removal: a member ClassBridge added who no longer qualifies (left the SMS, changed house, …) is taken
 *   out, unless the removal policy is `keep`. Members added by hand are not in the table, so never removed.
 *   Cohorts of a rule no longer in the mapping are left as they are (no removals from them).
 * - Leave-alone marks are applied by plan/leave-alone.ts (each op's `applied.person`).
 */

/** What ClassBridge made and added before, for one LMS connection. */
export interface AppliedCohorts {
  /** Cohort key (its idnumber) → the LMS cohort and the name it was made with. */
  cohorts: ReadonlyMap<string, { lmsId: number; name: string }>;
  /** Cohort key → SMS person keys ClassBridge added (never members added by hand). */
  members: ReadonlyMap<string, ReadonlySet<string>>;
}

export function emptyAppliedCohorts(): AppliedCohorts {
  return { cohorts: new Map(), members: new Map() };
}

/** A cohort membership as planned: the cohort by key (its LMS id may be learnt in this apply), the user by ref. */
export interface PlannedCohortMember {
  cohort: string;
  userId: UserIdRef;
}
export interface AppliedCohortMember {
  cohort: string;
  person: string;
}

export type CreateCohortOp = PlanOp<NewLmsCohort, { name: string }>;
export type AddCohortMemberOp = PlanOp<PlannedCohortMember, AppliedCohortMember>;
export type RemoveCohortMemberOp = PlanOp<PlannedCohortMember, AppliedCohortMember>;

export interface CohortsPlan {
  createCohorts: CreateCohortOp[];
  addCohortMembers: AddCohortMemberOp[];
  removeCohortMembers: RemoveCohortMemberOp[];
  errors: PlanningError[];
  /** Memberships ClassBridge added before (the safety rail's base for cohort removals). */
  baseMembers: number;
}

export const COHORT_IDNUMBER_PREFIX = 'classbridge:';
/** Moodle's cohort.idnumber is varchar(100). */
const IDNUMBER_MAX = 100;

/** The cohort's idnumber: stable, ClassBridge's own, at most 100 characters (a long value is hashed). */
export function cohortKey(from: string, value: string): string {
  const key = `${COHORT_IDNUMBER_PREFIX}${from}:${value}`;
  if (key.length <= IDNUMBER_MAX) return key;
  return `${COHORT_IDNUMBER_PREFIX}${from}:#${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/** The rule field a key was made from (`classbridge:house:Kauri` → house). */
export function cohortKeyFrom(key: string): string | undefined {
  if (!key.startsWith(COHORT_IDNUMBER_PREFIX)) return undefined;
  const rest = key.slice(COHORT_IDNUMBER_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
}

/** One cohort op key per membership: cohort key and person key, which neither contains a NUL. */
export function cohortMemberKey(cohort: string, person: string): string {
  return `${cohort}\u0000${person}`;
}

interface Wanted {
  key: string;
  /** The value the cohort is for ({value} in the name template). */
  value: string;
  rule: CohortRule;
  template: Template;
  /** The first member, whose fields fill the name template. */
  first: Snapshot['people'][number];
}

/** For each rule, each person's (cohort key, value) pairs. */
function valuesOf(snapshot: Snapshot, rule: CohortRule): Map<string, { key: string; value: string }[]> {
  const out = new Map<string, { key: string; value: string }[]>();
  const add = (person: string, key: string, value: string) => {
    let list = out.get(person);
    if (!list) out.set(person, (list = []));
    if (!list.some((v) => v.key === key)) list.push({ key, value });
  };
  const roles = new Set<string>(rule.roles);
  const people = new Map(snapshot.people.filter((p) => p.active && roles.has(p.role)).map((p) => [p.smsId, p]));
  if (rule.from === COHORT_FROM_CLASS) {
    const groups = new Map(snapshot.groups.map((g) => [g.smsId, g]));
    const courses = new Map(snapshot.courses.map((c) => [c.smsId, c]));
    for (const e of snapshot.enrolments) {
      const p = people.get(e.personSmsId);
      if (!p || !e.active) continue;
      // Students by the classes they are in as students; staff by the classes they teach.
      if (p.role === 'student' && e.role !== 'student') continue;
      const inGroups = (e.groupSmsIds ?? []).filter((g) => groups.has(g));
      if (inGroups.length > 0) {
        for (const g of inGroups) add(p.smsId, cohortKey('class', g), groups.get(g)!.name || g);
      } else {
        const c = courses.get(e.courseSmsId);
        if (c) add(p.smsId, cohortKey('class', `course:${c.smsId}`), c.code);
      }
    }
    return out;
  }
  for (const p of people.values()) {
    // The template's field vocabulary: an SMS `extra` key, or a built-in one such as role.
    const value = personTemplateValues(p)(rule.from)?.trim();
    if (value) add(p.smsId, cohortKey(rule.from, value), value);
  }
  return out;
}

/**
 * The cohorts the rules ask for and who is in each (people not known in the LMS included; the planner
 * drops them). Also the dry run's per-person view.
 */
export function desiredCohorts(
  snapshot: Snapshot,
  rules: readonly CohortRule[],
): { cohorts: Map<string, Wanted>; members: Map<string, Set<string>>; byPerson: Map<string, string[]> } {
  const cohorts = new Map<string, Wanted>();
  const members = new Map<string, Set<string>>();
  const byPerson = new Map<string, string[]>();
  const people = new Map(snapshot.people.map((p) => [p.smsId, p]));
  for (const rule of rules) {
    const parsed = parseTemplate(rule.name, 'person');
    if (!parsed.ok) continue; // refused when the mapping was parsed
    for (const [person, values] of valuesOf(snapshot, rule)) {
      for (const { key, value } of values) {
        if (!cohorts.has(key))
          cohorts.set(key, { key, value, rule, template: parsed.template, first: people.get(person)! });
        let set = members.get(key);
        if (!set) members.set(key, (set = new Set()));
        set.add(person);
        let list = byPerson.get(person);
        if (!list) byPerson.set(person, (list = []));
        list.push(key);
      }
    }
  }
  return { cohorts, members, byPerson };
}

/** The cohort's name from its rule's template, or why it cannot be made. */
export function cohortName(w: Wanted): { ok: true; name: string } | { ok: false; missing: string } {
  const values = personTemplateValues(w.first);
  const rendered = renderTemplate(w.template, (field) => (field === 'value' ? w.value : values(field)));
  if (!rendered.ok) return rendered;
  return { ok: true, name: [...(rendered.before + rendered.after).trim()].slice(0, COHORT_NAME_MAX).join('') };
}

/**
 * Fields the rules name that the snapshot has no person with (for the dry run, like templates' fields):
 * one message per unknown field, with the fields there are.
 */
export function unknownCohortFields(
  snapshot: Pick<Snapshot, 'people'>,
  rules: readonly CohortRule[],
): { from: string; message: string }[] {
  const available = personFieldsOf(snapshot.people);
  const out: { from: string; message: string }[] = [];
  for (const r of rules) {
    if (r.from !== COHORT_FROM_CLASS && !available.includes(r.from))
      out.push({
        from: r.from,
        message: `The cohort rule "${r.from}" names a field the SMS does not give. The fields are: ${available.join(', ')}, or "class".`,
      });
    const parsed = parseTemplate(r.name, 'person');
    if (!parsed.ok) continue;
    const missing = parsed.template.fields.filter((f) => f !== 'value' && !available.includes(f));
    if (missing.length > 0)
      out.push({
        from: r.from,
        message: `The cohort name "${r.name}" names ${missing.map((f) => `{${f}}`).join(', ')}, which the SMS does not give. The fields are: value, ${available.join(', ')}.`,
      });
  }
  return out;
}

export interface CohortsPlanInput {
  snapshot: Snapshot;
  mapping: Pick<Mapping, 'cohorts' | 'removalPolicy'>;
  cohorts: AppliedCohorts;
  applied: Pick<AppliedState, 'links'>;
  /** People the plan creates or re-keys this run (their LMS id is learnt during the apply). */
  planned: ReadonlySet<string>;
  /** Old SMS key → new, for people re-keyed by this plan: their memberships are the new key's. */
  rekeyed: ReadonlyMap<string, string>;
  /**
   * Left-alone people: out of the safety rail's base, as withoutLeftAlone does for the applied state, so
   * marking many people does not loosen the limit (their ops are dropped later, by plan/leave-alone.ts).
   */
  leftAlone?: ReadonlySet<string>;
}

export function planCohorts(input: CohortsPlanInput): CohortsPlan {
  const { snapshot, mapping, applied } = input;
  const plan: CohortsPlan = {
    createCohorts: [],
    addCohortMembers: [],
    removeCohortMembers: [],
    errors: [],
    baseMembers: 0,
  };
  const rules = mapping.cohorts?.rules ?? [];
  if (rules.length === 0) return plan;
  const categoryId = mapping.cohorts?.categoryId;
  // A field no person has (a typo, or another SMS's name for it): said once per rule, like templates' fields.
  for (const u of unknownCohortFields(snapshot, rules))
    plan.errors.push({
      recordKind: 'cohort',
      recordKey: `rule:${u.from}`,
      field: u.from,
      message: u.message,
      fix: "Name a field the SMS gives in the connection's cohort rules (Settings → Provisioning rules), or import an export that has it.",
    });
  const want = desiredCohorts(snapshot, rules);
  const userRef = (person: string): UserIdRef | undefined => {
    const id = applied.links.people[person];
    if (id !== undefined) return id;
    return input.planned.has(person) ? { smsPersonId: person } : undefined;
  };
  // The memberships made before, under the people's current keys.
  const before = new Map<string, Set<string>>();
  for (const [cohort, people] of input.cohorts.members) {
    const set = new Set<string>();
    for (const p of people) set.add(input.rekeyed.get(p) ?? p);
    before.set(cohort, set);
    for (const p of set) if (!input.leftAlone?.has(p)) plan.baseMembers += 1;
  }

  for (const [key, w] of want.cohorts) {
    const members = [...(want.members.get(key) ?? [])].filter((p) => userRef(p) !== undefined);
    if (members.length === 0) continue; // nobody to put in it yet: not made
    if (!input.cohorts.cohorts.has(key)) {
      const name = cohortName(w);
      if (!name.ok) {
        plan.errors.push({
          recordKind: 'cohort',
          recordKey: key,
          field: name.missing,
          message: `The cohort for ${w.rule.from} "${w.value}" has no name: the template "${w.rule.name}" needs {${name.missing}}, which its first member (${w.first.smsId}) has no value for.`,
          fix: `Use a field every member has in the cohort name (for example "${w.rule.name.includes('{value}') ? '{value}' : `${w.rule.name} {value}`}"), or fill in the field in the SMS.`,
        });
        continue;
      }
      plan.createCohorts.push({
        key,
        record: {
          idnumber: key,
          name: name.name,
          ...(categoryId !== undefined ? { categoryId } : {}),
          description: `Kept in step by ClassBridge from the SMS (${w.rule.from}). Members added by hand stay.`,
        },
        applied: { name: name.name },
      });
    }
    const had = before.get(key);
    for (const person of members) {
      if (had?.has(person)) continue;
      plan.addCohortMembers.push({
        key: cohortMemberKey(key, person),
        record: { cohort: key, userId: userRef(person)! },
        applied: { cohort: key, person },
      });
    }
  }

  if (mapping.removalPolicy === 'keep') return plan;
  const ruled = new Set(rules.map((r) => r.from));
  for (const [cohort, people] of before) {
    const from = cohortKeyFrom(cohort);
    if (from === undefined || !ruled.has(from) || !input.cohorts.cohorts.has(cohort)) continue;
    const still = want.members.get(cohort);
    for (const person of people) {
      if (still?.has(person)) continue;
      const id = applied.links.people[person];
      if (id === undefined) continue; // never linked: nothing in the LMS to take out
      plan.removeCohortMembers.push({
        key: cohortMemberKey(cohort, person),
        record: { cohort, userId: id },
        applied: { cohort, person },
      });
    }
  }
  return plan;
}

/** The dry run's view: the first people with the names of the cohorts they will be in. */
export function cohortExamples(
  input: { snapshot: Snapshot; mapping: Pick<Mapping, 'cohorts'>; cohorts: AppliedCohorts },
  samples: number,
): { key: string; name: string; cohorts: string[] }[] | undefined {
  const rules = input.mapping.cohorts?.rules ?? [];
  if (rules.length === 0) return undefined;
  const want = desiredCohorts(input.snapshot, rules);
  const out: { key: string; name: string; cohorts: string[] }[] = [];
  for (const p of input.snapshot.people) {
    if (out.length >= samples) break;
    const keys = want.byPerson.get(p.smsId);
    if (!keys) continue;
    const names = keys.map((k) => {
      const w = want.cohorts.get(k)!;
      const made = input.cohorts.cohorts.get(k);
      if (made) return made.name;
      const n = cohortName(w);
      return n.ok ? n.name : `(no name: {${n.missing}} is empty)`;
    });
    out.push({ key: p.smsId, name: personName(p), cohorts: names });
  }
  return out;
}
