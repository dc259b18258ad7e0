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

/** A course or class, numbered in the order first seen, so an enrolment's key is a number, not a string. */
interface Numbered<T> extends Placed<T> {
  index: number;
}

/** A person and the enrolment keys already taken, so a repeated row is found without a key string per row. */
interface PersonEntry extends Placed<SmsPerson> {
  enrolled: EnrolmentKeys;
}

/** The roles an enrolment from a CSV can have (the mapping offers no others). */
export type CsvEnrolment = SmsEnrolment & { role: 'student' | 'teacher' };

/** A 200 MB file with a repeated row on every line must not produce a million warnings. */
const MAX_WARNINGS = 200;

/**
 * Collects records as rows stream past, and refuses contradictions as they appear. In a combined file
 * the same student and class repeat on many rows, which is fine while they agree; a person id that
 * comes back with a different name is two people sharing an id (ref F.1: key on ids, never names),
 * so it is a 'duplicate' error naming both lines.
 *
 * Memory is the snapshot (a million-row file is a million enrolments), so each stored enrolment holds
 * the one copy of its person, course and class ids kept by those maps, and the same date or outcome
 * text once, instead of the fresh strings every parsed row brings; and a repeated enrolment is found
 * by a small number per person (which course or class, which role) rather than a key string per row.
 */
export class SnapshotBuilder {
  private readonly people = new Map<string, PersonEntry>();
  private readonly courses = new Map<string, Numbered<SmsCourse>>();
  private readonly groups = new Map<string, Numbered<SmsGroup>>();
  private readonly enrolments: SmsEnrolment[] = [];
  /** Keys of enrolments whose ids no map holds (see isFirst). */
  private readonly strayKeys = new Set<string>();
  private readonly texts = new TextInterner();
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
      this.people.set(person.smsId, { value: person, place, enrolled: new EnrolmentKeys() });
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
      this.courses.set(course.smsId, { value: course, place, index: this.courses.size });
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
      this.groups.set(group.smsId, { value: group, place, index: this.groups.size });
      return;
    }
    if (seen.value.courseSmsId !== group.courseSmsId || seen.value.name !== group.name)
      throw duplicate(`Class id ${group.smsId}`, seen.place, place, describeGroup(seen.value), describeGroup(group));
  }

  addEnrolment(enrolment: CsvEnrolment, place: RowPlace, repeatsExpected: boolean): void {
    const person = this.people.get(enrolment.personSmsId);
    const course = this.courses.get(enrolment.courseSmsId);
    const group = enrolment.groupSmsId === undefined ? undefined : this.groups.get(enrolment.groupSmsId);
    if (!this.isFirst(enrolment, person, course, group)) {
      if (!repeatsExpected)
        this.warn({
          message: `Enrolment of ${enrolment.personSmsId} in ${enrolment.groupSmsId ?? enrolment.courseSmsId} is repeated; the first row is kept`,
          ...place,
        });
      return;
    }
    this.enrolments.push(this.stored(enrolment, person?.value.smsId, course?.value.smsId, group?.value.smsId));
  }

  /**
   * One enrolment per person, course or class, and role. A class id names one course (a second course
   * for it is a duplicate error), so the class alone tells it apart: course and class numbers interleave
   * (even, odd), and the role is the lowest bit, kept on the person.
   */
  private isFirst(
    enrolment: CsvEnrolment,
    person: PersonEntry | undefined,
    course: Numbered<SmsCourse> | undefined,
    group: Numbered<SmsGroup> | undefined,
  ): boolean {
    const target = enrolment.groupSmsId === undefined ? course && course.index * 2 : group && group.index * 2 + 1;
    if (person && target !== undefined) return person.enrolled.add(target * 2 + (enrolment.role === 'teacher' ? 1 : 0));
    // Ids the maps do not hold (never, from the importers here, which add them first): a string key.
    const key = `${enrolment.personSmsId}\u0000${enrolment.courseSmsId}\u0000${enrolment.groupSmsId ?? ''}\u0000${enrolment.role}`;
    if (this.strayKeys.has(key)) return false;
    this.strayKeys.add(key);
    return true;
  }

  /** The enrolment as kept: the maps' own id strings, shared texts, and no properties left undefined. */
  private stored(
    enrolment: CsvEnrolment,
    personSmsId = enrolment.personSmsId,
    courseSmsId = enrolment.courseSmsId,
    groupSmsId = enrolment.groupSmsId,
  ): SmsEnrolment {
    const kept: SmsEnrolment =
      groupSmsId === undefined
        ? { personSmsId, courseSmsId, role: enrolment.role, active: enrolment.active }
        : { personSmsId, courseSmsId, groupSmsId, role: enrolment.role, active: enrolment.active };
    if (enrolment.startDate !== undefined) kept.startDate = this.texts.shared(enrolment.startDate);
    if (enrolment.endDate !== undefined) kept.endDate = this.texts.shared(enrolment.endDate);
    if (enrolment.outcome !== undefined) kept.outcome = this.texts.shared(enrolment.outcome);
    return kept;
  }

  finish(): { snapshot: SmsSnapshot; warnings: SmsWarning[] } {
    const warnings = [...this.warnings];
    if (this.suppressedWarnings > 0)
      warnings.push({ message: `…and ${this.suppressedWarnings} more warnings like these (not listed)` });
    const values = <T>(map: Map<string, Placed<T>>): T[] => Array.from(map.values(), (entry) => entry.value);
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

/**
 * The enrolment keys one person already has. Most people have a handful, so a short array of small
 * integers (4 bytes each) is both the smallest form and the fastest to scan; a teacher with many
 * classes moves to a Set once the array would make every lookup slow.
 */
class EnrolmentKeys {
  private static readonly MAX_SCANNED = 32;
  private keys: number[] | Set<number> = [];

  /** Adds `key`; false when it was already there. */
  add(key: number): boolean {
    const keys = this.keys;
    if (keys instanceof Set) {
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    }
    if (keys.includes(key)) return false;
    if (keys.length < EnrolmentKeys.MAX_SCANNED) keys.push(key);
    else this.keys = new Set([...keys, key]);
    return true;
  }
}

/**
 * One copy of each repeated text (a date, an outcome code): every parsed row brings its own string, and
 * a million copies of "2026-02-02" would be a large part of the snapshot. Bounded, so a column of
 * distinct values costs no more than not interning it.
 */
class TextInterner {
  private static readonly MAX_KEPT = 10_000;
  private readonly kept = new Map<string, string>();

  shared(text: string): string {
    const known = this.kept.get(text);
    if (known !== undefined) return known;
    if (this.kept.size < TextInterner.MAX_KEPT) this.kept.set(text, text);
    return text;
  }
}
