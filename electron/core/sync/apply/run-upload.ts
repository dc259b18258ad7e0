import { LmsError, type AdapterLogger, type LmsAdapter } from '../../../../adapters/contract';
import { CohortStateRepository } from '../../store/repositories/cohort-state-repository';
import type { LmsConnection, Settings, UploadKind } from '../../model';
import type { Store } from '../../store/store';
import type { HeldPlan } from '../../model';
import {
  assessUploadRemovals,
  courseCreationAllowed,
  deletedCourseSentences,
  heldPlanDetails,
  OP_KINDS,
  removalFingerprint,
  removalKeys,
  planUpload,
  type PlanCounts,
  type PlanOptions,
  type RemovalAssessment,
  activeRolloverPause,
  withoutRemovals,
  withoutParentRemovals,
} from '../plan';
import { applyEndedCourses } from './ended-courses';
import { noExportImported } from '../upload/no-export';
import { planWithParents } from '../upload/parents';
import { readAppliedState } from '../plan/applied-state';
import { applyPlan } from './apply-plan';
import { KIND_RECORD_KINDS, planForKind, planForRecord, type RecordRef, type UploadPart } from './parts';
import type { ApplyInput, ApplyReport } from './types';

export interface RunUploadInput {
  adapter: LmsAdapter;
  store: Store;
  connection: LmsConnection;
  settings: Settings;
  trigger: 'manual' | 'schedule';
  /**
   * Which kinds of record the run sends; it is recorded as an upload run either way. 'enrolments' (the
   * default) is the whole upload: an enrolment needs its user and course, so it sends those too.
   * 'profiles' applies only the user operations, 'courses' only course and group creation/updates.
   */
  only?: UploadKind;
  /** Retry one failed record alone (the Errors page's Retry): only its operations are sent. */
  onlyRecord?: RecordRef;
  /** Planner choices other than the time zone (which comes from settings), e.g. allowCourseCreation. */
  planOptions?: Omit<PlanOptions, 'timeZone'>;
  /**
   * Apply past the safety rail without a recorded approval (`classbridge sync upload --approve-removals`,
   * typed by the admin). Runs otherwise apply removals past the limit only when an approved held plan
   * covers them (Api sync:decideHeld).
   */
  approveRemovals?: boolean;
  /** The clock the term lifecycle reads (ended courses, rollover pauses); the real one by default. */
  now?: () => Date;
  logger?: AdapterLogger;
  signal?: AbortSignal;
  /** Records per adapter call (see ApplyInput.batchSize). */
  batchSize?: number;
  onProgress?: ApplyInput['onProgress'];
}

export interface UploadRunResult {
  runId: number;
  outcome: 'ok' | 'partial' | 'failed' | 'held';
  /** What the run's record says, for the admin. */
  message: string;
  planned: PlanCounts;
  removals: RemovalAssessment;
  /** Absent when the plan was held or the apply stopped. */
  report?: ApplyReport;
  /** The connection-level error that stopped the apply (its kind drives the diagnosis). */
  error?: LmsError;
  /** When held: the plan waiting for the admin (or rejected by them). */
  heldPlan?: HeldPlan;
}

/**
 * One upload run to one LMS connection: records the run, plans from the persisted applied state, the
 * snapshot and the connection's courses, holds the plan when the safety rail says so (nothing is
 * applied), applies it, and finishes the run ok / partial / failed with its counts. A connection-level
 * LmsError ends the run failed and is returned (not thrown); anything else is thrown after the run is closed.
 */
