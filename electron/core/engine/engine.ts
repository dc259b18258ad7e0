import { EventEmitter } from 'node:events';
import { ApiService } from '../api/api-service';
import type { ApiDeps } from '../api/handlers';
import type { ApiEvent, ApiEventPayload, Status } from '../contract/contract';
import { createLogger, type Logger } from '../logging/logger';
import { databaseFile, logDir } from '../paths/data-dir';
import { KeychainSecretStore, secretsFolderOf, type SecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';

export interface EngineOptions {
  dataDir: string;
  secrets?: SecretStore;
  logger?: Logger;
  receiverStatus?: () => Status['receiver'];
  sync?: ApiDeps['sync'];
  busyTimeoutMs?: number;
}

export interface Engine {
  readonly store: Store;
  readonly secrets: SecretStore;
  readonly api: ApiService;
  readonly logger: Logger;
  /** Every Api event, as (name, payload). */
  readonly events: EventEmitter<{ event: [ApiEvent, unknown] }>;
  close(): void;
}

/**
 * Builds the engine in the current thread: the store (migrated), the keychain and the Api service.
 * The desktop app and `classbridge serve` run this inside a worker (engine-worker.ts); one-shot CLI
 * commands run it in-process. Throws StoreError when the database must not be opened.
 */
export function createEngine(options: EngineOptions): Engine {
  const logger = options.logger ?? createLogger(logDir(options.dataDir));
  const store = openStore({ file: databaseFile(options.dataDir), busyTimeoutMs: options.busyTimeoutMs });
  if (store.migration.to !== store.migration.from) {
    logger.info({ ...store.migration }, 'database migrated');
  }
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
  const events = new EventEmitter<{ event: [ApiEvent, unknown] }>();
  const api = new ApiService({
    store,
    secrets,
    logger,
    ...(options.receiverStatus ? { receiverStatus: options.receiverStatus } : {}),
    ...(options.sync ? { sync: options.sync } : {}),
    emit: <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => events.emit('event', event, payload),
    onInternalError: (method, err) => logger.error({ method, err }, 'api call failed'),
  });
  return { store, secrets, api, logger, events, close: () => store.close() };
}
