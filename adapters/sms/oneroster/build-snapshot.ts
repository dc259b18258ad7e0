import type { SmsSnapshot, SmsWarning } from '../../contract';
import { buildCourses } from './build-courses';
import { buildEnrolments } from './build-enrolments';
import { buildPeople } from './build-people';
import type { EnrolmentRoleTarget } from './options';
import type { RosterData } from './roster-data';

/**
 * Turns what the readers collected into the canonical snapshot, applying a delta to the base where the
 * manifest says so (bulk replaces, delta patches, absent keeps the base: E.1).
 */
export interface BuildOptions {
  courseFrom: 'class' | 'course';
  base?: SmsSnapshot;
  roleOf: (role: string) => EnrolmentRoleTarget | undefined;
}

export function buildSnapshot(data: RosterData, options: BuildOptions, warnings: SmsWarning[]): SmsSnapshot {
  const { people, leftOut } = buildPeople(data, options.base, warnings);
  const courses = buildCourses(data, options.courseFrom, options.base, warnings);
  const enrolments = buildEnrolments({
    data,
    base: options.base,
    people,
    leftOut,
    courses,
    roleOf: options.roleOf,
    warnings,
  });
  return {
    people: [...people.values()],
    courses: [...courses.courses.values()],
    groups: [...courses.groups.values()],
    enrolments,
  };
}
