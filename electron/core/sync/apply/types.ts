import type { ParentsApplyReport } from './parents';
import type { AdapterLogger, LmsAdapter } from '../../../../adapters/contract';
import type { Store } from '../../store/store';
import type { AppliedState, OpKind, UploadPlan } from '../plan';

/** What `applyPlan` needs. */
export interface ApplyInput {
  adapter: LmsAdapter;
  store: Store;
  connectionId: string;
  plan: UploadPlan;
  /** The run that per-record errors are attached to. */
  runId: number;
  /** The applied state the plan was made from (`readAppliedState`). */
  applied: AppliedState;
  logger?: AdapterLogger;
  /** Checked between batches: an abort stops the apply like a connection error (state persisted). */
  signal?: AbortSignal;
  /** SMS course id → course code, for the `course` column of run errors (SMS id when absent). */
  courseCodes?: ReadonlyMap<string, string>;
  /**
   * Records per adapter call (default RECORDS_PER_APPLY_CALL, adapters/lms/moodle/batch-sizes.ts: a write
   * request for each request in flight; the only LMS adapter is Moodle's, so its sizes are the default). Each
   * call's learnt ids are journalled before the next call, so this bounds what a crash can leave unjournalled.
   */
  batchSize?: number;
  /** Called as operations end (after each batch): how far the apply is, for the dashboard's progress bar. */
  onProgress?: (progress: ApplyProgress) => void;
}

export interface ApplyProgress {
  kind: OpKind;
  /** Operations ended so far (ok, failed or skipped). */
  done: number;
  /** Operations in the plan. */
  total: number;
}

/** Per operation kind: records sent to the LMS, how they ended, and those not sent. */
export interface KindCounts {
  /** Records passed to the adapter. */
  sent: number;
  /** Succeeded, including creates that found the record already in the LMS (linked). */
  ok: number;
  failed: number;
  /** Not sent: a user, course or group they need is missing (its create failed), or the adapter cannot do it. */
  skipped: number;
}

/** link-decision: a user not created because an existing LMS account waits for the admin's decision (or they chose Skip). */
export type SkipCause = 'missing-dependency' | 'not-supported' | 'link-decision';

export interface SkippedOp {
  kind: OpKind;
  key: string;
  cause: SkipCause;
  /** What is missing, e.g. "user S17". */
  detail: string;
}

/** What one apply did. */
export interface ApplyReport {
  kinds: Record<OpKind, KindCounts>;
  /** Users, courses, groups, enrolments and memberships made. */
  created: number;
  /** Creates that found the record already in the LMS and linked it instead (e.g. after a crash). */
  linked: number;
  /** Updates, reactivations and enrolment changes. */
  updated: number;
  /** Suspensions, unenrolments and membership removals. */
  removed: number;
  /** Records already applied that the plan did not need to touch. */
  unchanged: number;
  failed: number;
  skipped: number;
  /** Things the adapter had to do that an admin may want to know (e.g. a batch shrunk after truncation). */
  notes: string[];
  /** The first skipped operations (at most 50), with why. */
  skippedOps: SkippedOp[];
  /** The applied state as persisted at the end. */
  state: AppliedState;
  /** The parents rule's part (sync/apply/parents.ts), already counted in the totals above. */
  parents?: ParentsApplyReport;
}
