import { EventEmitter } from 'node:events';
import { ApiService, type ApiResponse } from '../api/api-service';
import type { ApiDeps } from '../api/handlers';
import type { ApiEvent, ApiEventPayload } from '../contract/contract';
import { ApiError } from '../contract/errors';
import { createLogger, type Logger } from '../logging/logger';
import { databaseFile, logDir } from '../paths/data-dir';
import { KeychainSecretStore, secretsFolderOf, type SecretStore } from '../secrets';
import { restoreDatabase, RestoreRefused, type RestoreResult } from '../store/backup';
import { openStore, type Store } from '../store/store';
import type { SchedulerClock } from '../schedule';
import { SyncService } from '../sync/sync-service';
import { watchDatabase } from './database-watch';
import { oneShotRunner } from './one-shot-runner';
import { startSmsServices, type SmsServices } from './sms-services';
import { startAlerts } from './alerts-wiring';

/**
 * - service: the desktop app and `classbridge serve` (inside the engine worker): schedules, the SMS
 *   receiver and export watch, and noticing other processes' changes to the database;
 * - one-shot: a CLI command: the same Api over the same store, where "run now" runs the part in
 *   this process and nothing runs on its own.
 */
export type EngineMode = 'service' | 'one-shot';

export interface EngineOptions {
  dataDir: string;
  mode: EngineMode;
  secrets?: SecretStore;
  logger?: Logger;
  busyTimeoutMs?: number;
  /** The scheduler's clock (tests); the wall clock otherwise. */
  clock?: SchedulerClock;
}

export interface Engine {
  /** The open store (a new one after a restore). */
  readonly store: Store;
  readonly secrets: SecretStore;
  /** Validates, handles and answers every Api call, the same in every host. */
  readonly api: { dispatch(method: string, input: unknown): Promise<ApiResponse> };
  readonly logger: Logger;
  /** Every Api event, as (name, payload). */
  readonly events: EngineEvents;
  /** Stops what runs (a sync finishes the batch it is sending; the receiver answers "retry") and closes the store. */
  close(): Promise<void>;
}

type EngineEvents = EventEmitter<{ event: [ApiEvent, unknown] }>;

function emitterOf(events: EngineEvents) {
  return <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>): void => {
    events.emit('event', event, payload);
  };
}

/** Everything that holds the open store: rebuilt as a whole when a backup is restored. */
interface Session {
  store: Store;
  secrets: SecretStore;
  api: ApiService;
  stop(): Promise<void>;
}

/**
 * Builds the engine, the one way every host does: the desktop app and `classbridge serve` in the
 * engine worker (engine-worker.ts, which only relays), one-shot CLI commands in-process. Throws
 * StoreError when the database must not be opened.
 */
export function createEngine(options: EngineOptions): Engine {
  const logger = options.logger ?? createLogger(logDir(options.dataDir));
  const events: EngineEvents = new EventEmitter();
  const emit = emitterOf(events);
  let session = openSession(options, logger, events, (file) => restore(file));
  /** Set while a restore swaps the database: calls wait for it instead of reaching a closed store. */
  let swapping: Promise<unknown> | undefined;
  let closing: Promise<void> | undefined;

  async function restore(source: string): Promise<RestoreResult> {
    if (swapping) throw new ApiError({ code: 'conflict', message: 'A restore is already under way.' });
    const kept = session.store.kamarSpool.count();
    if (kept > 0)
      throw new ApiError({
        code: 'conflict',
        message: `A KAMAR push is being received (${kept} part(s) answered "OK" and not yet stored). Restore when it has been stored, in about a minute: the backup does not have it.`,
      });
    const done = (async () => {
      await session.stop();
      session.store.close();
      try {
        return await restoreDatabase({ file: databaseFile(options.dataDir), source });
      } finally {
        // The restored copy when it went in; the same database when the restore was refused.
        session = openSession(options, logger, events, (file) => restore(file));
        emit('settings:changed', {});
        emit('status:changed', {});
      }
    })();
    swapping = done;
    try {
      return await done;
    } catch (err) {
      if (err instanceof RestoreRefused) throw new ApiError({ code: 'conflict', message: err.message });
      throw err;
    } finally {
      swapping = undefined;
    }
  }

  return {
    get store() {
      return session.store;
    },
    get secrets() {
      return session.secrets;
    },
    api: {
      async dispatch(method, input) {
        // A call made while the restore swaps the file is answered from the restored database.
        if (swapping && method !== 'database:restore') await swapping.catch(() => undefined);
        return session.api.dispatch(method, input);
      },
    },
    logger,
    events,
    close() {
      closing ??= (async () => {
        await swapping?.catch(() => undefined);
        await session.stop();
        session.store.close();
      })();
      return closing;
    },
  };
}

