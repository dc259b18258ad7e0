import type { SmsSnapshot, SmsWarning } from '../../contract';
import { buildCourses } from './build-courses';
import { EnrolmentBuilder } from './build-enrolments';
import { buildGuardians } from './build-guardians';
import { buildPeople } from './build-people';
import type { EnrolmentRoleTarget } from './options';
import type { EnrollmentRecord, RosterData } from './roster-data';

/**
 * Turns what the readers collected into the canonical snapshot, applying a delta to the base where the
 * manifest says so (bulk replaces, delta patches, absent keeps the base: E.1). People and courses are
 * built first, from everything but enrollments.csv; enrolments are then added one row at a time as that
 * file streams past (the biggest file, so its rows are never held).
 */
export interface BuildOptions {
  courseFrom: 'class' | 'course';
  /** The previous snapshot, asked for only where a part of it is kept (delta or absent file, a role). */
  base: () => SmsSnapshot | undefined;
  roleOf: (role: string) => EnrolmentRoleTarget | undefined;
}

export interface SnapshotBuilder {
  addEnrollment(record: EnrollmentRecord): void;
  finish(): SmsSnapshot;
}

export function startSnapshot(data: RosterData, options: BuildOptions, warnings: SmsWarning[]): SnapshotBuilder {
  const { people, leftOut } = buildPeople(data, options.base, warnings);
  const courses = buildCourses(data, options.courseFrom, options.base, warnings);
  const enrolments = new EnrolmentBuilder({
    data,
    base: options.base,
    people,
    leftOut,
    courses,
    roleOf: options.roleOf,
    warnings,
  });
  return {
    addEnrollment: (record) => enrolments.add(record),
    finish: () => ({
      people: [...people.values()],
      courses: [...courses.courses.values()],
      groups: [...courses.groups.values()],
      enrolments: enrolments.finish(),
      ...buildGuardians(data, people, options.base),
    }),
  };
}
