import {
  membershipKey,
  rekeyedEnrolments,
  rekeyedMemberships,
  rekeyedState,
  type AppliedMembership,
  type AppliedState,
} from './applied-state';
import type { CourseIdRef, GroupIdRef, OpKind, UploadPlan, UserIdRef } from './operations';

type IdMap = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/** LMS ids the apply step learnt (created, or found by looking up before creating), by SMS id. */
export interface LearntIds {
  people?: IdMap;
  courses?: IdMap;
  groups?: IdMap;
}

export interface ApplyToStateOptions {
  /** Operations that did not succeed: the state keeps what it had for them, so the next plan retries them. */
  failed?: Iterable<{ kind: OpKind; key: string }>;
}

function entriesOf(ids: IdMap | undefined): Iterable<[string, number]> {
  if (!ids) return [];
  return ids instanceof Map ? ids.entries() : Object.entries(ids);
}

/** Where the effects of an applied plan go: a copy of the state, or a list of changes to persist. */
export interface StateSink {
  link(entity: keyof AppliedState['links'], key: string, id: number): void;
  /** A link that no longer holds (a re-keyed person's old SMS key). */
  unlink(entity: keyof AppliedState['links'], key: string): void;
  set<S extends StateSection>(section: S, key: string, value: AppliedState[S][string]): void;
  remove(section: 'people' | 'courses' | 'enrolments' | 'memberships', key: string): void;
}
export type StateSection = 'people' | 'courses' | 'groups' | 'enrolments' | 'memberships';

export interface StateEffectsOptions {
  /** Whether an operation succeeded (the state keeps what it had for the others). */
  done: (kind: OpKind, key: string) => boolean;
  /** Only these kinds' operations (default: all). Links and adopted courses are always included. */
  kinds?: ReadonlySet<OpKind>;
  /**
   * Memberships that may exist when an unenrolment drops them (default: `state.memberships`); an
   * incremental caller passes the state's plus those this plan added.
   */
  memberships?: () => Iterable<[string, AppliedMembership]>;
}

/**
 * Feeds `sink` every change `plan` made to `state`: each successful operation records what it wrote,
 * and every learnt id becomes a link. An operation whose user, course or group id is still unknown
 * afterwards cannot have happened, so it is treated as failed. Reads `state`, never changes it.
 */
