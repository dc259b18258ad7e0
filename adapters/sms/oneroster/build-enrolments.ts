import type { SmsEnrolment, SmsPerson, SmsSnapshot, SmsWarning } from '../../contract';
import type { CoursesResult } from './build-courses';
import type { EnrolmentRoleTarget } from './options';
import type { EnrollmentRecord, RosterData } from './roster-data';

/**
 * Enrolments for the snapshot. SmsEnrolment has no id of its own, so an enrolment is known by person +
 * class (+ role); a delta replaces or removes by that key. enrollments bulk → exactly the file (tobedeleted
 * rows dropped, `inactive` kept as inactive); delta → the base with changes applied; absent → the base.
 * Afterwards any enrolment whose person, course or group is no longer in the snapshot is dropped.
 */
export interface EnrolmentInputs {
  data: RosterData;
  base?: SmsSnapshot;
  people: Map<string, SmsPerson>;
  leftOut: Set<string>;
  courses: CoursesResult;
  roleOf: (role: string) => EnrolmentRoleTarget | undefined;
  warnings: SmsWarning[];
}

function key(e: Pick<SmsEnrolment, 'personSmsId' | 'courseSmsId' | 'groupSmsId' | 'role'>): string {
  return `${e.personSmsId}\u0000${e.courseSmsId}\u0000${e.groupSmsId ?? ''}\u0000${e.role}`;
}

export function buildEnrolments(inputs: EnrolmentInputs): SmsEnrolment[] {
  const { data, base, warnings } = inputs;
  const mode = data.modes.get('enrollments') ?? 'absent';
  const enrolments = new Map<string, SmsEnrolment>(
    mode === 'bulk' ? [] : (base?.enrolments ?? []).map((e) => [key(e), e]),
  );
  const skipped = { role: new Map<string, number>(), leftOutUser: 0, goneClass: 0, unremovable: 0 };

  for (const record of data.enrollments ?? []) {
    const target = inputs.roleOf(record.role);
    if (record.status === 'tobedeleted' && mode === 'delta') {
      const enrolment = target && target !== 'skip' ? toEnrolment(record, target, inputs) : undefined;
      if (enrolment) enrolments.delete(key(enrolment));
      else skipped.unremovable++;
      continue;
    }
    if (record.status === 'tobedeleted') continue;
    if (target === undefined || target === 'skip') {
      skipped.role.set(record.role, (skipped.role.get(record.role) ?? 0) + 1);
      continue;
    }
    if (inputs.leftOut.has(record.userSourcedId)) {
      skipped.leftOutUser++;
      continue;
    }
    const enrolment = toEnrolment(record, target, inputs);
    if (enrolment) enrolments.set(key(enrolment), enrolment);
    else skipped.goneClass++;
  }
  report(skipped, warnings);
  return dropDangling([...enrolments.values()], inputs, warnings);
}

function toEnrolment(
  record: EnrollmentRecord,
  role: 'student' | 'teacher',
  inputs: EnrolmentInputs,
): SmsEnrolment | undefined {
  const target = inputs.courses.classTarget(record.classSourcedId);
  if (!target || !record.userSourcedId) return undefined;
  const enrolment: SmsEnrolment = {
    personSmsId: record.userSourcedId,
    courseSmsId: target.courseSmsId,
    role,
    active: record.status === 'active',
  };
  if (target.groupSmsId) enrolment.groupSmsId = target.groupSmsId;
  if (record.beginDate) enrolment.startDate = record.beginDate;
  if (record.endDate) enrolment.endDate = record.endDate;
  return enrolment;
}

function report(
  skipped: { role: Map<string, number>; leftOutUser: number; goneClass: number; unremovable: number },
  warnings: SmsWarning[],
): void {
  const file = 'enrollments.csv';
  for (const [role, n] of skipped.role)
    warnings.push({ message: `${n} enrolment(s) with role "${role}" were left out`, file, field: 'role' });
  if (skipped.leftOutUser > 0)
    warnings.push({ message: `${skipped.leftOutUser} enrolment(s) of users who were left out were skipped`, file });
  if (skipped.goneClass > 0)
    warnings.push({
      message: `${skipped.goneClass} enrolment(s) in deleted classes were dropped`,
      file,
      field: 'classSourcedId',
    });
  if (skipped.unremovable > 0) {
    warnings.push({
      message: `${skipped.unremovable} tobedeleted enrolment(s) could not be matched (the row lacks userSourcedId/classSourcedId/role, or the class is gone) and were not removed`,
      file,
    });
  }
}

function dropDangling(enrolments: SmsEnrolment[], inputs: EnrolmentInputs, warnings: SmsWarning[]): SmsEnrolment[] {
  const kept = enrolments.filter(
    (e) =>
      inputs.people.has(e.personSmsId) &&
      inputs.courses.courses.has(e.courseSmsId) &&
      (e.groupSmsId === undefined || inputs.courses.groups.has(e.groupSmsId)),
  );
  const dropped = enrolments.length - kept.length;
  if (dropped > 0)
    warnings.push({
      message: `${dropped} enrolment(s) of removed people or classes were dropped`,
      file: 'enrollments.csv',
    });
  return kept;
}
