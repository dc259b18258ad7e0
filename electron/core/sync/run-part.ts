import { isMainThread } from 'node:worker_threads';
import { LmsError, type AdapterLogger, type LmsAdapter } from '../../../adapters/contract';
import { createLmsAdapter } from '../lms/lms-adapter-factory';
import { PARTS, type LmsConnection, type Part, type SmsConnection, type UploadKind } from '../model';
import { diagnoseRunFailure, type Diagnosis } from '../schedule';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { checkBeforeLmsWrite } from '../store/backup';
import { diskFullMessage, isDiskFull } from '../store/integrity';
import { HEARTBEAT_MS, type WriteLease } from '../store/repositories/write-lease-repository';
import { runUpload, type ApplyProgress, type RecordRef } from './apply';
import { trackCourses } from './course-tracking';
import { runReconcile } from './reconcile';
import { resultsDestinationFor, ResultsDestinationError } from './results/results-destination';
import { deliverReviewedResults, downloadResults, waitingSentence } from './results';

export interface PartRunDeps {
  store: Store;
  secrets: SecretStore;
  logger: AdapterLogger;
  dataDir: string;
  /** What this process is, in the message another writer gets; by default worked out from the process. */
  processLabel?: string;
  /** How often a writing run shows it is alive (HEARTBEAT_MS; tests shorten it). */
  leaseHeartbeatMs?: number;
}

export interface PartOutcome {
  /** 'busy': another process is writing to this LMS; nothing ran and no run was recorded. */
  outcome: 'ok' | 'partial' | 'failed' | 'held' | 'busy';
  message: string;
  /** Who holds this LMS's write lease, when busy. */
  holder?: Pick<WriteLease, 'part' | 'pid' | 'host' | 'processLabel' | 'startedAt'>;
}

export interface PartRunOptions {
  /** Upload: send only this record's operations (the Errors page's Retry). */
  onlyRecord?: RecordRef;
  /**
   * Upload: send only this kind of record (`classbridge sync profiles`); 'enrolments', the default, is
   * the whole upload. Recorded as an upload run either way.
   */
  only?: UploadKind;
  /** Upload and reconcile: how far the apply is; the download: courses read of Open courses (the progress bar). */
  onProgress?: (progress: Pick<ApplyProgress, 'done' | 'total'>) => void;
  /**
   * Shutdown (SyncService.stop): upload and reconcile finish the batch they are sending, journal it
   * and stop; the run is recorded as stopped and the next run carries on from the journal.
   */
  signal?: AbortSignal;
  /**
   * Upload and reconcile, while another process writes to the same LMS (it holds the connection's
   * write lease): 'give-up' (the default) answers 'busy' at once, naming that process, and records
   * no run; 'wait' waits until it has finished (or the signal), then runs from what it left.
   */
  whenBusy?: 'give-up' | 'wait';
  /** Told once, with the busy message, when the run starts waiting for another process. */
  onWaiting?: (message: string) => void;
}

/** How often a run waiting for another process's lease looks again. */
const LEASE_POLL_MS = 1000;

/** The count a run stopped by shutdown carries, so the next start runs that part again at once. */
export const STOPPED_COUNT = 'stopped';

/** The parts the engine schedules per LMS: every part (the upload, results, the course list, reconcile). */
export const SCHEDULED_PARTS: readonly Part[] = PARTS;

/**
 * Runs one part for one LMS connection and records it as a run. Results go back to the SMS through
 * its own writer (results/results-destination.ts), or to a CSV file in the data folder where it has none.
 */
