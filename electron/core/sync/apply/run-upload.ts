import { LmsError, type AdapterLogger, type LmsAdapter } from '../../../../adapters/contract';
import type { LmsConnection, Settings } from '../../model';
import type { Store } from '../../store/store';
import {
  assessRemovals,
  countActive,
  planUpload,
  type PlanCounts,
  type PlanOptions,
  type RemovalAssessment,
} from '../plan';
import { readAppliedState } from '../upload/preview-upload';
import { applyPlan } from './apply-plan';
import { planForPart, type UploadPart } from './parts';
import type { ApplyReport } from './types';

export interface RunUploadInput {
  adapter: LmsAdapter;
  store: Store;
  connection: LmsConnection;
  settings: Settings;
  trigger: 'manual' | 'schedule';
  /**
   * Which part the run is recorded under and applies. 'enrolments' (the default) is the whole upload:
   * an enrolment needs its user and course, so running it runs profiles and courses too.
   * 'profiles' applies only the user operations, 'courses' only course and group creation/updates.
   */
  part?: UploadPart;
  /** Planner choices other than the time zone (which comes from settings), e.g. allowCourseCreation. */
  planOptions?: Omit<PlanOptions, 'timeZone'>;
  /** The admin approved this plan's removals: apply even past the safety rail. */
  approveRemovals?: boolean;
  logger?: AdapterLogger;
  signal?: AbortSignal;
  /** Records per adapter call (see ApplyInput.batchSize). */
  batchSize?: number;
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
}

/**
 * One upload run to one LMS connection: records the run, plans from the persisted applied state, the
 * snapshot and the connection's courses, holds the plan when the safety rail says so (nothing is
 * applied), applies it, and finishes the run ok / partial / failed with its counts. A connection-level
 * LmsError ends the run failed and is returned (not thrown); anything else is thrown after the run is closed.
 */
export async function runUpload(input: RunUploadInput): Promise<UploadRunResult> {
  const { store, connection, settings } = input;
  const part = input.part ?? 'enrolments';
  const runId = store.runs.start(connection.id, part, input.trigger);
  try {
    const applied = readAppliedState(store, connection.id);
    const snapshot = store.snapshot.read();
    const full = planUpload({
      connectionId: connection.id,
      snapshot,
      mapping: connection.mapping,
      lmsCourses: store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] }),
      applied,
      options: { ...input.planOptions, timeZone: settings.timeZone },
    });
    const plan = planForPart(full, part);
    const removals = assessRemovals(plan, countActive(applied), settings.safety);
    if (removals.held && !input.approveRemovals) {
      const message = removals.message ?? 'The upload was held for approval.';
      store.runs.finish(runId, 'held', { planned: plan.counts.total }, message);
      return { runId, outcome: 'held', message, planned: plan.counts, removals };
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
    const courseCodes = new Map(snapshot.courses.map((c) => [c.smsId, c.code]));
    let report: ApplyReport;
    try {
      report = await applyPlan({
        adapter: input.adapter,
        store,
        connectionId: connection.id,
        plan,
        runId,
        applied,
        courseCodes,
        ...(input.logger ? { logger: input.logger } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
      });
    } catch (err) {
      if (!(err instanceof LmsError)) throw err;
      const message = `The upload stopped: ${err.message}${err.fix ? ` ${err.fix}` : ''} What was applied before is kept.`;
      store.runs.finish(runId, 'failed', { planned: plan.counts.total }, message);
      return { runId, outcome: 'failed', message, planned: plan.counts, removals, error: err };
    }
    const dependencySkips = report.skippedOps.some((s) => s.cause === 'missing-dependency');
    const outcome = report.failed > 0 || plan.errors.length > 0 || dependencySkips ? 'partial' : 'ok';
    const message = describeReport(report, plan.errors.length);
    store.runs.finish(runId, outcome, runCounts(report, plan.counts, plan.errors.length), message);
    return { runId, outcome, message, planned: plan.counts, removals, report };
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
