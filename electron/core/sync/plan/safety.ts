import type { ActiveCounts } from './applied-state';
import type { UploadPlan } from './operations';

/** settings.safety */
export interface SafetyLimits {
  maxRemovalPercent: number;
  maxRemovalCount: number;
}
export const DEFAULT_SAFETY_LIMITS: SafetyLimits = { maxRemovalPercent: 10, maxRemovalCount: 50 };

export type RemovalPopulation = 'students' | 'staff' | 'enrolments';

export interface RemovalCheck {
  population: RemovalPopulation;
  /** Suspensions and unenrolments the plan makes in this population. */
  removals: number;
  /** Active records in this population before the plan. */
  active: number;
  /** removals ÷ active, rounded, 0–100. */
  percent: number;
  /** min(maxRemovalPercent % of active, maxRemovalCount): more than this is held. */
  limit: number;
  exceeded: boolean;
}

export interface RemovalAssessment {
  /** True when the plan must wait for the admin's approval. */
  held: boolean;
  checks: RemovalCheck[];
  /** For the admin, when held; null otherwise. */
  message: string | null;
}

const number = new Intl.NumberFormat('en');

function sentence(check: RemovalCheck, verb: string, limits: SafetyLimits): string {
  const byPercent = (check.active * limits.maxRemovalPercent) / 100 <= limits.maxRemovalCount;
  const limit = byPercent
    ? `the ${number.format(limits.maxRemovalPercent)}% limit`
    : `the limit of ${number.format(limits.maxRemovalCount)}`;
  return `This upload would ${verb} ${number.format(check.removals)} of ${number.format(check.active)} ${check.population} (${check.percent}%) — more than ${limit}.`;
}

/**
 * The safety rail: a plan that would suspend or unenrol more than min(maxRemovalPercent % of the
 * active records, maxRemovalCount) in any population (students, staff, enrolments) is held for the
 * admin's approval. Usually the cause is an SMS export that lost records, not real departures.
 * `active` comes from `countActive(appliedState)`.
 */
export function assessRemovals(
  plan: UploadPlan,
  active: ActiveCounts,
  limits: SafetyLimits = DEFAULT_SAFETY_LIMITS,
): RemovalAssessment {
  const suspendedStudents = plan.suspendUsers.filter((op) => op.applied.role === 'student').length;
  const removals: Record<RemovalPopulation, number> = {
    students: suspendedStudents,
    staff: plan.suspendUsers.length - suspendedStudents,
    enrolments: plan.suspendEnrolments.length + plan.unenrol.length,
  };
  const checks = (['students', 'staff', 'enrolments'] as const).map((population): RemovalCheck => {
    const count = removals[population];
    const base = active[population];
    const limit = Math.min((base * limits.maxRemovalPercent) / 100, limits.maxRemovalCount);
    return {
      population,
      removals: count,
      active: base,
      percent: base === 0 ? (count > 0 ? 100 : 0) : Math.round((count / base) * 100),
      limit,
      exceeded: count > limit,
    };
  });
  const exceeded = checks.filter((c) => c.exceeded);
  if (exceeded.length === 0) return { held: false, checks, message: null };
  const enrolmentVerb =
    plan.suspendEnrolments.length > 0 && plan.unenrol.length > 0
      ? 'suspend or remove'
      : plan.unenrol.length > 0
        ? 'remove'
        : 'suspend';
  const sentences = exceeded.map((c) => sentence(c, c.population === 'enrolments' ? enrolmentVerb : 'suspend', limits));
  return {
    held: true,
    checks,
    message: `${sentences.join(' ')} Review and approve it, or fix the SMS export.`,
  };
}
