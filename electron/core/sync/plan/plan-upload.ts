import { planCourses } from './courses';
import { planEnrolments } from './enrolments';
import { planGroups } from './groups';
import { countOperations, type UploadPlan } from './operations';
import { planPeople } from './people';
import type { PlanInput } from './plan-input';

/**
 * Diffs the SMS snapshot against what was last applied to one LMS connection. Pure: it reads only
 * its input and makes no LMS request, so an unchanged snapshot gives a plan with zero operations.
 * Records that cannot be planned become `errors` (with a fix) and are neither written nor removed.
 */
export function planUpload(input: PlanInput): UploadPlan {
  const { snapshot, mapping, applied } = input;
  const options = input.options ?? {};
  const people = planPeople(snapshot.people, mapping, applied, options);
  const courses = planCourses(snapshot.courses, mapping, input.lmsCourses, applied, options);
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

  const operations = {
    createUsers: people.createUsers,
    updateUsers: people.updateUsers,
    reactivateUsers: people.reactivateUsers,
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
  const errors = [...people.errors, ...courses.errors, ...enrolments.errors, ...groups.errors];
  return {
    connectionId: input.connectionId,
    ...operations,
    adoptedCourses: courses.adoptedCourses,
    errors,
    skipped: { enrolments: enrolments.skipped, groups: groups.skipped },
    counts: countOperations(operations, errors.length),
  };
}