export async function runPart(
  deps: PartRunDeps,
  connectionId: string,
  part: Part,
  trigger: 'manual' | 'schedule',
  options: PartRunOptions = {},
): Promise<PartOutcome> {
  const outcome = await runPartOnce(deps, connectionId, part, trigger, options).catch((err: unknown) => {
    if (isDiskFull(err)) return { outcome: 'failed' as const, message: diskFullMessage(deps.dataDir, 'run') };
    throw err;
  });
  // The apply records a store failure as the run's message; a full disk is told in ClassBridge's words.
  if (outcome.outcome === 'failed' && isDiskFull(outcome.message))
    return { ...outcome, message: diskFullMessage(deps.dataDir, 'run') };
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
  // Before anything is planned or sent: a damaged database stops the run (and takes the daily backup).
  const damaged = await checkBeforeLmsWrite(deps.store, part, deps.logger);
  if (damaged) return recordFailure(deps.store, connection, part, trigger, damaged.message, damaged.fix);
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
  const stoppable = stoppableRun(deps, connection, part, options);
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
        await diagnoseFailure(adapter, result.error, connection),
      );
    return { outcome: result.outcome, message: result.message };
  };
  if (part === 'upload') {
    const result = await stoppable.run(() =>
      runUpload({
        adapter,
        store: deps.store,
        connection,
        settings: deps.store.settings.get(),
        trigger,
        ...(options.only ? { only: options.only } : {}),
        logger: deps.logger,
        ...(options.onlyRecord ? { onlyRecord: options.onlyRecord } : {}),
        ...stoppable.applyOptions,
      }),
    );
    return 'instead' in result ? result.instead : diagnosed(result);
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
    return 'instead' in result ? result.instead : diagnosed(result);
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
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
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
      // Review, exact outcomes and conflicts (docs/results.md): what waits for a person is not written.
      const delivered = await deliverReviewedResults(
        deps.store,
        connection.id,
        { write: async (records) => ({ where } = await destination.write(records)), outcomes: destination.outcomes },
        { courseMatch: connection.mapping.courseMatch, settings: connection.mapping.results },
      );
      for (const c of delivered.conflicts) deps.store.runs.addError(runId, c);
      for (const r of delivered.refused) deps.store.runs.addError(runId, r);
      deps.store.runs.settleEarlierResultErrors(connection.id, runId);
      const unmatched = unmatchedNote(counts);
      if (unmatched) notes.push(unmatched.note);
      // On the Errors page too, so the warning's "see Errors" leads somewhere: one row for the run.
      if (unmatched?.warning)
        deps.store.runs.addError(runId, {
          recordKind: 'result',
          recordKey: 'unmatched-students',
          message: `${counts.unmatched.toLocaleString('en')} students in the gradebooks match nobody in the SMS, so no result was sent.`,
          fix: 'Run the upload first (it links the accounts it makes or finds), or set each LMS account’s ID number to the student’s SMS id; then download again.',
        });
      // Grades read but none of them anyone's result is never a green "OK: 0 results".
      const outcome =
        errors.length > 0 || delivered.conflicts.length > 0 || delivered.refused.length > 0 || unmatched?.warning
          ? 'partial'
          : 'ok';
      // Notes say why results are missing (no Open course, enrolments not started), never a silent 0.
      const message = `${counts.results} results from ${counts.courses} open courses, ${counts.changed} changed; ${delivered.delivered} delivered to ${where}.${waitingSentence(delivered)}${notes.map((n) => ` ${n}`).join('')}`;
      const waiting = delivered.waiting.review + delivered.waiting.margin + delivered.waiting.conflict;
      deps.store.runs.finish(runId, outcome, { ...counts, delivered: delivered.delivered, waiting }, message);
      return { outcome, message };
    }
    deps.store.runs.finish(runId, 'failed', {}, `"${part}" is not available in this version yet.`);
    return { outcome: 'failed', message: `"${part}" is not available in this version yet.` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof LmsError) {
      recordDiagnosis(deps.store, runId, connection.id, await diagnoseFailure(adapter, err, connection));
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
 *
 * One writer: first in this engine (the queue below), then across processes (the connection's
 * write lease, taken before anything is planned). A process that lost its lease (taken over as
 * stale) stops after the batch in flight the same way.
 */
function stoppableRun(deps: PartRunDeps, connection: LmsConnection, part: Part, options: PartRunOptions) {
  const { store } = deps;
  const connectionId = connection.id;
  let progress: ApplyProgress | undefined;
  const leaseLost = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, leaseLost.signal]) : leaseLost.signal;
  const applyOptions = {
    signal,
    onProgress: (p: ApplyProgress) => {
      progress = p;
      options.onProgress?.(p);
    },
  };
  return {
    applyOptions,
    run<T>(apply: () => Promise<T>): Promise<T | { instead: PartOutcome }> {
      return oneWriterAtATime(connectionId, async () => {
        const lease = await takeWriteLease(deps, connection, part, options, () => leaseLost.abort());
        if ('busy' in lease) return { instead: lease.busy };
        const before = store.runs.last(connectionId, part)?.id ?? 0;
        try {
          return await apply();
        } catch (err) {
          const run = store.runs.last(connectionId, part);
          if (!signal.aborted || !run || run.id <= before) throw err;
          const done = progress?.done ?? 0;
          const total = progress?.total ?? 0;
          if (!options.signal?.aborted) {
            const taker = store.writeLeases.holder(connectionId);
            const message = `Stopped: ${taker ? `${describeProcess(taker)} took over` : 'another ClassBridge process took over'} writing to ${connection.name}, because this one had not shown for too long that it was still running. ${done} of ${total} changes were sent and recorded; the next run carries on from there.`;
            store.runs.finish(run.id, 'failed', { planned: total, done }, message);
            return { instead: { outcome: 'failed', message } };
          }
          const message = `Stopped because ClassBridge was closing: ${done} of ${total} changes were sent and recorded; the rest are sent when ClassBridge starts again.`;
          store.runs.finish(run.id, 'partial', { planned: total, done, [STOPPED_COUNT]: 1 }, message);
          return { instead: { outcome: 'partial', message } };
        } finally {
          lease.release();
        }
      });
    },
  };
}

