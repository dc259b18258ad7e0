import { LmsError, type AdapterLogger } from '../../../adapters/contract';
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
}

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
  const adapter = createLmsAdapter(connection, token, deps.logger);
  if (part === 'profiles' || part === 'courses' || part === 'enrolments') {
    const result = await oneWriterAtATime(connection.id, () =>
      runUpload({
        adapter,
        store: deps.store,
        connection,
        settings: deps.store.settings.get(),
        trigger,
        part,
        logger: deps.logger,
        ...(options.onlyRecord ? { onlyRecord: options.onlyRecord } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
    if (result.error)
      recordDiagnosis(
        deps.store,
        result.runId,
        connection.id,
        await diagnoseFailure(adapter, result.error, connection.name),
      );
    return { outcome: result.outcome, message: result.message };
  }
  if (part === 'reconcile') {
    const result = await oneWriterAtATime(connection.id, () =>
      runReconcile({
        adapter,
        store: deps.store,
        connection,
        settings: deps.store.settings.get(),
        trigger,
        logger: deps.logger,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
    if (result.error)
      recordDiagnosis(
        deps.store,
        result.runId,
        connection.id,
        await diagnoseFailure(adapter, result.error, connection.name),
      );
    return { outcome: result.outcome, message: result.message };
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
      const { counts, errors } = await downloadResults(adapter, deps.store, connection.id);
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
      const message = `${counts.results} results from ${counts.courses} open courses, ${counts.changed} changed; ${delivered.delivered} delivered to ${where}.`;
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
