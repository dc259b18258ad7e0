import type { Course, Enrolment, Mapping } from '../../model';
import { enrolmentKey, membershipKey, type AppliedEnrolment, type AppliedState } from './applied-state';
import type { CoursesPlan } from './courses';
import { createDateConverter } from './dates';
import {
  emptySkipCounts,
  type EnrolOp,
  type PlanningError,
  type SkipCounts,
  type SkipReason,
  type SuspendEnrolmentOp,
  type UnenrolOp,
  type UserIdRef,
} from './operations';
import { keepSkipExample, type SkipExample } from './skip-examples';
import type { PeoplePlan } from './people';
import type { PlanOptions } from './plan-input';

/** A group membership the snapshot asks for, in an enrolment that is planned. */
export interface WantedMembership {
  /** membershipKey(group, person) */
  key: string;
  group: string;
  person: string;
  course: string;
  userRef: UserIdRef;
}

/** One skipped enrolment, for the dry run's records (skip-examples.ts). */
const skipOf = (key: string, e: Enrolment, reason: SkipReason): SkipExample => ({
  kind: 'enrolment',
  key,
  person: e.personSmsId,
  course: e.courseSmsId,
  reason,
});

export interface EnrolmentsPlan {
  enrol: EnrolOp[];
  suspendEnrolments: SuspendEnrolmentOp[];
  unenrol: UnenrolOp[];
  errors: PlanningError[];
  skipped: SkipCounts;
  /** Keys of enrolments the snapshot wants in Open courses (whether or not they change). */
  wanted: Set<string>;
  /** Wanted enrolments not planned because their course was deleted in the LMS, per SMS course key. */
  deletedCourseSkips: Map<string, number>;
  memberships: WantedMembership[];
  /** The first skipped enrolments and why (the dry run's records table). */
  skipExamples: SkipExample[];
}

/**
 * Plans enrolments: the full desired state of each one that is new or changed, and the removal
 * policy for each applied one the SMS no longer has. Courses that are not Open are left untouched,
 * both ways: nothing is enrolled into them and nothing already there is removed.
 */
