import { SmsImportError, type SmsPerson, type SmsSnapshot, type SmsWarning } from '../../contract';
import type { RosterFile } from './columns';
import type { FileMode } from './manifest';
import type { OneRosterVersion } from './options';
import type { RowNotes } from './row-notes';
import type { RosterSource } from './source';
import type { RecordStatus } from './values';

/** What the file readers collect; a map is absent when its file is absent from the manifest. */
export interface SessionRecord {
  startDate: string;
  endDate: string;
  /** "Term 1", "2026 Semester 2": what a course's `term` field says (course category and template rules). */
  title?: string;
}

export interface CourseRecord {
  status: RecordStatus;
  title: string;
  code: string;
  schoolYearSourcedId: string;
  /** The subjects column, comma-separated as OneRoster lists them ("" when absent). */
  subjects: string;
}

export interface ClassRecord {
  status: RecordStatus;
  title: string;
  classCode: string;
  courseSourcedId: string;
  schoolSourcedId: string;
  termSourcedIds: string[];
  /** The subjects column, comma-separated as OneRoster lists them ("" when absent). */
  subjects: string;
}

export interface UserRecord {
  status: RecordStatus;
  /** role is provisional until the OneRoster role is known (users.role in 1.1, roles.csv in 1.2). */
  person: SmsPerson;
  oneRosterRole?: string;
  /** agentSourcedIds: a student's guardians, or a guardian's students (build-guardians.ts). */
  agents?: string[];
}

export interface EnrollmentRecord {
  status: RecordStatus;
  sourcedId: string;
  userSourcedId: string;
  classSourcedId: string;
  role: string;
  beginDate?: string;
  endDate?: string;
  line: number;
}

export interface RosterData {
  version: OneRosterVersion;
  modes: Map<RosterFile, FileMode>;
  orgs?: Set<string>;
  sessions?: Map<string, SessionRecord>;
  courses?: Map<string, CourseRecord>;
  classes?: Map<string, ClassRecord>;
  users?: Map<string, UserRecord>;
  /** 1.2: user sourcedId → the role from roles.csv (the primary one when there are several). */
  roles?: Map<string, { role: string; primary: boolean }>;
}

export interface ReadContext {
  source: RosterSource;
  data: RosterData;
  warnings: SmsWarning[];
  notes: RowNotes;
  maxRecordChars: number;
  courseFrom: 'class' | 'course';
  /** The base snapshot's ids, worked out on first use (only a delta's references need them). */
  baseIds?: () => { users: Set<string>; classes: Set<string> } | undefined;
  /**
   * Where each enrollments.csv row goes as it is read (the snapshot's enrolment builder): a million rows
   * are never held as records.
   */
  onEnrollment?: (record: EnrollmentRecord) => void;
}

export function modeOf(ctx: ReadContext, file: RosterFile): FileMode {
  return ctx.data.modes.get(file) ?? 'absent';
}

/**
 * Whether a referenced id exists. A reference is checked against a file read in bulk (the complete set),
 * and for users and classes also against the base snapshot in a delta; a reference into a file that is
 * absent or a delta (which lists only changes) cannot be checked and is accepted.
 */
export function referenceExists(ctx: ReadContext, target: RosterFile, id: string): boolean {
  const mode = modeOf(ctx, target);
  const inFile = (() => {
    switch (target) {
      case 'orgs':
        return ctx.data.orgs?.has(id);
      case 'academicSessions':
        return ctx.data.sessions?.has(id);
      case 'courses':
        return ctx.data.courses?.has(id);
      case 'classes':
        return ctx.data.classes?.has(id);
      case 'users':
        return ctx.data.users?.has(id);
      default:
        return undefined;
    }
  })();
  if (inFile) return true;
  if (mode === 'bulk') return false;
  const baseIds = target === 'users' || target === 'classes' ? ctx.baseIds?.() : undefined;
  if (baseIds) return baseIds[target as 'users' | 'classes'].has(id);
  return true;
}

/** The ids a delta's references may point at in the base snapshot. */
export function baseIdsOf(
  base: SmsSnapshot,
  courseFrom: 'class' | 'course',
): { users: Set<string>; classes: Set<string> } {
  return {
    users: new Set(base.people.map((p) => p.smsId)),
    classes: new Set((courseFrom === 'class' ? base.courses : base.groups).map((c) => c.smsId)),
  };
}

/**
 * A reference ClassBridge does not resolve (orgs, and sessions, which only give dates): pointing nowhere
 * is a collapsed warning, since the record loses nothing it would keep (a class without term dates is
 * still a class).
 */
export function noteReference(
  ctx: ReadContext,
  file: string,
  line: number,
  field: string,
  target: RosterFile,
  id: string,
): boolean {
  if (referenceExists(ctx, target, id)) return true;
  ctx.notes.tally.note(file, line, field, `${field} refers to a ${target} record that does not exist`, id);
  return false;
}

export function checkReference(
  ctx: ReadContext,
  file: string,
  line: number,
  field: string,
  target: RosterFile,
  id: string,
): void {
  if (referenceExists(ctx, target, id)) return;
  throw new SmsImportError('reference', `${field} refers to a ${target} record that does not exist`, {
    file,
    line,
    field,
    expected: `a sourcedId from ${target}.csv`,
    found: id,
  });
}