/**
 * Runs that write to one LMS and its applied state (the upload, a retry, reconcile) go one at a
 * time per connection in this engine: two at once would plan from the same baseline and send the
 * same writes twice. (Across processes the write lease does the same; this queue keeps the runs of
 * one engine in order rather than turning them away.)
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

interface HeldLease {
  release(): void;
}

/**
 * Takes the connection's write lease (store/repositories/write-lease-repository.ts) and keeps it
 * alive with a heartbeat until released; or, while another process holds it, gives up at once or
 * waits, as the caller asked. `onLost` is called when a heartbeat finds the lease taken over.
 */
async function takeWriteLease(
  deps: PartRunDeps,
  connection: LmsConnection,
  part: Part,
  options: PartRunOptions,
  onLost: () => void,
): Promise<HeldLease | { busy: PartOutcome }> {
  const leases = deps.store.writeLeases;
  const claim = { part, processLabel: deps.processLabel ?? thisProcessLabel() };
  let waiting = false;
  for (;;) {
    const got = leases.acquire(connection.id, claim);
    if (got.acquired) {
      const { ownerId } = got.lease;
      if (got.tookOver)
        deps.logger.warn(
          { connectionId: connection.id, pid: got.tookOver.pid, host: got.tookOver.host },
          'took over the write lease of a process that stopped without giving it back',
        );
      const heartbeat = setInterval(() => {
        try {
          if (leases.heartbeat(connection.id, ownerId)) return;
          clearInterval(heartbeat);
          deps.logger.warn({ connectionId: connection.id }, 'the write lease was taken over; stopping this run');
          onLost();
        } catch (err) {
          // A database busy for a moment: the next beat tries again, well inside the stale limit.
          deps.logger.warn({ connectionId: connection.id, err }, 'write lease heartbeat failed');
        }
      }, deps.leaseHeartbeatMs ?? HEARTBEAT_MS);
      heartbeat.unref();
      return {
        release: () => {
          clearInterval(heartbeat);
          try {
            leases.release(connection.id, ownerId);
          } catch (err) {
            // Left behind, it is free to the next run as soon as this process has gone (or at once here).
            deps.logger.warn({ connectionId: connection.id, err }, 'could not release the write lease');
          }
        },
      };
    }
    const { holder } = got;
    const message = busyMessage(connection.name, holder, deps.store.settings.get().timeZone);
    const busy: PartOutcome = {
      outcome: 'busy',
      message,
      holder: {
        part: holder.part,
        pid: holder.pid,
        host: holder.host,
        processLabel: holder.processLabel,
        startedAt: holder.startedAt,
      },
    };
    if (options.whenBusy !== 'wait') return { busy };
    if (!waiting) {
      waiting = true;
      deps.logger.info(
        { connectionId: connection.id, pid: holder.pid, host: holder.host },
        'waiting for another writer',
      );
      options.onWaiting?.(message);
    }
    if (!(await pause(LEASE_POLL_MS, options.signal)))
      return { busy: { ...busy, message: `ClassBridge is closing; the run did not start. ${message}` } };
  }
}

