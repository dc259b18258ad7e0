import {
  SmsImportError,
  describeSmsProblem,
  type AdapterLogger,
  type SmsImportResult,
  type SmsProblem,
  type SmsWarning,
} from '../../../adapters/contract';
import { dirname } from 'node:path';
import { diskFullMessage, isDiskFull } from '../store/integrity';
import type { SnapshotMeta } from '../store/repositories/snapshot-repository';
import type { Store } from '../store/store';
import { checkImportResult } from './import-snapshot';

/** How an SMS export reached ClassBridge; History shows it. */
export type IntakeTrigger = 'cli' | 'ui' | 'watch' | 'push' | 'upload';

export interface IntakeDeps {
  store: Store;
  logger: AdapterLogger;
  /** Told when the snapshot or the run history changed. */
  onChanged?(): void;
}

export interface IntakeRequest {
  /** Where the data came from, in words for History: "KAMAR full push (3 parts)", a file path. */
  source: string;
  trigger: IntakeTrigger;
  /** Reads the source; throws SmsImportError when it is refused. */
  read(): Promise<SmsImportResult> | SmsImportResult;
  /** What the admin can do when it is refused (a default per trigger otherwise). */
  fix?: string;
}

export type IntakeOutcome =
  | { ok: true; runId: number; meta: SnapshotMeta; warnings: SmsWarning[] }
  | { ok: false; runId: number; message: string; problems: readonly SmsProblem[]; error: unknown };

const DEFAULT_FIX: Record<IntakeTrigger, string> = {
  cli: 'Correct the export and import it again; the previous data is still in use.',
  ui: 'Correct the export and import it again; the previous data is still in use.',
  watch:
    'Correct the data in the SMS and export again; ClassBridge imports the new export when it appears. The previous data is still in use.',
  push: 'Check the SMS and send the data again (in KAMAR: Directory Services → Run Now); the previous data is still in use.',
  upload: 'Correct the export in the SMS and upload it again; the previous data is still in use.',
};

/**
 * The one door every SMS intake goes through (file watch, KAMAR push, upload, `classbridge import`,
 * a file picked in the app): read, validate against the engine's schema, store all or nothing, and
 * record it as an SMS import run with its source, whether it was stored or refused. Never throws
 * for a refused source: the outcome says what happened, and the previous snapshot stays whole.
 */
export async function runIntake(deps: IntakeDeps, request: IntakeRequest): Promise<IntakeOutcome> {
  let runId: number;
  try {
    runId = startImportRun(deps.store, request.trigger);
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    // So full that not even the run could be recorded (runId 0): the outcome and the log must tell it.
    const message = diskFullMessage(dirname(deps.store.file), 'import');
    deps.logger.error({ source: request.source, trigger: request.trigger }, message);
    return { ok: false, runId: 0, message, problems: [{ kind: 'format', message, where: {} }], error };
  }
  try {
    const { snapshot, warnings } = checkImportResult(await request.read());
    const meta = deps.store.snapshot.replace(snapshot, request.source);
    deps.store.runs.settleSmsImportErrors(runId);
    deps.store.runs.finish(runId, 'ok', { ...meta.counts, warnings: warnings.length }, `Imported ${request.source}.`);
    deps.logger.info(
      { source: request.source, trigger: request.trigger, counts: meta.counts, warnings: warnings.length },
      'SMS data imported',
    );
    deps.onChanged?.();
    return { ok: true, runId, meta, warnings };
  } catch (error) {
    const problems: readonly SmsProblem[] =
      error instanceof SmsImportError
        ? error.problems
        : [{ kind: 'format', message: `could not be stored: ${(error as Error).message}`, where: {} }];
    // A full disk in ClassBridge's words (SQLite's are "database or disk is full"); the store rolled back whole.
    const message =
      error instanceof SmsImportError
        ? error.describe()
        : isDiskFull(error)
          ? diskFullMessage(dirname(deps.store.file), 'import')
          : `could not be stored: ${(error as Error).message}`;
    recordRefusal(deps, runId, request, message, problems);
    return { ok: false, runId, message, problems, error };
  }
}

/**
 * Records an intake that was refused before anything could be read (a KAMAR push whose parts did not
 * add up, a push that arrived while the receiver was stopping): a failed SMS import run with the
 * reason, so the admin sees it in the app and not only in the log. Returns the run id.
 */
export function recordRefusedIntake(
  deps: IntakeDeps,
  request: { source: string; trigger: IntakeTrigger; message: string; fix?: string },
): number {
  const runId = startImportRun(deps.store, request.trigger);
  recordRefusal(deps, runId, request, request.message, [{ kind: 'format', message: request.message, where: {} }]);
  return runId;
}

function startImportRun(store: Store, trigger: IntakeTrigger): number {
  return store.runs.start(null, 'upload', trigger === 'cli' || trigger === 'ui' ? 'manual' : 'schedule');
}

function recordRefusal(
  deps: IntakeDeps,
  runId: number,
  request: { source: string; trigger: IntakeTrigger; fix?: string },
  message: string,
  problems: readonly SmsProblem[],
): void {
  const fix = request.fix ?? DEFAULT_FIX[request.trigger];
  try {
    for (const problem of problems.length > 0 ? problems : [{ message, where: {} as SmsProblem['where'] }]) {
      deps.store.runs.addError(runId, {
        recordKind: 'file',
        recordKey: problem.where.file ?? request.source,
        message: problem === problems[0] ? message : describeSmsProblem(problem),
        fix,
      });
    }
    deps.store.runs.finish(runId, 'failed', { problems: problems.length }, `${request.source} was refused: ${message}`);
  } catch (storeError) {
    // The database itself failed: the log is all that is left to tell.
    deps.logger.error({ error: (storeError as Error).message }, 'could not record a refused SMS import');
  }
  deps.logger.warn({ source: request.source, trigger: request.trigger, error: message }, 'SMS data refused');
  deps.onChanged?.();
}