export function stateEffects(
  state: AppliedState,
  plan: UploadPlan,
  ids: LearntIds,
  options: StateEffectsOptions,
  sink: StateSink,
): void {
  const learnt = {
    people: toLookup(ids.people),
    courses: toLookup(ids.courses),
    groups: toLookup(ids.groups),
  };
  for (const [k, id] of entriesOf(ids.people)) sink.link('people', k, id);
  for (const [k, id] of entriesOf(ids.courses)) sink.link('courses', k, id);
  const adopted = new Set<string>();
  for (const a of plan.adoptedCourses) {
    sink.link('courses', a.key, a.lmsId);
    adopted.add(a.key);
  }
  for (const [k, id] of entriesOf(ids.groups)) sink.link('groups', k, id);

  const { done, kinds } = options;
  const ok = (kind: OpKind, key: string) => (kinds === undefined || kinds.has(kind)) && done(kind, key);
  const wanted = (kind: OpKind) => kinds === undefined || kinds.has(kind);
  // Re-keys first: the old key's entry, link, enrolments and classes become the new key's (the same LMS
  // user), so the later kinds' records for the new key land on them.
  const rekeyed = new Map<string, string>();
  for (const op of plan.rekeyPeople) if (done('rekeyPeople', op.key)) rekeyed.set(op.from, op.key);
  const rekeyedTo = new Set(rekeyed.values());
  const rekeyedCourses = new Map<string, string>();
  for (const op of plan.rekeyCourses) if (done('rekeyCourses', op.key)) rekeyedCourses.set(op.from, op.key);
  const rekeyedCourseTo = new Set(rekeyedCourses.values());
  const user = (r: UserIdRef) =>
    typeof r === 'number' ||
    state.links.people[r.smsPersonId] !== undefined ||
    learnt.people(r.smsPersonId) ||
    rekeyedTo.has(r.smsPersonId);
  const course = (r: CourseIdRef) =>
    typeof r === 'number' ||
    state.links.courses[r.smsCourseId] !== undefined ||
    learnt.courses(r.smsCourseId) ||
    adopted.has(r.smsCourseId) ||
    rekeyedCourseTo.has(r.smsCourseId);
  const group = (r: GroupIdRef) =>
    typeof r === 'number' || state.links.groups[r.smsGroupId] !== undefined || learnt.groups(r.smsGroupId);

  // Each kind moves what it re-keyed (when both run in one call, people first, then courses on top).
  const movePeople = wanted('rekeyPeople') && rekeyed.size > 0;
  const moveCourses = wanted('rekeyCourses') && rekeyedCourses.size > 0;
  if (movePeople) {
    for (const op of plan.rekeyPeople) {
      if (!rekeyed.has(op.from)) continue;
      sink.remove('people', op.from);
      sink.unlink('people', op.from);
      sink.link('people', op.key, op.lmsId);
      sink.set('people', op.key, op.applied);
    }
  }
  if (moveCourses) {
    for (const op of plan.rekeyCourses) {
      if (!rekeyedCourses.has(op.from)) continue;
      sink.remove('courses', op.from);
      sink.unlink('courses', op.from);
      sink.link('courses', op.key, op.lmsId);
      sink.set('courses', op.key, op.applied);
    }
    for (const key in state.groups) {
      const g = state.groups[key]!;
      const to = rekeyedCourses.get(g.course);
      if (to !== undefined) sink.set('groups', key, { ...g, course: to });
    }
  }
  if (movePeople || moveCourses) {
    // The persisted state already holds the people's moves when only courses move now (and vice versa).
    const people = movePeople ? rekeyed : new Map<string, string>();
    const courses = moveCourses ? rekeyedCourses : new Map<string, string>();
    const base = movePeople || kinds === undefined ? state : rekeyedState(state, rekeyed);
    for (const [key, e, before] of rekeyedEnrolments(base, people, courses)) {
      if (key === before) continue;
      sink.remove('enrolments', before);
      sink.set('enrolments', key, e);
    }
    for (const [key, m, before] of rekeyedMemberships(base, people, courses)) {
      if (key === before && base.memberships[key] === m) continue;
      if (key !== before) sink.remove('memberships', before);
      sink.set('memberships', key, m);
    }
  }

  // Like adopted courses: recorded whatever kinds are asked for (the journal writes them once).
  for (const r of plan.identities ?? []) sink.set('people', r.key, r.applied);
  for (const op of plan.createUsers)
    if (ok('createUsers', op.key) && user({ smsPersonId: op.key })) sink.set('people', op.key, op.applied);
  for (const kind of ['updateUsers', 'reactivateUsers'] as const) {
    for (const op of plan[kind]) if (ok(kind, op.key) && user(op.record.id)) sink.set('people', op.key, op.applied);
  }
  for (const op of plan.suspendUsers)
    if (ok('suspendUsers', op.key) && user(op.record.userId)) sink.set('people', op.key, op.applied);

  for (const a of plan.adoptedCourses) sink.set('courses', a.key, a.applied);
  for (const op of plan.createCourses) {
    if (ok('createCourses', op.key) && course({ smsCourseId: op.key })) sink.set('courses', op.key, op.applied);
  }
  for (const op of plan.updateCourses)
    if (ok('updateCourses', op.key) && course(op.record.id)) sink.set('courses', op.key, op.applied);
  for (const op of plan.createGroups) {
    if (ok('createGroups', op.key) && group({ smsGroupId: op.key })) sink.set('groups', op.key, op.applied);
  }

  for (const kind of ['enrol', 'suspendEnrolments'] as const) {
    for (const op of plan[kind]) {
      if (ok(kind, op.key) && user(op.record.userId) && course(op.record.courseId))
        sink.set('enrolments', op.key, op.applied);
    }
  }
  for (const op of plan.addGroupMembers) {
    if (ok('addGroupMembers', op.key) && user(op.record.userId) && group(op.record.groupId)) {
      sink.set('memberships', op.key, op.applied);
    }
  }
  for (const op of plan.removeGroupMembers) if (ok('removeGroupMembers', op.key)) sink.remove('memberships', op.key);

  if (!wanted('unenrol')) return;
  const unenrolled = new Set<string>();
  for (const op of plan.unenrol) {
    if (!ok('unenrol', op.key)) continue;
    sink.remove('enrolments', op.key);
    unenrolled.add(`${op.person}\u0000${op.course}`);
  }
  if (unenrolled.size > 0) {
    // The LMS drops group memberships with the enrolment.
    for (const [key, m] of options.memberships?.() ?? Object.entries(state.memberships)) {
      const to = rekeyed.get(m.person);
      if (to === undefined) {
        if (unenrolled.has(`${m.person}\u0000${m.course}`)) sink.remove('memberships', key);
      } else if (unenrolled.has(`${to}\u0000${m.course}`)) sink.remove('memberships', membershipKey(m.group, to));
    }
  }
}

function toLookup(ids: IdMap | undefined): (key: string) => boolean {
  if (!ids) return () => false;
  if (ids instanceof Map) return (key) => ids.has(key);
  return (key) => (ids as Readonly<Record<string, number>>)[key] !== undefined;
}

/**
 * The applied state after `plan` has been applied: each successful operation records what it wrote,
 * and every learnt id becomes a link. Pure; the input state is not changed. An operation whose user,
 * course or group id is still unknown afterwards cannot have happened, so it is treated as failed.
 */
export function applyPlanToState(
  state: AppliedState,
  plan: UploadPlan,
  ids: LearntIds = {},
  options: ApplyToStateOptions = {},
): AppliedState {
  const next: AppliedState = {
    version: state.version,
    people: { ...state.people },
    courses: { ...state.courses },
    groups: { ...state.groups },
    enrolments: { ...state.enrolments },
    memberships: { ...state.memberships },
    links: {
      people: { ...state.links.people },
      courses: { ...state.links.courses },
      groups: { ...state.links.groups },
    },
  };
  const failed = new Set<string>();
  for (const f of options.failed ?? []) failed.add(`${f.kind}\u0000${f.key}`);
  stateEffects(
    state,
    plan,
    ids,
    {
      done: (kind, key) => !failed.has(`${kind}\u0000${key}`),
      // After removals earlier in this function: the memberships the copy still holds.
      memberships: () => Object.entries(next.memberships),
    },
    {
      link: (entity, key, id) => (next.links[entity][key] = id),
      unlink: (entity, key) => delete next.links[entity][key],
      set: (section, key, value) => ((next[section] as Record<string, unknown>)[key] = value),
      remove: (section, key) => delete next[section][key],
    },
  );
  return next;
}