export function planEnrolments(
  enrolments: readonly Enrolment[],
  courses: readonly Course[],
  activePeople: ReadonlySet<string>,
  people: PeoplePlan,
  coursePlan: CoursesPlan,
  mapping: Mapping,
  applied: AppliedState,
  options: PlanOptions,
): EnrolmentsPlan {
  const plan: EnrolmentsPlan = {
    enrol: [],
    suspendEnrolments: [],
    unenrol: [],
    errors: [],
    skipped: emptySkipCounts(),
    wanted: new Set(),
    deletedCourseSkips: new Map(),
    memberships: [],
    skipExamples: [],
  };
  const dates = createDateConverter(options.timeZone ?? 'UTC');
  const codes = new Map(courses.map((c) => [c.smsId, c.code]));
  const heldBack = new Set<string>(); // neither planned nor removed
  const skippedKeys = new Set<string>();
  const groupsSeen = new Set<string>();
  const addMembership = (e: Enrolment, userRef: UserIdRef) => {
    for (const group of e.groupSmsIds ?? []) {
      const key = membershipKey(group, e.personSmsId);
      if (groupsSeen.has(key)) continue;
      groupsSeen.add(key);
      plan.memberships.push({ key, group, person: e.personSmsId, course: e.courseSmsId, userRef });
    }
  };

  for (const e of enrolments) {
    if (!e.active || !activePeople.has(e.personSmsId)) continue; // not wanted: the removal policy decides below
    const key = enrolmentKey(e.personSmsId, e.courseSmsId);
    const userRef = people.userRefs.get(e.personSmsId);
    if (plan.wanted.has(key) && userRef !== undefined) {
      // The same person twice in one course (as student and teacher): one enrolment, every class's membership.
      addMembership(e, userRef);
      continue;
    }
    if (skippedKeys.has(key) || heldBack.has(key)) continue;
    if (userRef === undefined) {
      skippedKeys.add(key);
      plan.skipped['person-not-planned'] += 1;
      keepSkipExample(plan.skipExamples, skipOf(key, e, 'person-not-planned'));
      continue;
    }
    const target = coursePlan.target(e.courseSmsId);
    if (!target.open) {
      skippedKeys.add(key);
      plan.skipped[target.reason] += 1;
      keepSkipExample(plan.skipExamples, skipOf(key, e, target.reason));
      if (target.reason === 'course-deleted') {
        const n = plan.deletedCourseSkips.get(e.courseSmsId) ?? 0;
        plan.deletedCourseSkips.set(e.courseSmsId, n + 1);
      }
      continue;
    }
    const role = mapping.roles[e.role];
    if (!role) {
      heldBack.add(key);
      plan.errors.push({
        recordKind: 'enrolment',
        recordKey: key,
        course: codes.get(e.courseSmsId),
        field: 'role',
        message: `${e.personSmsId} is enrolled in ${codes.get(e.courseSmsId) ?? e.courseSmsId} as "${e.role}", which has no LMS role.`,
        fix: `Add the SMS role "${e.role}" to the connection's role mapping (for example "${e.role}" → "student").`,
      });
      continue;
    }
    plan.wanted.add(key);
    const after: AppliedEnrolment = {
      person: e.personSmsId,
      course: e.courseSmsId,
      role,
      timeStart: dates.start(e.startDate),
      timeEnd: dates.end(e.endDate),
      suspended: false,
    };
    addMembership(e, userRef);
    const before = applied.enrolments[key];
    const reason = !before
      ? 'new'
      : before.suspended
        ? 'reactivated'
        : before.role !== after.role || before.timeStart !== after.timeStart || before.timeEnd !== after.timeEnd
          ? 'changed'
          : undefined;
    if (reason) {
      const { person: _p, course: _c, role: roleShortname, ...rest } = after;
      const replacesRole =
        before && before.role !== after.role && mapping.removalPolicy !== 'keep' ? before.role : undefined;
      plan.enrol.push({
        key,
        reason,
        record: { userId: userRef, courseId: target.ref, roleShortname, ...rest },
        applied: after,
        ...(replacesRole !== undefined ? { replacesRole } : {}),
      });
    }
  }

  planRemovals(plan, heldBack, skippedKeys, people, coursePlan, mapping, applied);
  return plan;
}

/** Applies the removal policy to every applied enrolment the snapshot no longer wants. */
function planRemovals(
  plan: EnrolmentsPlan,
  heldBack: ReadonlySet<string>,
  skipped: ReadonlySet<string>,
  people: PeoplePlan,
  coursePlan: CoursesPlan,
  mapping: Mapping,
  applied: AppliedState,
): void {
  if (mapping.removalPolicy === 'keep') return;
  const heldBackPeople = new Set(people.errors.map((e) => e.recordKey));
  // for-in: no array of 100,000 [key, value] pairs to allocate.
  for (const key in applied.enrolments) {
    const before = applied.enrolments[key]!;
    if (plan.wanted.has(key) || heldBack.has(key) || skipped.has(key) || heldBackPeople.has(before.person)) continue;
    const target = coursePlan.target(before.course);
    if (!target.open) continue;
    const userId: UserIdRef = applied.links.people[before.person] ?? { smsPersonId: before.person };
    if (mapping.removalPolicy === 'unenrol') {
      plan.unenrol.push({
        key,
        person: before.person,
        course: before.course,
        record: { userId, courseId: target.ref },
        applied: undefined,
      });
    } else if (!before.suspended && !people.removed.has(before.person)) {
      // policy suspend: a person who left is suspended as a user, which covers their enrolments.
      const { person: _p, course: _c, role: roleShortname, ...rest } = before;
      plan.suspendEnrolments.push({
        key,
        record: { userId, courseId: target.ref, roleShortname, ...rest, suspended: true },
        applied: { ...before, suspended: true },
      });
    }
  }
}
