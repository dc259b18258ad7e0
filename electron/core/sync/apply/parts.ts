import type { Part, UploadKind } from '../../model';
import { OP_KINDS, selectOperations, type OpKind, type SelectableOp, type UploadPlan } from '../plan';

/** The part an upload run is recorded under. */
export type UploadPart = Extract<Part, 'upload'>;

/**
 * The operation kinds an upload kept to one kind of record applies. Enrolments need their users,
 * courses and groups, so 'enrolments' is the whole upload; profiles and courses can be sent alone.
 */
export const KIND_OP_KINDS: Record<UploadKind, readonly OpKind[]> = {
  profiles: ['rekeyPeople', 'createUsers', 'updateUsers', 'reactivateUsers', 'suspendUsers'],
  courses: ['rekeyCourses', 'createCourses', 'updateCourses', 'createGroups'],
  enrolments: OP_KINDS,
};

const KIND_ERROR_KINDS: Record<UploadKind, readonly string[]> = {
  profiles: ['person'],
  courses: ['course', 'group'],
  enrolments: ['person', 'course', 'group', 'enrolment'],
};

/** The plan with only the operations (and planning errors) of one kind of record; the rest waits for the next upload. */
export function planForKind(plan: UploadPlan, kind: UploadKind): UploadPlan {
  if (kind === 'enrolments') return plan;
  const kinds = new Set(KIND_OP_KINDS[kind]);
  return selectOperations(
    plan,
    (op) => kinds.has(op),
    (e) => KIND_ERROR_KINDS[kind].includes(e.recordKind),
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
      keep.addCohortMembers = ofPerson;
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
    case 'cohort':
      keep.createCohorts = byKey;
      keep.addCohortMembers = (op) => (op.applied as { cohort?: string } | undefined)?.cohort === key;
      break;
    case 'cohort-membership':
      keep.addCohortMembers = byKey;
      keep.removeCohortMembers = byKey;
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

/** The run-error record kinds an upload of each kind covers (what a finished run may mark resolved). */
export const KIND_RECORD_KINDS: Record<UploadKind, readonly string[]> = {
  profiles: ['person'],
  courses: ['course', 'group'],
  enrolments: ['person', 'course', 'group', 'enrolment', 'membership', 'cohort', 'cohort-membership'],
};
