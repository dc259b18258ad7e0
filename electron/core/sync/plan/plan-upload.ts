import { planCourses } from './courses';
import { planEnrolments } from './enrolments';
import { planGroups } from './groups';
import type { Course } from '../../model';
import { rekeyedState, type AppliedState } from './applied-state';
import type { CoursesPlan, CourseTeachers } from './courses';
import type { EnrolmentsPlan } from './enrolments';
import type { GroupsPlan } from './groups';
import { countOperations, type DeletedCourseSkip, type UploadPlan } from './operations';
import { planPeople } from './people';
import { leaveAlone } from './leave-alone';
import { planCohorts } from './cohorts';
import type { PlanInput } from './plan-input';

/**
 * Diffs the SMS snapshot against what was last applied to one LMS connection. Pure: it reads only
 * its input and makes no LMS request, so an unchanged snapshot gives a plan with zero operations.
 * Records that cannot be planned become `errors` (with a fix) and are neither written nor removed.
 */
export function planUpload(input: PlanInput): UploadPlan {
  const { snapshot, mapping } = input;
  const options = input.options ?? {};
  const people = planPeople(snapshot.people, mapping, input.applied, options);
  // A re-keyed person's enrolments and classes are theirs under the new key: planned as unchanged or
  // changed, never as unenrol + enrol (which would lose their grades).
  const byPeople = rekeyedState(input.applied, people.rekeyed);
  const courses = planCourses(
    snapshot.courses,
    mapping,
    input.lmsCourses,
    byPeople,
    options,
    courseTeachers(snapshot, byPeople),
  );
  // So are a re-keyed course's (its code changed, its name and teachers stayed).
  const applied = rekeyedState(byPeople, new Map(), courses.rekeyed);
  const activePeople = new Set(snapshot.people.filter((p) => p.active).map((p) => p.smsId));
  const enrolments = planEnrolments(
    snapshot.enrolments,
    snapshot.courses,
    activePeople,
    people,
    courses,
    mapping,
    applied,
    options,
  );
  const groups = planGroups(snapshot.groups, snapshot.courses, courses, enrolments, applied);
  const cohorts = input.cohorts
    ? planCohorts({
        snapshot,
        mapping,
        cohorts: input.cohorts,
        applied: input.applied,
        planned: new Set([...people.createUsers, ...people.rekeyPeople].map((op) => op.key)),
        rekeyed: new Map(people.rekeyPeople.map((op) => [op.from, op.key])),
        ...(input.leaveAlone ? { leftAlone: input.leaveAlone.people } : {}),
      })
    : undefined;

  const operations = {
    rekeyPeople: people.rekeyPeople,
    rekeyCourses: courses.rekeyCourses,
    createUsers: people.createUsers,
    updateUsers: people.updateUsers,
    reactivateUsers: people.reactivateUsers,
    createCohorts: cohorts?.createCohorts ?? [],
    addCohortMembers: cohorts?.addCohortMembers ?? [],
    removeCohortMembers: cohorts?.removeCohortMembers ?? [],
    createCourses: courses.createCourses,
    updateCourses: courses.updateCourses,
    enrol: enrolments.enrol,
    createGroups: groups.createGroups,
    addGroupMembers: groups.addGroupMembers,
    removeGroupMembers: groups.removeGroupMembers,
    suspendEnrolments: enrolments.suspendEnrolments,
    unenrol: enrolments.unenrol,
    suspendUsers: people.suspendUsers,
  };
  const errors = [
    ...people.errors,
    ...courses.errors,
    ...enrolments.errors,
    ...groups.errors,
    ...(cohorts?.errors ?? []),
  ];
  const plan: UploadPlan = {
    connectionId: input.connectionId,
    ...operations,
    adoptedCourses: courses.adoptedCourses,
    identities: people.identities,
    errors,
    skipped: {
      enrolments: enrolments.skipped,
      groups: groups.skipped,
      deletedCourses: deletedCourseSkips(snapshot.courses, courses, enrolments, groups, applied),
    },
    skipExamples: [...enrolments.skipExamples, ...groups.skipExamples],
    counts: countOperations(operations, errors.length),
    ...(cohorts && input.mapping.cohorts ? { cohortMembers: cohorts.baseMembers } : {}),
  };
  // Last, so every other rule is decided on the whole school and the marks only hold writes back.
  return leaveAlone(plan, input.leaveAlone, snapshot, input.applied);
}

/** Active staff enrolled per course, in the snapshot and as last applied (a course re-key's evidence). */
function courseTeachers(snapshot: PlanInput['snapshot'], applied: AppliedState): CourseTeachers {
  const staff = new Set(snapshot.people.filter((p) => p.active && p.role === 'staff').map((p) => p.smsId));
  const add = (map: Map<string, Set<string>>, course: string, person: string) => {
    let set = map.get(course);
    if (!set) map.set(course, (set = new Set()));
    set.add(person);
  };
  const inSnapshot = new Map<string, Set<string>>();
  for (const e of snapshot.enrolments)
    if (e.active && staff.has(e.personSmsId)) add(inSnapshot, e.courseSmsId, e.personSmsId);
  const inApplied = new Map<string, Set<string>>();
  for (const key in applied.enrolments) {
    const e = applied.enrolments[key]!;
    if (!e.suspended && applied.people[e.person]?.role === 'staff') add(inApplied, e.course, e.person);
  }
  return { snapshot: inSnapshot, applied: inApplied };
}

/**
 * Per SMS course whose LMS course was deleted there, in snapshot order: what the SMS still wants in it
 * (not sent) and how many enrolments made before stay on record. Courses nothing is wanted in are left
 * out: there is nothing the admin would miss.
 */
function deletedCourseSkips(
  courses: readonly Course[],
  coursePlan: CoursesPlan,
  enrolments: EnrolmentsPlan,
  groups: GroupsPlan,
  applied: AppliedState,
): DeletedCourseSkip[] {
  const affected = courses.filter(
    (c) => enrolments.deletedCourseSkips.has(c.smsId) || groups.deletedCourseSkips.has(c.smsId),
  );
  if (affected.length === 0) return [];
  const kept = new Map<string, number>();
  const keys = new Set(affected.map((c) => c.smsId));
  for (const key in applied.enrolments) {
    const e = applied.enrolments[key]!;
    if (keys.has(e.course) && !e.suspended) kept.set(e.course, (kept.get(e.course) ?? 0) + 1);
  }
  return affected.map((c) => {
    const target = coursePlan.target(c.smsId);
    return {
      course: c.smsId,
      code: c.code,
      lmsId: target.open ? 0 : (target.lmsId ?? 0),
      enrolments: enrolments.deletedCourseSkips.get(c.smsId) ?? 0,
      groups: groups.deletedCourseSkips.get(c.smsId) ?? 0,
      kept: kept.get(c.smsId) ?? 0,
    };
  });
}
