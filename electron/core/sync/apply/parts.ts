import type { Part } from '../../model';
import { OP_KINDS, selectOperations, type OpKind, type SelectableOp, type UploadPlan } from '../plan';

/** The parts an upload run can be recorded under. */
export type UploadPart = Extract<Part, 'profiles' | 'courses' | 'enrolments'>;

/**
 * The operation kinds each part applies. Enrolments need their users, courses and groups, so the
 * enrolments part is the whole upload; profiles and courses can run alone.
 */
export const PART_OP_KINDS: Record<UploadPart, readonly OpKind[]> = {
  profiles: ['rekeyPeople', 'createUsers', 'updateUsers', 'reactivateUsers', 'suspendUsers'],
  courses: ['rekeyCourses', 'createCourses', 'updateCourses', 'createGroups'],
  enrolments: OP_KINDS,
};

const PART_ERROR_KINDS: Record<UploadPart, readonly string[]> = {
  profiles: ['person'],
  courses: ['course', 'group'],
  enrolments: ['person', 'course', 'group', 'enrolment'],
};

/** The plan with only the operations (and planning errors) of one part; the rest stays for its own run. */
export function planForPart(plan: UploadPlan, part: UploadPart): UploadPlan {
  if (part === 'enrolments') return plan;
  const kinds = new Set(PART_OP_KINDS[part]);
  return selectOperations(
    plan,
    (kind) => kinds.has(kind),
    (e) => PART_ERROR_KINDS[part].includes(e.recordKind),
  );
}

/** A record a run error names: what "Retry" on that error re-sends. */
export interface RecordRef {
  recordKind: string;
  recordKey: string;
}

/**
 * The plan with only the operations for one record — and, for a person or a course, what waited on
 * it (their enrolments, its groups), so retrying a student who could not be created also enrols them.
 */
export function planForRecord(plan: UploadPlan, ref: RecordRef): UploadPlan {
  const key = ref.recordKey;
  const ofPerson = (op: SelectableOp) => (op.applied as { person?: string } | undefined)?.person === key;
  const ofCourse = (op: SelectableOp) => (op.applied as { course?: string } | undefined)?.course === key;
  const keep: Partial<Record<OpKind, (op: SelectableOp) => boolean>> = {};
  const byKey = (op: SelectableOp) => op.key === key;
  switch (ref.recordKind) {
    case 'person':
      for (const k of ['rekeyPeople', 'createUsers', 'updateUsers', 'reactivateUsers', 'suspendUsers'] as const)
        keep[k] = byKey;
      keep.enrol = ofPerson;
      keep.suspendEnrolments = ofPerson;
      keep.addGroupMembers = ofPerson;
      break;
    case 'course':
      keep.rekeyCourses = byKey;
      keep.createCourses = byKey;
      keep.updateCourses = byKey;
      keep.createGroups = ofCourse;
      break;
    case 'group':
      keep.createGroups = byKey;
      break;
    case 'enrolment':
      keep.enrol = byKey;
      keep.suspendEnrolments = byKey;
      keep.unenrol = byKey;
      break;
    case 'membership':
      keep.addGroupMembers = byKey;
      keep.removeGroupMembers = byKey;
      break;
    default:
      break;
  }
  return selectOperations(
    plan,
    (kind, op) => keep[kind]?.(op) ?? false,
    (e) => e.recordKind === ref.recordKind && e.recordKey === key,
    false,
  );
}

/** The run-error record kinds each upload part covers (what a finished run may mark resolved). */
export const PART_RECORD_KINDS: Record<UploadPart, readonly string[]> = {
  profiles: ['person'],
  courses: ['course', 'group'],
  enrolments: ['person', 'course', 'group', 'enrolment', 'membership'],
};
