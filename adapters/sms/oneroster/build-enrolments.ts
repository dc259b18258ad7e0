import type { SmsEnrolment, SmsPerson, SmsSnapshot, SmsWarning } from '../../contract';
import type { CoursesResult } from './build-courses';
import type { EnrolmentRoleTarget } from './options';
import type { EnrollmentRecord, RosterData } from './roster-data';

/**
 * Enrolments for the snapshot, built one enrollments.csv row at a time. SmsEnrolment has no id of its
 * own, so an enrolment is known by person + course + group + role; a delta replaces or removes by that
 * key. enrollments bulk → exactly the file (tobedeleted rows dropped, `inactive` kept as inactive);
 * delta → the base with changes applied; absent → the base. Afterwards any enrolment whose person,
 * course or group is no longer in the snapshot is dropped.
 *
 * Memory (a 200,000-user export has a million rows): an enrolment holds no string of its own — the
 * person's, course's and group's ids are the snapshot's own strings and dates are interned — and the
 * key is found through a per-person list of positions rather than a composite key string per row.
 */
export interface EnrolmentInputs {
  data: RosterData;
  base: () => SmsSnapshot | undefined;
  people: Map<string, SmsPerson>;
  leftOut: Set<string>;
  courses: CoursesResult;
  roleOf: (role: string) => EnrolmentRoleTarget | undefined;
  warnings: SmsWarning[];
}

export class EnrolmentBuilder {
  private readonly mode: string;
  private readonly enrolments = new EnrolmentSet();
  private readonly dates = new Map<string, string>();
  private readonly skipped = { role: new Map<string, number>(), leftOutUser: 0, goneClass: 0, unremovable: 0 };

  constructor(private readonly inputs: EnrolmentInputs) {
    this.mode = inputs.data.modes.get('enrollments') ?? 'absent';
    if (this.mode !== 'bulk') for (const e of inputs.base()?.enrolments ?? []) this.enrolments.set(e);
  }

  add(record: EnrollmentRecord): void {
    const { inputs, skipped } = this;
    const target = inputs.roleOf(record.role);
    if (record.status === 'tobedeleted' && this.mode === 'delta') {
      const enrolment = target && target !== 'skip' ? this.toEnrolment(record, target) : undefined;
      if (enrolment) this.enrolments.delete(enrolment);
      else skipped.unremovable++;
      return;
    }
    if (record.status === 'tobedeleted') return;
    if (target === undefined || target === 'skip') {
      skipped.role.set(record.role, (skipped.role.get(record.role) ?? 0) + 1);
      return;
    }
    if (inputs.leftOut.has(record.userSourcedId)) {
      skipped.leftOutUser++;
      return;
    }
    const enrolment = this.toEnrolment(record, target);
    if (enrolment) this.enrolments.set(enrolment);
    else skipped.goneClass++;
  }

  finish(): SmsEnrolment[] {
    report(this.skipped, this.inputs.warnings);
    return dropDangling(this.enrolments.values(), this.inputs, this.inputs.warnings);
  }

  private toEnrolment(record: EnrollmentRecord, role: 'student' | 'teacher'): SmsEnrolment | undefined {
    const target = this.inputs.courses.classTarget(record.classSourcedId);
    if (!target || !record.userSourcedId) return undefined;
    return makeEnrolment(
      this.inputs.people.get(record.userSourcedId)?.smsId ?? record.userSourcedId,
      target.courseSmsId,
      target.groupSmsId,
      role,
      record.status === 'active',
      record.beginDate === undefined ? undefined : this.intern(record.beginDate),
      record.endDate === undefined ? undefined : this.intern(record.endDate),
    );
  }

  /** A school has a few dozen distinct dates: one string each, not one per row. */
  private intern(date: string): string {
    const known = this.dates.get(date);
    if (known !== undefined) return known;
    this.dates.set(date, date);
    return date;
  }
}

/**
 * One literal per shape, so V8 keeps every field in the object itself: fields added after the literal go
 * to a separate properties array, ~40 bytes more for each of a million enrolments.
 */
function makeEnrolment(
  personSmsId: string,
  courseSmsId: string,
  groupSmsId: string | undefined,
  role: 'student' | 'teacher',
  active: boolean,
  startDate: string | undefined,
  endDate: string | undefined,
): SmsEnrolment {
  if (groupSmsId === undefined) {
    if (startDate !== undefined && endDate !== undefined)
      return { personSmsId, courseSmsId, role, active, startDate, endDate };
    if (startDate !== undefined) return { personSmsId, courseSmsId, role, active, startDate };
    if (endDate !== undefined) return { personSmsId, courseSmsId, role, active, endDate };
    return { personSmsId, courseSmsId, role, active };
  }
  if (startDate !== undefined && endDate !== undefined)
    return { personSmsId, courseSmsId, groupSmsId, role, active, startDate, endDate };
  if (startDate !== undefined) return { personSmsId, courseSmsId, groupSmsId, role, active, startDate };
  if (endDate !== undefined) return { personSmsId, courseSmsId, groupSmsId, role, active, endDate };
  return { personSmsId, courseSmsId, groupSmsId, role, active };
}

/**
 * Enrolments keyed by person + course + group + role without a key string per enrolment: each person's
 * last position, and for every position the one before it of the same person (a chain in a typed array,
 * 4 bytes an enrolment rather than a small array per person). A deletion leaves a hole, skipped by the
 * chain and squeezed out at the end.
 */
class EnrolmentSet {
  private readonly list: (SmsEnrolment | undefined)[] = [];
  private readonly last = new Map<string, number>();
  /** previous[i] = the position before i of the same person, or -1. */
  private previous = new Int32Array(1024);

  set(enrolment: SmsEnrolment): void {
    const at = this.find(enrolment);
    if (at !== undefined) {
      this.list[at] = enrolment;
      return;
    }
    const index = this.list.push(enrolment) - 1;
    if (index >= this.previous.length) {
      const grown = new Int32Array(this.previous.length * 2);
      grown.set(this.previous);
      this.previous = grown;
    }
    this.previous[index] = this.last.get(enrolment.personSmsId) ?? -1;
    this.last.set(enrolment.personSmsId, index);
  }

  delete(enrolment: SmsEnrolment): void {
    const at = this.find(enrolment);
    if (at !== undefined) this.list[at] = undefined;
  }

  /** The enrolments, holes squeezed out in place (a second million-entry array is not needed). */
  values(): SmsEnrolment[] {
    let kept = 0;
    for (const e of this.list) if (e !== undefined) this.list[kept++] = e;
    this.list.length = kept;
    this.last.clear();
    this.previous = new Int32Array(0);
    return this.list as SmsEnrolment[];
  }

  private find(e: SmsEnrolment): number | undefined {
    for (let index = this.last.get(e.personSmsId) ?? -1; index >= 0; index = this.previous[index]!) {
      const other = this.list[index];
      if (other && other.courseSmsId === e.courseSmsId && other.groupSmsId === e.groupSmsId && other.role === e.role)
        return index;
    }
    return undefined;
  }
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
  let kept = 0;
  for (const e of enrolments) {
    const keep =
      inputs.people.has(e.personSmsId) &&
      inputs.courses.courses.has(e.courseSmsId) &&
      (e.groupSmsId === undefined || inputs.courses.groups.has(e.groupSmsId));
    if (keep) enrolments[kept++] = e;
  }
  const dropped = enrolments.length - kept;
  enrolments.length = kept;
  if (dropped > 0)
    warnings.push({
      message: `${dropped} enrolment(s) of removed people or classes were dropped`,
      file: 'enrollments.csv',
    });
  return enrolments;
}
