import type { LmsCourse, Mapping, Snapshot } from '../../model';
import type { AppliedState } from './applied-state';
import type { LeaveAloneMarks } from './leave-alone';
import type { AppliedCohorts } from './cohorts';

/** Choices that are not part of the connection's mapping. */
export interface PlanOptions {
  /**
   * Create an LMS course for an SMS course no LMS course matches (in `mapping.newCourseCategoryId`).
   * Off by default: the admin opts in. Courses ClassBridge creates are synced at once (treated as Open).
   */
  allowCourseCreation?: boolean;
  /** The school's time zone (settings.timeZone): SMS dates are days there. Default UTC. */
  timeZone?: string;
  /** How new users sign in. Default `{ auth: 'manual', createPassword: true }` (the LMS emails a password). */
  newUsers?: { auth?: string; createPassword?: boolean };
}

/** Everything a plan depends on. The planner reads nothing else, so it is a pure function of this. */
export interface PlanInput {
  connectionId: string;
  /** The validated SMS snapshot (keys are SMS ids). */
  snapshot: Snapshot;
  /** The LMS connection's mapping (MappingSchema-parsed, so defaults are filled). */
  mapping: Mapping;
  /** The connection's LMS courses with their states (Deleted included); only Open ones take enrolments. */
  lmsCourses: readonly LmsCourse[];
  /** What was last applied to this connection (`emptyAppliedState()` the first time). */
  applied: AppliedState;
  options?: PlanOptions;
  /** People and courses ClassBridge does not touch on this connection (store.leaveAlone.sets). */
  leaveAlone?: LeaveAloneMarks;
  /** The cohorts ClassBridge made and the members it added (plan/cohorts.ts). Absent: no cohort is planned. */
  cohorts?: AppliedCohorts;
}

/**
 * Choosing a category for new courses (mapping.newCourseCategoryId, the wizard's mapping step) is the
 * admin's yes to ClassBridge creating the SMS courses the LMS lacks; without one it only matches.
 * Upload, preview and reconcile all plan with this, so the dry run shows what Apply does.
 */
export function courseCreationAllowed(mapping: Pick<Mapping, 'newCourseCategoryId' | 'courseCategories'>): boolean {
  // Category rules are a yes too: a course no rule matches (and no fallback) is a planning error.
  return mapping.newCourseCategoryId !== undefined || (mapping.courseCategories?.length ?? 0) > 0;
}
