import type {
  LmsCourseUpdate,
  LmsEnrolment,
  LmsGroupMember,
  LmsUnenrolment,
  LmsUserUpdate,
  NewLmsCourse,
  NewLmsGroup,
  NewLmsUser,
} from '../../../../adapters/contract';
import type { AppliedCourse, AppliedEnrolment, AppliedGroup, AppliedMembership, AppliedPerson } from './applied-state';
import type { LeftAloneSummary } from './leave-alone';
import type { SkipExample } from './skip-examples';
import type { AddCohortMemberOp, CreateCohortOp, RemoveCohortMemberOp } from './cohorts';
import type { CourseTemplateChoice } from '../../model';

// ─── References the apply step resolves ─────────────────────────────────────────────────────────
// A plan is made before the LMS ids of new records exist. Where a link gives the LMS id, the record
// carries the number; otherwise it carries the SMS id, which the apply step turns into an LMS id
// (learnt when the record is created earlier in the same apply, or looked up by idnumber).

export interface PersonPlaceholder {
  smsPersonId: string;
}
export interface CoursePlaceholder {
  smsCourseId: string;
}
export interface GroupPlaceholder {
  smsGroupId: string;
}
export type UserIdRef = number | PersonPlaceholder;
export type CourseIdRef = number | CoursePlaceholder;
export type GroupIdRef = number | GroupPlaceholder;

/** An adapter record whose LMS ids may still be placeholders. */
export type PlannedUserUpdate = Omit<LmsUserUpdate, 'id'> & { id: UserIdRef };
export type PlannedCourseUpdate = Omit<LmsCourseUpdate, 'id'> & { id: CourseIdRef };
export type PlannedEnrolment = Omit<LmsEnrolment, 'userId' | 'courseId'> & { userId: UserIdRef; courseId: CourseIdRef };
export type PlannedUnenrolment = Omit<LmsUnenrolment, 'userId' | 'courseId'> & {
  userId: UserIdRef;
  courseId: CourseIdRef;
};
export type PlannedGroup = Omit<NewLmsGroup, 'courseId'> & { courseId: CourseIdRef };
export type PlannedGroupMember = Omit<LmsGroupMember, 'groupId' | 'userId'> & {
  groupId: GroupIdRef;
  userId: UserIdRef;
};

// ─── Operations ─────────────────────────────────────────────────────────────────────────────────

/**
 * One planned LMS write. `key` is the SMS key (person/course/group id, or `enrolmentKey` /
 * `membershipKey`); `record` is what the adapter needs; `applied` is what the applied state holds for
 * the key once the write succeeds (absent when the write removes the key).
 */
export interface PlanOp<R, A = undefined> {
  key: string;
  record: R;
  applied: A;
}

export type CreateUserOp = PlanOp<NewLmsUser, AppliedPerson>;
/** `changed` names the fields that differ; `record` carries only those (plus the id). */
export type UpdateUserOp = PlanOp<PlannedUserUpdate, AppliedPerson> & { changed: string[] };
export type ReactivateUserOp = PlanOp<PlannedUserUpdate, AppliedPerson>;
/** What made the planner take a new SMS record for a vanished one: the same USI, NSN, or email + date of birth. */
export type RekeyEvidence = 'usi' | 'nsn' | 'email+dob';
/** The evidence in the admin's words (dry run, held message, held review). */
export const REKEY_EVIDENCE_WORDS: Readonly<Record<RekeyEvidence, string>> = {
  usi: 'same USI',
  nsn: 'same NSN',
  'email+dob': 'same email and date of birth',
};
/**
 * A person who left the SMS and came back under a new SMS id in the same import (the same USI, NSN or
 * email + date of birth): the old LMS user (`lmsId`) is updated to the new record (idnumber and the
 * changed fields; reactivated if suspended) and the link, applied entry, enrolments and classes move
 * from `from` to `key`, so their grades stay with the account and nothing is suspended or created.
 */
export type RekeyUserOp = PlanOp<PlannedUserUpdate, AppliedPerson> & {
  /** The old SMS key. */
  from: string;
  lmsId: number;
  evidence: RekeyEvidence;
  changed: string[];
};
export type SuspendUserOp = PlanOp<{ userId: UserIdRef }, AppliedPerson>;
/**
 * `template`: the course is made as a copy of that LMS course (mapping.courseTemplates) rather than empty.
 * A field on the create, not an op kind of its own: it is the same create for everything that counts,
 * links and persists creates (the safety rail, the summary, the applied state); only the apply step
 * sends it differently (sync/apply/course-copies.ts).
 */
export type CreateCourseOp = PlanOp<NewLmsCourse, AppliedCourse> & { template?: CourseTemplateChoice };
/**
 * An SMS course gone from the export while a new one has the same name and the same teachers (its code
 * changed): the old LMS course (`lmsId`) takes the new code (shortname, idnumber and what else changed),
 * and its link, enrolments, classes and grades move from `from` to `key`.
 */
