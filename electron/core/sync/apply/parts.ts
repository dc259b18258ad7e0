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
