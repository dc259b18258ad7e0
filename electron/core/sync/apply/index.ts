/**
 * Applying an upload plan to one LMS, idempotently and resumably. The engine's upload is one call:
 *
 *   const result = await runUpload({ adapter, store, connection, settings, trigger: 'manual' });
 *   // result.outcome: 'ok' | 'partial' | 'failed' | 'held'; result.error (LmsError) when the connection failed
 *
 * `applyPlan` is the step inside it, for callers that plan themselves. A plan the safety rail holds is
 * recorded in store.heldPlans; once the admin approves it, the next runUpload applies those removals.
 */

/** Runs one upload: run record, plan, safety rail, apply, outcome and counts. */
export { runUpload, runCounts, type RunUploadInput, type UploadRunResult } from './run-upload';

/** Applies a plan in OP_KINDS order; journals ids to store.links and persists the applied state per kind. */
export { applyPlan } from './apply-plan';
export type { ApplyInput, ApplyProgress, ApplyReport, KindCounts, SkipCause, SkippedOp } from './types';

/** Which operation kinds an upload of one kind of record applies, and the plan restricted to that kind. */
export { KIND_OP_KINDS, KIND_RECORD_KINDS, planForKind, planForRecord, type RecordRef, type UploadPart } from './parts';