export type RekeyCourseOp = PlanOp<PlannedCourseUpdate, AppliedCourse> & {
  from: string;
  /** The SMS codes, old and new, as the admin knows the course. */
  fromCode: string;
  lmsId: number;
  changed: string[];
};
export type UpdateCourseOp = PlanOp<PlannedCourseUpdate, AppliedCourse> & { changed: string[] };
export type CreateGroupOp = PlanOp<PlannedGroup, AppliedGroup> & { course: string };
/** new: not enrolled before; changed: role or dates differ; reactivated: was suspended by ClassBridge. */
export type EnrolOp = PlanOp<PlannedEnrolment, AppliedEnrolment> & {
  reason: 'new' | 'changed' | 'reactivated';
  /**
   * The LMS role this person had in the course that the SMS no longer gives (a teacher who is now a
   * student there): unassigned once the new role is in, unless the removal policy is "keep".
   */
  replacesRole?: string;
};
export type SuspendEnrolmentOp = PlanOp<PlannedEnrolment, AppliedEnrolment>;
export type UnenrolOp = PlanOp<PlannedUnenrolment, undefined> & { person: string; course: string };
export type AddGroupMemberOp = PlanOp<PlannedGroupMember, AppliedMembership>;
export type RemoveGroupMemberOp = PlanOp<PlannedGroupMember, undefined>;

// ─── Parents and guardians (sync/plan/parents.ts, sync/apply/parents.ts) ───────────────────────
// Not in OP_KINDS on purpose: OP_KINDS drive the applied state's sections (applied_entries) and the
// people they plan. Guardians are not people (a guardian in createUsers would be in applied.people, and
// the next plan would suspend them as "gone from the SMS"); their accounts and roles have their own
// applied state (store.parents, migration 020) and run after every OP_KINDS kind, once the children
// they are assigned to have LMS ids.

/** An LMS account for a guardian: username from their email, idnumber ClassBridge's own (`key` = guardian SMS id). */
export interface CreateParentUserOp {
  key: string;
  record: NewLmsUser;
  /** "Mere Parata", for the admin. */
  name: string;
}
/** A guardian's name or email changed in the SMS: their account (ClassBridge's) is updated; the username stays. */
export interface UpdateParentUserOp {
  key: string;
  record: { id: number; firstname: string; lastname: string; email: string };
  name: string;
}
/** A parent role in a child's user context (`key` = parentRoleKey(guardian, child)). */
export interface AssignParentRoleOp {
  key: string;
  guardian: string;
  child: string;
  roleId: number;
  /** The guardian's LMS user, or their SMS id when the account is created in this apply. */
  parent: number | { guardianSmsId: string };
  childUser: UserIdRef;
}
/** A parent role ClassBridge assigned whose link went: unassigned with the ids it was assigned with. */
export interface UnassignParentRoleOp {
  key: string;
  guardian: string;
  child: string;
  roleId: number;
  parentLmsId: number;
  childLmsId: number;
}
export interface ParentOperations {
  createParentUsers: CreateParentUserOp[];
  updateParentUsers: UpdateParentUserOp[];
  assignParentRoles: AssignParentRoleOp[];
  unassignParentRoles: UnassignParentRoleOp[];
  /** Parent roles ClassBridge held before this plan: the safety rail's base for unassignments. */
  activeRoles: number;
}