export async function runUpload(input: RunUploadInput): Promise<UploadRunResult> {
  const { store, connection, settings } = input;
  const part: UploadPart = 'upload';
  const kind = input.only ?? 'enrolments';
  const runId = store.runs.start(connection.id, part, input.trigger);
  try {
    const missing = noExportImported(store);
    if (missing) {
      // Nothing to plan from: say so (with the step left) rather than "0 created" or removing everyone.
      store.runs.addError(runId, { recordKind: 'connection', recordKey: connection.id, ...missing });
      store.runs.finish(runId, 'failed', {}, missing.message);
      const planned = { total: 0, errors: 0, ...Object.fromEntries(OP_KINDS.map((k) => [k, 0])) } as PlanCounts;
      const removals: RemovalAssessment = { held: false, checks: [], courses: [], message: null };
      return { runId, outcome: 'failed', message: missing.message, planned, removals };
    }
    const applied = readAppliedState(store, connection.id);
    const snapshot = store.snapshot.read();
    const leaveAlone = store.leaveAlone.sets(connection.id);
    const now = input.now?.() ?? new Date();
    // Term lifecycle first, so a course closed now is left alone by this very plan (not on a one-record retry).
    const ended = input.onlyRecord
      ? undefined
      : await applyEndedCourses({ adapter: input.adapter, store, connection, settings, snapshot, applied, runId, now });
    const full = planUpload({
      connectionId: connection.id,
      snapshot,
      mapping: connection.mapping,
      lmsCourses: store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] }),
      applied,
      options: {
        allowCourseCreation: courseCreationAllowed(connection.mapping),
        ...input.planOptions,
        timeZone: settings.timeZone,
      },
      leaveAlone,
      ...(connection.mapping.cohorts ? { cohorts: new CohortStateRepository(store.db).read(connection.id) } : {}),
    });
    const selected = input.onlyRecord ? planForRecord(full, input.onlyRecord) : planForKind(full, kind);
    // The parents rule (upload/parents.ts) goes with the whole upload, or a guardian's own retry; not one kind of record.
    const plan =
      kind !== 'enrolments' && !input.onlyRecord
        ? selected
        : planWithParents(
            store,
            { connectionId: connection.id, mapping: connection.mapping, snapshot, applied, leaveAlone },
            selected,
            input.onlyRecord,
          );
    const pause = activeRolloverPause(
      connection.mapping.lifecycle?.rolloverPause,
      snapshot.courses,
      settings.timeZone,
      now,
    );
    const removals = assessUploadRemovals({
      plan,
      applied,
      leaveAlone,
      limits: settings.safety,
      courses: snapshot.courses,
      pause,
    });
    let approval: HeldPlan | undefined;
    /** Held for a rollover pause alone: the removals wait, the rest is sent. */
    let pausedRemovals: { heldPlan: HeldPlan; message: string } | undefined;
    if (removals.held && !input.approveRemovals) {
      const keys = removalKeys(plan);
      approval = store.heldPlans.approvedCovering(connection.id, part, keys);
      if (!approval) {
        const heldPlan = store.heldPlans.record({
          connectionId: connection.id,
          part,
          runId,
          fingerprint: removalFingerprint(plan),
          removalKeys: keys,
          message: removals.message ?? 'The upload was held for approval.',
          details: heldPlanDetails(plan, { courses: removals.courses, applied }),
        });
        const message =
          heldPlan.state === 'rejected'
            ? `Held: you rejected these removals${heldPlan.decidedAt ? ` on ${heldPlan.decidedAt.slice(0, 10)}` : ''}, so nothing is changed until the SMS data changes. ${removals.message ?? ''}`.trim()
            : `${removals.message ?? 'The upload was held for approval.'} ${whereToApprove(heldPlan.id)}`;
        if (!removals.pauseOnly) {
          store.runs.finish(runId, 'held', { planned: plan.counts.total }, message);
          return { runId, outcome: 'held', message, planned: plan.counts, removals, heldPlan };
        }
        // The rest of the plan goes through, so a rejection here holds back only the removals.
        pausedRemovals = {
          heldPlan,
          message:
            heldPlan.state === 'rejected'
              ? `${removals.message ?? ''} You rejected these removals${heldPlan.decidedAt ? ` on ${heldPlan.decidedAt.slice(0, 10)}` : ''}: they are not sent until the SMS data changes.`.trim()
              : message,
        };
      }
    } else if (!removals.held) {
      // Back under the limit (e.g. the SMS export was fixed): nothing is waiting for the admin any more.
      store.heldPlans.closeOpen(connection.id, part);
    }
    store.db.transaction(() => {
      for (const e of plan.errors) {
        const { recordKind, recordKey, course, message, fix } = e;
        store.runs.addError(runId, {
          recordKind,
          recordKey,
          ...(course !== undefined ? { course } : {}),
          message,
          fix,
        });
      }
    })();
    // In a rollover pause the removals wait for approval; creations and updates still go through.
    const sent = pausedRemovals ? withoutParentRemovals(withoutRemovals(plan)) : plan;
    const courseCodes = new Map(snapshot.courses.map((c) => [c.smsId, c.code]));
    let report: ApplyReport;
    try {
      report = await applyPlan({
        adapter: input.adapter,
        store,
        connectionId: connection.id,
        plan: sent,
        runId,
        applied,
        courseCodes,
        ...(input.logger ? { logger: input.logger } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      });
    } catch (err) {
      if (!(err instanceof LmsError)) throw err;
      const message = `The upload stopped: ${err.message}${err.fix ? ` ${err.fix}` : ''} What was applied before is kept.`;
      store.runs.finish(runId, 'failed', { planned: plan.counts.total }, message);
      return { runId, outcome: 'failed', message, planned: plan.counts, removals, error: err };
    }
    if (approval && report.failed === 0) store.heldPlans.markApplied(approval.id);
    const dependencySkips = report.skippedOps.some((s) => s.cause === 'missing-dependency');
    const outcome = report.failed > 0 || plan.errors.length > 0 || dependencySkips ? 'partial' : 'ok';
    store.runs.settleEarlierErrors(
      connection.id,
      runId,
      input.onlyRecord ? [input.onlyRecord.recordKind] : KIND_RECORD_KINDS[kind],
      input.onlyRecord?.recordKey,
    );
    const message = [
      describeReport(report, plan.errors.length),
      ...deletedCourseSentences(plan.skipped.deletedCourses),
      ...(ended?.notes ?? []),
      ...(pausedRemovals ? [pausedRemovals.message] : []),
    ].join(' ');
    store.runs.finish(runId, outcome, runCounts(report, sent.counts, plan.errors.length), message);
    return {
      runId,
      outcome,
      message,
      planned: sent.counts,
      removals,
      report,
      ...(pausedRemovals ? { heldPlan: pausedRemovals.heldPlan } : {}),
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    store.runs.finish(runId, 'failed', {}, `The upload stopped unexpectedly: ${reason}`);
    throw err;
  }
}

