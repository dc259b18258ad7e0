import type { AppliedState } from './applied-state';
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
  for (const [k, id] of entriesOf(ids.people)) next.links.people[k] = id;
  for (const [k, id] of entriesOf(ids.courses)) next.links.courses[k] = id;
  for (const a of plan.adoptedCourses) next.links.courses[a.key] = a.lmsId;
  for (const [k, id] of entriesOf(ids.groups)) next.links.groups[k] = id;

  const failed = new Set<string>();
  for (const f of options.failed ?? []) failed.add(`${f.kind}\u0000${f.key}`);
  const ok = (kind: OpKind, key: string) => !failed.has(`${kind}\u0000${key}`);
  const user = (r: UserIdRef) => typeof r === 'number' || next.links.people[r.smsPersonId] !== undefined;
  const course = (r: CourseIdRef) => typeof r === 'number' || next.links.courses[r.smsCourseId] !== undefined;
  const group = (r: GroupIdRef) => typeof r === 'number' || next.links.groups[r.smsGroupId] !== undefined;

  for (const op of plan.createUsers)
    if (ok('createUsers', op.key) && user({ smsPersonId: op.key })) next.people[op.key] = op.applied;
  for (const kind of ['updateUsers', 'reactivateUsers'] as const) {
    for (const op of plan[kind]) if (ok(kind, op.key) && user(op.record.id)) next.people[op.key] = op.applied;
  }
  for (const op of plan.suspendUsers)
    if (ok('suspendUsers', op.key) && user(op.record.userId)) next.people[op.key] = op.applied;

  for (const a of plan.adoptedCourses) next.courses[a.key] = a.applied;
  for (const op of plan.createCourses) {
    if (ok('createCourses', op.key) && course({ smsCourseId: op.key })) next.courses[op.key] = op.applied;
  }
  for (const op of plan.updateCourses)
    if (ok('updateCourses', op.key) && course(op.record.id)) next.courses[op.key] = op.applied;
  for (const op of plan.createGroups) {
    if (ok('createGroups', op.key) && group({ smsGroupId: op.key })) next.groups[op.key] = op.applied;
  }

  for (const kind of ['enrol', 'suspendEnrolments'] as const) {
    for (const op of plan[kind]) {
      if (ok(kind, op.key) && user(op.record.userId) && course(op.record.courseId))
        next.enrolments[op.key] = op.applied;
    }
  }
  for (const op of plan.addGroupMembers) {
    if (ok('addGroupMembers', op.key) && user(op.record.userId) && group(op.record.groupId)) {
      next.memberships[op.key] = op.applied;
    }
  }
  for (const op of plan.removeGroupMembers) if (ok('removeGroupMembers', op.key)) delete next.memberships[op.key];

  const unenrolled = new Set<string>();
  for (const op of plan.unenrol) {
    if (!ok('unenrol', op.key)) continue;
    delete next.enrolments[op.key];
    unenrolled.add(`${op.person}\u0000${op.course}`);
  }
  if (unenrolled.size > 0) {
    // The LMS drops group memberships with the enrolment.
    for (const key in next.memberships) {
      const m = next.memberships[key]!;
      if (unenrolled.has(`${m.person}\u0000${m.course}`)) delete next.memberships[key];
    }
  }
  return next;
}