/** The operation kinds, in the order the apply step must run them (each needs the ids the ones before learn). */
export const OP_KINDS = [
  // First: the enrolments of a re-keyed person are planned against their old LMS user.
  'rekeyPeople',
  'rekeyCourses',
  'createUsers',
  'updateUsers',
  'reactivateUsers',
  // Cohorts (plan/cohorts.ts) need only the users; a cohort error never holds back the courses after them.
  'createCohorts',
  'addCohortMembers',
  'removeCohortMembers',
  'createCourses',
  'updateCourses',
  'enrol',
  'createGroups',
  'addGroupMembers',
  'removeGroupMembers',
  'suspendEnrolments',
  'unenrol',
  'suspendUsers',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

export interface PlanOperations {
  rekeyPeople: RekeyUserOp[];
  rekeyCourses: RekeyCourseOp[];
  createUsers: CreateUserOp[];
  updateUsers: UpdateUserOp[];
  reactivateUsers: ReactivateUserOp[];
  createCohorts: CreateCohortOp[];
  addCohortMembers: AddCohortMemberOp[];
  removeCohortMembers: RemoveCohortMemberOp[];
  createCourses: CreateCourseOp[];
  updateCourses: UpdateCourseOp[];
  enrol: EnrolOp[];
  createGroups: CreateGroupOp[];
  addGroupMembers: AddGroupMemberOp[];
  removeGroupMembers: RemoveGroupMemberOp[];
  suspendEnrolments: SuspendEnrolmentOp[];
  unenrol: UnenrolOp[];
  suspendUsers: SuspendUserOp[];
}

/** A record the plan leaves out, with what the admin can do about it (shaped like a run error). */
export interface PlanningError {
  recordKind: 'person' | 'course' | 'group' | 'enrolment' | 'cohort';
  /** The SMS key of the record. */
  recordKey: string;
  /** The SMS course code, when the record belongs to a course. */
  course?: string;
  field?: string;
  message: string;
  fix: string;
  /** Other records involved (e.g. the other person with the same username). */
  related?: string[];
}

/** Why desired records were not planned (they are neither created nor removed). */
export const SKIP_REASONS = [
  'course-new',
  'course-closed',
  'course-deleted',
  'course-not-in-lms',
  'person-not-planned',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Record<SkipReason, number>;

/**
 * A matched LMS course ClassBridge has not applied before: recorded as the baseline (and its link)
 * without any LMS write, so the admin's existing course is not renamed, only kept in step afterwards.
 */
export interface AdoptedCourse {
  key: string;
  lmsId: number;
  applied: AppliedCourse;
}

/**
 * An SMS course whose LMS course was deleted there (Deleted in course tracking). What it means for
 * enrolments: those ClassBridge made in it stay on record as they were (they still name the course, and
 * nothing is unenrolled or suspended there); nothing new goes into it. The dry run says so per course.
 */
export interface DeletedCourseSkip {
  /** The SMS course key. */
  course: string;
  /** The SMS course code, e.g. 10ENG. */
  code: string;
  /** The deleted LMS course. */
  lmsId: number;
  /** Enrolments the SMS wants in it that are not sent. */
  enrolments: number;
  /** Classes (groups) of it that are not created. */
  groups: number;
  /** Enrolments ClassBridge made in it before, kept on record unchanged. */
  kept: number;
}

export type PlanCounts = Record<OpKind, number> & { total: number; errors: number };

/**
 * A person whose LMS user is as the SMS says but whose applied entry lacks the SMS's identifiers (USI,
 * NSN, date of birth — kept since re-keys; states applied before have none): recorded without any LMS
 * write, so that person can be recognised should their SMS id ever change.
 */
export interface RecordedIdentity {
  key: string;
  applied: AppliedPerson;
}

/** Everything one upload would do to one LMS connection, before anything is done. */
export interface UploadPlan extends PlanOperations {
  connectionId: string;
  adoptedCourses: AdoptedCourse[];
  /** Optional: plans built by hand (tests, older callers) have none. */
  identities?: RecordedIdentity[];
  errors: PlanningError[];
  /** Desired records not planned, by reason; and per course deleted in the LMS, what is not sent there. */
  skipped: { enrolments: SkipCounts; groups: SkipCounts; deletedCourses: DeletedCourseSkip[] };
  counts: PlanCounts;
  /** What the admin's leave-alone marks held back (absent when nothing is marked). */
  leftAlone?: LeftAloneSummary;
  /** The parents rule's writes (withParents in sync/plan/parents.ts); absent when the rule is off. */
  parents?: ParentOperations;
  /** With cohort rules: the cohort memberships ClassBridge added before (the safety rail's base for removals). */
  cohortMembers?: number;
  /** The first skipped enrolments and classes by name, and why (plan/skip-examples.ts; the dry run's records). */
  skipExamples?: SkipExample[];
}

/** Sums the operations per kind. */
export function countOperations(ops: PlanOperations, errors: number): PlanCounts {
  let total = 0;
  const counts = { total: 0, errors } as PlanCounts;
  for (const kind of OP_KINDS) {
    counts[kind] = ops[kind].length;
    total += ops[kind].length;
  }
  counts.total = total;
  return counts;
}

export function emptySkipCounts(): SkipCounts {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as SkipCounts;
}

/** An operation as a selection sees it: its SMS key and what it records (person/course for enrolments etc.). */
export interface SelectableOp {
  key: string;
  applied: unknown;
}

/**
 * The plan cut down to the operations `keepOp` keeps and the planning errors `keepError` keeps, with
 * its counts made again — one part's run, one record's retry, a reconcile's repairs. Matched courses
 * are only adopted by a run that keeps them (`keepAdopted`).
 */
export function selectOperations(
  plan: UploadPlan,
  keepOp: (kind: OpKind, op: SelectableOp) => boolean,
  keepError: (error: PlanningError) => boolean,
  keepAdopted = true,
): UploadPlan {
  const out: UploadPlan = {
    ...plan,
    adoptedCourses: keepAdopted ? plan.adoptedCourses : [],
    identities: keepAdopted ? (plan.identities ?? []) : [],
    errors: plan.errors.filter(keepError),
  };
  for (const kind of OP_KINDS) {
    (out[kind] as SelectableOp[]) = (plan[kind] as SelectableOp[]).filter((op) => keepOp(kind, op));
  }
  out.counts = countOperations(out, out.errors.length);
  return out;
}
