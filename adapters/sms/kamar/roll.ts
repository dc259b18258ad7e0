import type { SmsCourse, SmsEnrolment, SmsGroup, SmsPerson, SmsSnapshot } from '../../contract';
import type { RollKey } from './chunk';
import { caregiverSnapshot, caregiversFromSnapshot, type KamarCaregiver } from './caregivers';
import type { KamarPersonRecord, KamarSubjectRecord } from './records';

/**
 * The school roll as KAMAR has told it so far, merged record by record (ref A.1: a roll arrives in
 * several POSTs, so each one is merged, never a replacement). Mapping (ref A.4, "Mapping for
 * ClassBridge"): KAMAR subject → course (smsId = subject code); subject + coreoption → group
 * (smsId "SUBJ-COREOPTION", wing5wong's convention); each class membership → an enrolment, role
 * 'student' from students' groups and 'teacher' from staff groups. A person in two classes of one
 * subject (KAMAR's own sample does this) gets one enrolment row per class; the intake merges them
 * into one enrolment with both classes as group memberships.
 */
export class RollState {
  private readonly people = new Map<string, SmsPerson>();
  private readonly enrolments = new Map<string, SmsEnrolment[]>();
  private readonly courses = new Map<string, SmsCourse>();
  private readonly groups = new Map<string, SmsGroup>();
  private readonly subjectNames = new Map<string, string>();
  /** Students' caregivers by student id (only read while a parents rule is on: caregivers.ts). */
  private caregivers = new Map<string, readonly KamarCaregiver[]>();
  /** Distinct people per role, for the count check (counts.ts) without scanning the roll per chunk. */
  private readonly roleCounts = { student: 0, staff: 0 };

  /** Seeds from a snapshot the app stored, so a `part` push after a restart has a roll to update. */
  static fromSnapshot(snapshot: SmsSnapshot): RollState {
    const state = new RollState();
    for (const person of snapshot.people) state.setPerson(person);
    for (const course of snapshot.courses) state.courses.set(course.smsId, course);
    for (const group of snapshot.groups) state.groups.set(group.smsId, group);
    state.caregivers = caregiversFromSnapshot(snapshot.guardians, snapshot.guardianLinks);
    const roleOf = new Map(snapshot.people.map((p) => [p.smsId, p.role]));
    for (const enrolment of snapshot.enrolments) {
      const role = roleOf.get(enrolment.personSmsId) ?? (enrolment.role === 'teacher' ? 'staff' : 'student');
      const key = `${role}:${enrolment.personSmsId}`;
      state.enrolments.set(key, [...(state.enrolments.get(key) ?? []), enrolment]);
    }
    return state;
  }

  get peopleCount(): number {
    return this.people.size;
  }

  /** Distinct records of one payload key so far: a resent chunk does not count twice. */
  distinct(key: RollKey): number {
    if (key === 'subjects') return this.subjectNames.size;
    return key === 'staff' ? this.roleCounts.staff : this.roleCounts.student;
  }

  /** Adds or replaces one person with all of their class memberships (a later chunk or retry wins). */
  addPerson({ person, classes, caregivers }: KamarPersonRecord): void {
    const key = this.setPerson(person);
    if (person.role === 'student') {
      if (caregivers && caregivers.length > 0) this.caregivers.set(person.smsId, caregivers);
      else if (caregivers) this.caregivers.delete(person.smsId);
    }
    const seen = new Set<string>();
    const enrolments: SmsEnrolment[] = [];
    for (const { subject, coreoption } of classes) {
      const groupSmsId = coreoption ? `${subject}-${coreoption}` : subject;
      if (seen.has(groupSmsId)) continue;
      seen.add(groupSmsId);
      if (!this.courses.has(subject)) this.courses.set(subject, { smsId: subject, code: subject, name: subject });
      if (!this.groups.has(groupSmsId)) {
        this.groups.set(groupSmsId, { smsId: groupSmsId, courseSmsId: subject, name: groupSmsId });
      }
      enrolments.push({
        personSmsId: person.smsId,
        courseSmsId: subject,
        groupSmsId,
        role: person.role === 'staff' ? 'teacher' : 'student',
        active: person.active,
      });
    }
    this.enrolments.set(key, enrolments);
  }

