import {
  SmsImportError,
  type SmsCourse,
  type SmsEnrolment,
  type SmsGroup,
  type SmsPerson,
  type SmsSnapshot,
  type SmsWarning,
} from '../../contract';

/** Where a record came from, for duplicate messages that name both lines. */
export interface RowPlace {
  file: string;
  line: number;
}

interface Placed<T> {
  value: T;
  place: RowPlace;
}

/** A 200 MB file with a repeated row on every line must not produce a million warnings. */
const MAX_WARNINGS = 200;

/**
 * Collects records as rows stream past, and refuses contradictions as they appear. In a combined file
 * the same student and class repeat on many rows, which is fine while they agree; a person id that
 * comes back with a different name is two people sharing an id (ref F.1: key on ids, never names),
 * so it is a 'duplicate' error naming both lines.
 */
export class SnapshotBuilder {
  private readonly people = new Map<string, Placed<SmsPerson>>();
  private readonly courses = new Map<string, Placed<SmsCourse>>();
  private readonly groups = new Map<string, Placed<SmsGroup>>();
  private readonly enrolments: SmsEnrolment[] = [];
  private readonly enrolmentKeys = new Set<string>();
  private readonly warnings: SmsWarning[] = [];
  private suppressedWarnings = 0;

  warn(warning: SmsWarning): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(warning);
    else this.suppressedWarnings++;
  }

  hasPerson(id: string): boolean {
    return this.people.has(id);
  }

  personRole(id: string): SmsPerson['role'] | undefined {
    return this.people.get(id)?.value.role;
  }

  hasCourse(id: string): boolean {
    return this.courses.has(id);
  }

  groupCourse(id: string): string | undefined {
    return this.groups.get(id)?.value.courseSmsId;
  }

  /** `repeatsExpected`: the same person on many rows is normal (combined mode), not worth a warning. */
  addPerson(person: SmsPerson, place: RowPlace, repeatsExpected: boolean): void {
    const seen = this.people.get(person.smsId);
    if (!seen) {
      this.people.set(person.smsId, { value: person, place });
      return;
    }
    const before = seen.value;
    if (before.givenName !== person.givenName || before.familyName !== person.familyName)
      throw duplicate(`Person id ${person.smsId}`, seen.place, place, fullName(before), fullName(person));
    if (before.role !== person.role)
      this.warn({
        message: `Person ${person.smsId} is both ${before.role} (line ${seen.place.line}) and ${person.role}; kept ${before.role}`,
        ...place,
      });
    else if (!repeatsExpected)
      this.warn({ message: `Person ${person.smsId} is listed again (first on line ${seen.place.line})`, ...place });
  }

  addCourse(course: SmsCourse, place: RowPlace): void {
    const seen = this.courses.get(course.smsId);
    if (!seen) {
      this.courses.set(course.smsId, { value: course, place });
      return;
    }
    if (seen.value.name !== course.name || seen.value.code !== course.code)
      throw duplicate(
        `Course id ${course.smsId}`,
        seen.place,
        place,
        describeCourse(seen.value),
        describeCourse(course),
      );
  }

  addGroup(group: SmsGroup, place: RowPlace): void {
    const seen = this.groups.get(group.smsId);
    if (!seen) {
      this.groups.set(group.smsId, { value: group, place });
      return;
    }
    if (seen.value.courseSmsId !== group.courseSmsId || seen.value.name !== group.name)
      throw duplicate(`Class id ${group.smsId}`, seen.place, place, describeGroup(seen.value), describeGroup(group));
  }

  addEnrolment(enrolment: SmsEnrolment, place: RowPlace, repeatsExpected: boolean): void {
    const key = `${enrolment.personSmsId}\u0000${enrolment.courseSmsId}\u0000${enrolment.groupSmsId ?? ''}\u0000${enrolment.role}`;
    if (this.enrolmentKeys.has(key)) {
      if (!repeatsExpected)
        this.warn({
          message: `Enrolment of ${enrolment.personSmsId} in ${enrolment.groupSmsId ?? enrolment.courseSmsId} is repeated; the first row is kept`,
          ...place,
        });
      return;
    }
    this.enrolmentKeys.add(key);
    this.enrolments.push(enrolment);
  }

  finish(): { snapshot: SmsSnapshot; warnings: SmsWarning[] } {
    const warnings = [...this.warnings];
    if (this.suppressedWarnings > 0)
      warnings.push({ message: `…and ${this.suppressedWarnings} more warnings like these (not listed)` });
    const values = <T>(map: Map<string, Placed<T>>): T[] => [...map.values()].map((entry) => entry.value);
    return {
      snapshot: {
        people: values(this.people),
        courses: values(this.courses),
        groups: values(this.groups),
        enrolments: this.enrolments,
      },
      warnings,
    };
  }
}

function duplicate(what: string, first: RowPlace, second: RowPlace, before: string, after: string): SmsImportError {
  const firstPlace = first.file === second.file ? `line ${first.line}` : `${first.file} line ${first.line}`;
  return new SmsImportError(
    'duplicate',
    `${what} is on ${firstPlace} as ${before} and on line ${second.line} as ${after}`,
    { file: second.file, line: second.line, expected: `${before} (as on ${firstPlace})`, found: after },
  );
}

function fullName(person: SmsPerson): string {
  return `"${person.givenName} ${person.familyName}"`.replace(/ "$/, '"');
}

function describeCourse(course: SmsCourse): string {
  return `"${course.code} ${course.name}"`;
}

function describeGroup(group: SmsGroup): string {
  return `"${group.name}" in course ${group.courseSmsId}`;
}