function openSession(
  options: EngineOptions,
  logger: Logger,
  events: EngineEvents,
  restore: (file: string) => Promise<RestoreResult>,
): Session {
  const { dataDir } = options;
  const emit = emitterOf(events);
  const apiService = (deps: Omit<ApiDeps, 'emit'>): ApiService =>
    new ApiService({
      ...deps,
      emit,
      onInternalError: (method, err) => logger.error({ method, err }, 'api call failed'),
    });
  const store = openStore({ file: databaseFile(dataDir), busyTimeoutMs: options.busyTimeoutMs });
  if (store.migration.to !== store.migration.from) logger.info({ ...store.migration }, 'database migrated');
  // A damaged database must still let the engine start far enough to show the problem and be restored
  // (open-database.ts): closing old runs is housekeeping, not a reason to refuse to start.
  try {
    const interrupted = store.runs.closeInterrupted();
    if (interrupted > 0) logger.warn({ interrupted }, 'closed runs left running by a stopped process');
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'could not close interrupted runs');
  }
  // Keyed by this data folder's id as well as the connection, so no other folder reads its tokens.
  const secrets = options.secrets ?? new KeychainSecretStore(undefined, secretsFolderOf(store));
  const changed = (): void => emit('status:changed', {});
  const runDeps = { store, secrets, logger, dataDir };

  if (options.mode === 'one-shot') {
    const api = apiService({
      store,
      secrets,
      logger,
      sync: oneShotRunner(runDeps, (connectionId, message) => emit('sync:waiting', { connectionId, message })),
      restore,
    });
    return { store, secrets, api, stop: async () => undefined };
  }

  const syncService = new SyncService({
    ...runDeps,
    ...(options.clock ? { clock: options.clock } : {}),
    onChanged: changed,
    onWaiting: (connectionId, message) => emit('sync:waiting', { connectionId, message }),
  });
  const sms: SmsServices = startSmsServices({ store, secrets, dataDir, logger, onChanged: changed });
  // SyncService.refresh rebuilds one at a time by itself; a failure is logged, and the next settings change retries.
  const refreshSync = (): void =>
    void syncService.refresh().catch((err: unknown) => logger.error({ err }, 'schedule rebuild failed'));
  const api = apiService({
    store,
    secrets,
    logger,
    receiverStatus: () => sms.status(),
    sync: {
      runNow: (target, connectionId, options) => syncService.runNow(target, connectionId, options),
      retryRecord: (connectionId, part, record) => syncService.retryRecord(connectionId, part, record),
      nextRun: (connectionId, part) => syncService.next(connectionId, part),
      progressOf: (connectionId, part) => syncService.progressOf(connectionId, part),
      waitingForToken: (connectionId) => syncService.waitingForToken(connectionId),
    },
    restore,
  });
  // Alerts: queued and sent on their own timers, never inside a run (docs/alerts.md).
  const alerts = startAlerts({ store, secrets, logger, sms, ...(options.clock ? { clock: options.clock } : {}) });
  const onEvent = (event: ApiEvent): void => {
    alerts.onEvent(event);
    if (event !== 'settings:changed') return;
    sms.refresh();
    refreshSync();
  };
  // Only the current session listens: a restored database's session replaces this one.
  events.on('event', onEvent);
  refreshSync();
  const watch = watchDatabase(store, () => {
    emit('settings:changed', {});
    emit('status:changed', {});
  });
  return {
    store,
    secrets,
    api,
    async stop() {
      events.off('event', onEvent);
      watch.close();
      // The sync stops at once (the batch being sent finishes and is journalled); it waits for a
      // schedule rebuild itself, so a settings change during a long upload does not hold up quitting.
      await Promise.all([sms.close(), syncService.stop(), alerts.close()]);
    },
  };
}