  addSubject({ code, name }: KamarSubjectRecord): void {
    this.subjectNames.set(code, name);
  }

  /**
   * A `part` push: a new roll where the people it carries replace theirs (with their enrolments) and
   * nobody else changes. This roll is left as it was, so when the app could not store the result the
   * receiver still has the roll the app did store to apply the next push onto.
   */
  withDelta(delta: RollState): RollState {
    const next = this.copy();
    for (const [key, person] of delta.people) {
      next.setPerson(person);
      next.enrolments.set(key, delta.enrolments.get(key) ?? []);
      if (person.role === 'student' && delta.caregivers.has(person.smsId))
        next.caregivers.set(person.smsId, delta.caregivers.get(person.smsId)!);
    }
    for (const [id, course] of delta.courses) if (!next.courses.has(id)) next.courses.set(id, course);
    for (const [id, group] of delta.groups) if (!next.groups.has(id)) next.groups.set(id, group);
    for (const [code, name] of delta.subjectNames) next.subjectNames.set(code, name);
    return next;
  }

  /** A shallow copy: records and enrolment lists are replaced whole, never changed in place, so sharing them is safe. */
  private copy(): RollState {
    const next = new RollState();
    for (const [key, person] of this.people) next.people.set(key, person);
    for (const [key, list] of this.enrolments) next.enrolments.set(key, list);
    for (const [id, course] of this.courses) next.courses.set(id, course);
    for (const [id, group] of this.groups) next.groups.set(id, group);
    for (const [code, name] of this.subjectNames) next.subjectNames.set(code, name);
    next.caregivers = new Map(this.caregivers);
    next.roleCounts.student = this.roleCounts.student;
    next.roleCounts.staff = this.roleCounts.staff;
    return next;
  }

  private setPerson(person: SmsPerson): string {
    const key = keyOf(person);
    if (!this.people.has(key)) this.roleCounts[person.role] += 1;
    this.people.set(key, person);
    return key;
  }

  /**
   * Courses and groups appear only while someone is enrolled in them (a subject list alone makes none).
   * Caregivers only with `caregivers` (a parents rule on): off, none is stored, not even the last roll's.
   */
  toSnapshot(options: { caregivers?: boolean } = {}): SmsSnapshot {
    const enrolments: SmsEnrolment[] = [];
    const courseIds = new Set<string>();
    const groupIds = new Set<string>();
    for (const list of this.enrolments.values()) {
      for (const enrolment of list) {
        enrolments.push(enrolment);
        courseIds.add(enrolment.courseSmsId);
        if (enrolment.groupSmsId !== undefined) groupIds.add(enrolment.groupSmsId);
      }
    }
    const courses: SmsCourse[] = [];
    for (const id of courseIds) {
      const course = this.courses.get(id) ?? { smsId: id, code: id, name: id };
      const name = this.subjectNames.get(id);
      courses.push(name ? { ...course, name } : course);
    }
    const groups: SmsGroup[] = [];
    for (const id of groupIds) {
      const group = this.groups.get(id);
      if (group) groups.push(group);
    }
    // Caregivers of students still on the roll only (a link needs its child in the snapshot).
    const caregivers = new Map([...this.caregivers].filter(([id]) => this.people.has(`student:${id}`)));
    const guardians = options.caregivers ? caregiverSnapshot(caregivers) : {};
    return { people: [...this.people.values()], courses, groups, enrolments, ...guardians };
  }
}

/** Students (numeric ids) and staff (codes) are kept apart so an id can never collide across roles. */
function keyOf(person: SmsPerson): string {
  return `${person.role}:${person.smsId}`;
}