/** "An upload to Moodle is already running in classbridge sync upload (pid 4711 on office-pc), started …". */
export function busyMessage(connectionName: string, holder: WriteLease, timeZone: string): string {
  const what = holder.part === 'reconcile' ? `A reconcile of ${connectionName}` : `An upload to ${connectionName}`;
  return `${what} is already running in ${describeProcess(holder)}, started ${formatTime(holder.startedAt, timeZone)}.`;
}

function describeProcess(lease: Pick<WriteLease, 'processLabel' | 'pid' | 'host'>): string {
  return `${lease.processLabel} (pid ${lease.pid} on ${lease.host})`;
}

function formatTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).format(at);
  } catch {
    return iso;
  }
}

/** What this process is, as its user knows it: the app, `classbridge serve`, or the command typed. */
function thisProcessLabel(): string {
  if (process.versions.electron) return 'the ClassBridge app';
  // The engine runs in a worker thread only in the app and `classbridge serve` (engine-client.ts).
  if (!isMainThread) return 'classbridge serve';
  const words: string[] = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i] ?? '';
    if (arg === '--data-dir') i++;
    else if (arg.startsWith('-')) continue;
    else if (/^[a-z][a-z-]*$/.test(arg)) words.push(arg);
    else break;
  }
  return words.length > 0 ? `classbridge ${words.join(' ')}` : `process ${process.pid}`;
}

/** Resolves true after `ms`, or false as soon as the signal is aborted. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function recordFailure(
  store: Store,
  connection: LmsConnection,
  part: Part,
  trigger: 'manual' | 'schedule',
  message: string,
  fix: string,
): PartOutcome {
  try {
    const runId = store.runs.start(connection.id, part, trigger);
    store.runs.addError(runId, { recordKind: 'connection', recordKey: connection.id, message, fix });
    store.runs.finish(runId, 'failed', {}, message);
  } catch {
    // The database is too damaged to record the run: the outcome still says why nothing was sent.
  }
  return { outcome: 'failed', message };
}

/** The record kind of a run error that is about the connection, not one record. */
export const CONNECTION_ERROR_KIND = 'connection';

/** The failure in words (schedule/diagnose.ts, the one diagnosis module), asking this LMS's site check. */
function diagnoseFailure(adapter: LmsAdapter, error: unknown, connection: LmsConnection): Promise<Diagnosis> {
  return diagnoseRunFailure(error, connection.name, () => adapter.describe());
}

/** Records the diagnosis on the run as its connection error: health and the Errors page read it from there. */
function recordDiagnosis(store: Store, runId: number, connectionId: string, diagnosis: Diagnosis): void {
  store.runs.addError(runId, {
    recordKind: CONNECTION_ERROR_KIND,
    recordKey: connectionId,
    message: diagnosis.summary,
    fix: diagnosis.fix,
  });
}

/**
 * Students in the gradebooks whom no SMS person matches (no link, no idnumber that is an SMS id) get no
 * result. A few is normal (a teacher's test student, a hand enrolment) and is said; when the run found
 * grades and matched none of them, the run is a warning with the fix rather than "OK: 0 results".
 */
export function unmatchedNote(counts: {
  results: number;
  unmatched: number;
}): { note: string; warning: boolean } | undefined {
  if (counts.unmatched === 0) return undefined;
  const n = counts.unmatched.toLocaleString('en');
  const who = counts.unmatched === 1 ? 'student in the gradebooks matches' : 'students in the gradebooks match';
  const base = `${n} ${who} nobody in the SMS, so nothing is sent for them.`;
  if (counts.results > 0) return { note: base, warning: false };
  return {
    note: `${base} No result could be sent: ClassBridge recognises a student by the account it made or linked, or by an LMS ID number equal to the SMS id. Run the upload first (it links the accounts), or set each account's ID number to the student's SMS id.`,
    warning: true,
  };
}
