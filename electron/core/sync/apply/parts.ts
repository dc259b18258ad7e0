import type { Part } from '../../model';
import { OP_KINDS, type OpKind, type PlanCounts, type UploadPlan } from '../plan';

/** The parts an upload run can be recorded under. */
export type UploadPart = Extract<Part, 'profiles' | 'courses' | 'enrolments'>;

/**
 * The operation kinds each part applies. Enrolments need their users, courses and groups, so the
 * enrolments part is the whole upload; profiles and courses can run alone.
 */
export const PART_OP_KINDS: Record<UploadPart, readonly OpKind[]> = {
  profiles: ['createUsers', 'updateUsers', 'reactivateUsers', 'suspendUsers'],
  courses: ['createCourses', 'updateCourses', 'createGroups'],
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
  const out: UploadPlan = { ...plan, errors: plan.errors.filter((e) => PART_ERROR_KINDS[part].includes(e.recordKind)) };
  const counts = { ...plan.counts, total: 0, errors: out.errors.length } as PlanCounts;
  for (const kind of OP_KINDS) {
    if (!kinds.has(kind)) (out[kind] as unknown[]) = [];
    counts[kind] = out[kind].length;
    counts.total += out[kind].length;
  }
  out.counts = counts;
  return out;
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
  const keep: Partial<Record<OpKind, (op: { key: string; applied: unknown }) => boolean>> = {};
  const byKey = (op: { key: string }) => op.key === key;
  const ofPerson = (op: { applied: unknown }) => (op.applied as { person?: string } | undefined)?.person === key;
  const ofCourse = (op: { applied: unknown }) => (op.applied as { course?: string } | undefined)?.course === key;
  switch (ref.recordKind) {
    case 'person':
      for (const k of ['createUsers', 'updateUsers', 'reactivateUsers', 'suspendUsers'] as const) keep[k] = byKey;
      keep.enrol = ofPerson;
      keep.suspendEnrolments = ofPerson;
      keep.addGroupMembers = ofPerson;
      break;
    case 'course':
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
  const out: UploadPlan = {
    ...plan,
    adoptedCourses: [],
    errors: plan.errors.filter((e) => e.recordKind === ref.recordKind && e.recordKey === key),
  };
  const counts = { ...plan.counts, total: 0, errors: out.errors.length } as PlanCounts;
  for (const kind of OP_KINDS) {
    const filter = keep[kind];
    (out[kind] as unknown[]) = filter ? (plan[kind] as { key: string; applied: unknown }[]).filter(filter) : [];
    counts[kind] = out[kind].length;
    counts.total += out[kind].length;
  }
  out.counts = counts;
  return out;
}

/** The run-error record kinds each upload part covers (what a finished run may mark resolved). */
export const PART_RECORD_KINDS: Record<UploadPart, readonly string[]> = {
  profiles: ['person'],
  courses: ['course', 'group'],
  enrolments: ['person', 'course', 'group', 'enrolment', 'membership'],
};
