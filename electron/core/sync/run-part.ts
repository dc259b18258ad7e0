import { LmsError, type AdapterLogger, type LmsAdapter } from '../../../adapters/contract';
import { createLmsAdapter } from '../lms/lms-adapter-factory';
import type { LmsConnection, Part, SmsConnection } from '../model';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { runUpload, type ApplyProgress, type RecordRef } from './apply';
import { trackCourses } from './course-tracking';
import { runReconcile } from './reconcile';
import { diagnoseFailure, recordDiagnosis } from './diagnose-failure';
import { resultsDestinationFor, ResultsDestinationError } from '../sms/results-delivery';
import { deliverResults, downloadResults } from './results';

export interface PartRunDeps {
  store: Store;
  secrets: SecretStore;
  logger: AdapterLogger;
  dataDir: string;
}

export interface PartOutcome {
  outcome: 'ok' | 'partial' | 'failed' | 'held';
  message: string;
}

export interface PartRunOptions {
  /** Upload parts: send only this record's operations (the Errors page's Retry). */
  onlyRecord?: RecordRef;
  /** Upload and reconcile: how far the apply is (for the dashboard's progress bar). */
  onProgress?: (progress: ApplyProgress) => void;
  /**
   * Shutdown (SyncService.stop): upload and reconcile finish the batch they are sending, journal it
   * and stop; the run is recorded as stopped and the next run carries on from the journal.
   */
  signal?: AbortSignal;
}

/** The count a run stopped by shutdown carries, so the next start runs that part again at once. */
export const STOPPED_COUNT = 'stopped';

/** The parts the engine schedules per LMS: the whole upload (enrolments), results, the course list and reconcile. */
export const SCHEDULED_PARTS = [
  'enrolments',
  'results',
  'course-tracking',
  'reconcile',
] as const satisfies readonly Part[];

/**
 * Runs one part for one LMS connection and records it as a run. Results go back to the SMS through
 * its own writer (sms/results-delivery.ts), or to a CSV file in the data folder where it has none.
 */
export async function runPart(
  deps: PartRunDeps,
  connectionId: string,
  part: Part,
  trigger: 'manual' | 'schedule',
  options: PartRunOptions = {},
): Promise<PartOutcome> {
  const outcome = await runPartOnce(deps, connectionId, part, trigger, options);
  if (outcome.outcome === 'ok' || outcome.outcome === 'partial') {
    const run = deps.store.runs.last(connectionId, part);
    if (run) deps.store.runs.settleConnectionErrors(connectionId, part, run.id);
  }
  return outcome;
}

async function runPartOnce(
  deps: PartRunDeps,
  connectionId: string,
  part: Part,
  trigger: 'manual' | 'schedule',
  options: PartRunOptions,
): Promise<PartOutcome> {
  if (options.signal?.aborted) return { outcome: 'failed', message: 'ClassBridge is closing; the run did not start.' };
  const connection = deps.store.connections.get(connectionId);
  if (!connection || connection.kind !== 'lms')
    return { outcome: 'failed', message: `There is no LMS connection "${connectionId}".` };
  const token = await deps.secrets.get(connection.id, 'token');
  if (!token) {
    return recordFailure(
      deps.store,
      connection,
      part,
      trigger,
      'No web-service token is stored for this LMS.',
      'Enter the token in the setup wizard (or `classbridge secret set <connection> token`).',
    );
  }
  const adapter = createLmsAdapter(
    { ...connection, knownRoles: deps.store.lmsRoles.list(connection.id) },
    token,
    deps.logger,
  );
  try {
    return await runWithAdapter(deps, connection, part, trigger, options, adapter);
  } finally {
    // Role ids found this run (learnt from participants, or a default verified) are kept for the next.
    deps.store.lmsRoles.save(connection.id, adapter.knownRoleIds());
  }
}

