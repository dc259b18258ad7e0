/**
 * The upload plan: a pure diff of the SMS snapshot against what was last applied to one LMS
 * connection. The engine's upload is
 *
 *   const plan = planUpload({ connectionId, snapshot, mapping, lmsCourses, applied, options });
 *   const safety = assessRemovals(plan, countActive(applied), settings.safety);
 *   if (safety.held) → keep the plan for approval (safety.message tells the admin why)
 *   else → apply the operations in OP_KINDS order, resolving placeholders with resolveRecord,
 *          then applied = applyPlanToState(applied, plan, learntIds, { failed }) and persist it.
 *
 * `preview(plan)` is the dry run (counts, one sentence, first records of each kind).
 */

/** Diffs a snapshot against the applied state: `planUpload(input: PlanInput): UploadPlan`. */
export { planUpload } from './plan-upload';
export { heldPlanDetails, removalFingerprint, removalKeys } from './held-plan';
export { courseCreationAllowed, type PlanInput, type PlanOptions } from './plan-input';
/** The admin's "ClassBridge does not touch this": `leaveAlone(plan, marks, …)` and the rail's baseline. */
export {
  leaveAlone,
  leftAloneSentence,
  withoutLeftAlone,
  type LeaveAloneMarks,
  type LeftAloneSummary,
} from './leave-alone';

/** What was last applied, per SMS key, and the LMS ids learnt; JSON, validated by AppliedStateSchema. */
export {
  AppliedStateSchema,
  APPLIED_STATE_VERSION,
  countActive,
  emptyAppliedState,
  enrolmentKey,
  membershipKey,
  type ActiveCounts,
  type AppliedCourse,
  type AppliedEnrolment,
  type AppliedGroup,
  type AppliedLinks,
  type AppliedMembership,
  type AppliedPerson,
  type AppliedState,
} from './applied-state';

/** The new applied state after an apply: `applyPlanToState(state, plan, ids, { failed })`. */
export {
  applyPlanToState,
  stateEffects,
  type ApplyToStateOptions,
  type LearntIds,
  type StateEffectsOptions,
  type StateSection,
  type StateSink,
} from './apply-to-state';

/** Operations, references (LMS id or SMS placeholder), errors and counts. */
export {
  OP_KINDS,
  SKIP_REASONS,
  selectOperations,
  type SelectableOp,
  type AddGroupMemberOp,
  type AdoptedCourse,
  type CourseIdRef,
  type CoursePlaceholder,
  type CreateCourseOp,
  type CreateGroupOp,
  type CreateUserOp,
  type DeletedCourseSkip,
  type EnrolOp,
  type GroupIdRef,
  type GroupPlaceholder,
  type OpKind,
  type PersonPlaceholder,
  type PlanCounts,
  type PlannedCourseUpdate,
  type PlannedEnrolment,
  type PlannedGroup,
  type PlannedGroupMember,
  type PlannedUnenrolment,
  type PlannedUserUpdate,
  type PlanningError,
  type PlanOp,
  type PlanOperations,
  type ReactivateUserOp,
  type RemoveGroupMemberOp,
  type SkipCounts,
  type SkipReason,
  type SuspendEnrolmentOp,
  type SuspendUserOp,
  type UnenrolOp,
  type UpdateCourseOp,
  type UpdateUserOp,
  type UploadPlan,
  type UserIdRef,
} from './operations';

/** Placeholders → LMS ids for the apply step: `resolveRecord(plannedRecord, lookup)`. */
export {
  lookupFromLinks,
  resolveRecord,
  type IdLookup,
  type Placeholder,
  type Resolution,
  type Resolved,
} from './resolve';

export { accountExamples, signInWords, type AccountExamples } from './account-examples';
/** The dry run: `preview(plan, n = 3)` and the one-sentence `describePlan(plan)`. */
export {
  categoryExamples,
  templateExamples,
  deletedCourseSentences,
  describePlan,
  nameExamples,
  type CategoryExample,
  type TemplateExample,
  preview,
  type NameExample,
  type PlanPreview,
  type PlanSamples,
} from './preview';

/** The safety rail: `assessRemovals(plan, activeCounts, settings.safety)`. */
export {
  assessRemovals,
  assessUploadRemovals,
  DEFAULT_SAFETY_LIMITS,
  type RemovalAssessment,
  type RemovalCheck,
  type RemovalPopulation,
  type SafetyLimits,
} from './safety';

/** Cohorts from the mapping's cohort rules (plan/cohorts.ts). */
export {
  cohortExamples,
  cohortKey,
  cohortMemberKey,
  emptyAppliedCohorts,
  planCohorts,
  unknownCohortFields,
  COHORT_IDNUMBER_PREFIX,
  type AddCohortMemberOp,
  type AppliedCohorts,
  type CreateCohortOp,
  type PlannedCohortMember,
  type RemoveCohortMemberOp,
} from './cohorts';

/** Moodle's username rule, for the wizard's preview of a mapping. */
export { checkUsername, MAX_USERNAME_LENGTH, type UsernameCheck } from './usernames';
/** The term lifecycle: rollover pauses and the ended-course rule (plan/lifecycle.ts). */
export {
  activeRolloverPause,
  endedCourseChanges,
  withoutRemovals,
  REMOVAL_OP_KINDS,
  type ActivePause,
  type ClosingCourse,
  type EndedCourseChanges,
} from './lifecycle';
/** Parents and guardians (plan/parents.ts): their accounts and parent roles in children's user contexts. */
export {
  parentExamples,
  parentIdnumber,
  parentRemovalKeys,
  planParents,
  withoutParentRemovals,
  withParents,
  PARENT_IDNUMBER_PREFIX,
  type ParentsPlan,
  type ParentsPlanInput,
} from './parents';
export type {
  AssignParentRoleOp,
  CreateParentUserOp,
  ParentOperations,
  UnassignParentRoleOp,
  UpdateParentUserOp,
} from './operations';