/** The run's counts: created / updated / removed / unchanged / failed, as the runs list shows them. */
export function runCounts(report: ApplyReport, planned: PlanCounts, planningErrors: number): Record<string, number> {
  return {
    planned: planned.total,
    created: report.created,
    linked: report.linked,
    updated: report.updated,
    removed: report.removed,
    unchanged: report.unchanged,
    failed: report.failed + planningErrors,
    skipped: report.skipped,
  };
}

function describeReport(report: ApplyReport, planningErrors: number): string {
  const parts = [
    `${report.created} created`,
    `${report.updated} updated`,
    `${report.removed} removed`,
    `${report.unchanged} unchanged`,
  ];
  if (report.linked > 0) parts.push(`${report.linked} found already in the LMS and linked`);
  const failed = report.failed + planningErrors;
  if (failed > 0) parts.push(`${failed} failed (see the errors)`);
  if (report.skipped > 0) parts.push(`${report.skipped} not sent`);
  return `Upload: ${parts.join(', ')}.${report.notes.length > 0 ? ` ${report.notes.join(' ')}` : ''}`;
}

/** Said in the stored run message, which the dashboard, `status` and notifications all show. */
function whereToApprove(heldPlanId: number): string {
  return `Approve or reject it under Review on the dashboard, or with \`classbridge held approve ${heldPlanId}\` / \`classbridge held reject ${heldPlanId}\`.`;
}