async function runWithAdapter(
  deps: PartRunDeps,
  connection: LmsConnection,
  part: Part,
  trigger: 'manual' | 'schedule',
  options: PartRunOptions,
  adapter: LmsAdapter,
): Promise<PartOutcome> {
  const stoppable = stoppableRun(deps.store, connection.id, part, options);
  /** A run that stopped on a connection error gets the diagnosis (site info where it still answers). */
  const diagnosed = async (result: {
    runId: number;
    outcome: PartOutcome['outcome'];
    message: string;
    error?: LmsError;
  }) => {
    if (result.error)
      recordDiagnosis(
        deps.store,
        result.runId,
        connection.id,
        await diagnoseFailure(adapter, result.error, connection.name),
      );
    return { outcome: result.outcome, message: result.message };
  };
  if (part === 'profiles' || part === 'courses' || part === 'enrolments') {
    const result = await stoppable.run(() =>
      runUpload({
        adapter,
        store: deps.store,
        connection,
        settings: deps.store.settings.get(),
        trigger,
        part,
        logger: deps.logger,
        ...(options.onlyRecord ? { onlyRecord: options.onlyRecord } : {}),
        ...stoppable.applyOptions,
      }),
    );
    return 'stopped' in result ? result.stopped : diagnosed(result);
  }
  if (part === 'reconcile') {
    const result = await stoppable.run(() =>
      runReconcile({
        adapter,
        store: deps.store,
        connection,
        settings: deps.store.settings.get(),
        trigger,
        logger: deps.logger,
        ...stoppable.applyOptions,
      }),
    );
    return 'stopped' in result ? result.stopped : diagnosed(result);
  }
  const runId = deps.store.runs.start(connection.id, part, trigger);
  try {
    if (part === 'course-tracking') {
      const counts = await trackCourses(adapter, deps.store, connection.id);
      const message = `${counts.total} courses in the LMS: ${counts.added} new, ${counts.deleted} gone.`;
      deps.store.runs.finish(runId, 'ok', { ...counts }, message);
      return { outcome: 'ok', message };
    }
    if (part === 'results') {
      const { counts, errors, notes } = await downloadResults(adapter, deps.store, connection.id, {
        ...(connection.mapping.hiddenTotals ? { hiddenTotals: connection.mapping.hiddenTotals } : {}),
      });
      for (const e of errors)
        deps.store.runs.addError(runId, {
          recordKind: e.recordKind,
          recordKey: e.recordKey,
          course: e.course,
          message: e.message,
          fix: e.fix,
        });
      const sms = deps.store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
      const destination = resultsDestinationFor(sms, connection.id, deps.dataDir, deps.store.settings.get());
      let where = destination.describe;
      const delivered = await deliverResults(
        deps.store,
        connection.id,
        async (records) => ({ where } = await destination.write(records)),
        { courseMatch: connection.mapping.courseMatch },
      );
      const outcome = errors.length > 0 ? 'partial' : 'ok';
      // Notes say why results are missing (no Open course, enrolments not started), never a silent 0.
      const message = `${counts.results} results from ${counts.courses} open courses, ${counts.changed} changed; ${delivered.delivered} delivered to ${where}.${notes.map((n) => ` ${n}`).join('')}`;
      deps.store.runs.finish(runId, outcome, { ...counts, delivered: delivered.delivered }, message);
      return { outcome, message };
    }
    deps.store.runs.finish(runId, 'failed', {}, `"${part}" is not available in this version yet.`);
    return { outcome: 'failed', message: `"${part}" is not available in this version yet.` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof LmsError) {
      recordDiagnosis(deps.store, runId, connection.id, await diagnoseFailure(adapter, err, connection.name));
    } else {
      const fix = err instanceof ResultsDestinationError ? err.fix : 'See the ClassBridge log.';
      deps.store.runs.addError(runId, { recordKind: 'connection', recordKey: connection.id, message, fix });
    }
    deps.store.runs.finish(runId, 'failed', {}, message);
    return { outcome: 'failed', message };
  }
}

/**
 * An upload or reconcile under the shutdown signal, one writer at a time. The apply checks the
 * signal between batches, so the batch in flight ends and is journalled; the run it was recording
 * (closed as failed by runUpload / runReconcile) is then recorded as stopped instead — neither a
 * failure that backs off nor a *problem* when the app starts again — with how far it got.
 */
function stoppableRun(store: Store, connectionId: string, part: Part, options: PartRunOptions) {
  let progress: ApplyProgress | undefined;
  const applyOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (p: ApplyProgress) => {
      progress = p;
      options.onProgress?.(p);
    },
  };
  return {
    applyOptions,
    async run<T>(apply: () => Promise<T>): Promise<T | { stopped: PartOutcome }> {
      const before = store.runs.last(connectionId, part)?.id ?? 0;
      try {
        return await oneWriterAtATime(connectionId, apply);
      } catch (err) {
        const run = store.runs.last(connectionId, part);
        if (!options.signal?.aborted || !run || run.id <= before) throw err;
        const done = progress?.done ?? 0;
        const total = progress?.total ?? 0;
        const message = `Stopped because ClassBridge was closing: ${done} of ${total} changes were sent and recorded; the rest are sent when ClassBridge starts again.`;
        store.runs.finish(run.id, 'partial', { planned: total, done, [STOPPED_COUNT]: 1 }, message);
        return { stopped: { outcome: 'partial', message } };
      }
    },
  };
}

/**
 * Runs that write to one LMS and its applied state (upload parts, a retry, reconcile) go one at a
 * time per connection in this engine: two at once would plan from the same baseline and send the
 * same writes twice.
 */
const writers = new Map<string, Promise<unknown>>();
async function oneWriterAtATime<T>(connectionId: string, run: () => Promise<T>): Promise<T> {
  const before = writers.get(connectionId) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(run);
  writers.set(connectionId, mine);
  try {
    return await mine;
  } finally {
    if (writers.get(connectionId) === mine) writers.delete(connectionId);
  }
}

function recordFailure(
  store: Store,
  connection: LmsConnection,
  part: Part,
  trigger: 'manual' | 'schedule',
  message: string,
  fix: string,
): PartOutcome {
  const runId = store.runs.start(connection.id, part, trigger);
  store.runs.addError(runId, { recordKind: 'connection', recordKey: connection.id, message, fix });
  store.runs.finish(runId, 'failed', {}, message);
  return { outcome: 'failed', message };
}
