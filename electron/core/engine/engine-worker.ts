/**
 * Worker-thread entry: runs the engine (SQLite, keychain, later parsing and HTTP to the LMS) off the
 * main thread, so the tray, the window and the host's HTTP stay responsive. It answers Api calls
 * and forwards events; nothing else crosses the boundary.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logging/logger';
import { MemorySecretStore } from '../secrets';
import { StoreError } from '../store/errors';
import { startExportWatch } from '../sms/export-watch-service';
import { SyncService } from '../sync/sync-service';
import { PUSH_SECRET, startReceiverService } from '../sms/receiver-service';
import { createEngine, type Engine } from './engine';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker must run inside a worker thread');
const send = (message: FromWorker): void => port.postMessage(message);

const { dataDir, secrets, logDir } = workerData as EngineWorkerData;
let receiver: Awaited<ReturnType<typeof startReceiverService>> | undefined;
let engine: Engine;
// Filled once the engine exists; the Api's run-now reaches the scheduler through it.
const sync: { service?: SyncService } = {};
function started(): SyncService {
  if (!sync.service) throw new Error('The sync service is starting; try again in a moment.');
  return sync.service;
}
try {
  engine = createEngine({
    dataDir,
    ...(logDir ? { logger: createLogger(logDir) } : {}),
    ...(secrets === 'memory' ? { secrets: new MemorySecretStore() } : {}),
    receiverStatus: () => receiver?.status ?? null,
    sync: {
      runNow: (target, connectionId) => started().runNow(target, connectionId),
      retryRecord: (connectionId, part, record) => started().retryRecord(connectionId, part, record),
      nextRun: (connectionId, part) => sync.service?.next(connectionId, part),
      progressOf: (connectionId, part) => sync.service?.progressOf(connectionId, part),
    },
  });
} catch (err) {
  const code = err instanceof StoreError ? err.code : 'internal';
  send({ type: 'fatal', code, message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

engine.events.on('event', (event, payload) => send({ type: 'event', event, payload }));

/**
 * (Re)starts the SMS receiver and export-folder watch, one restart at a time — but only when what
 * they depend on changed (the SMS connection or its push secret): a restart in the middle of a KAMAR
 * push would spoil it, and most settings changes (pausing, a schedule) have nothing to do with it.
 */
let exportWatch: { close(): void } | undefined;
let receiverChain: Promise<void> = Promise.resolve();
let smsSignature: string | undefined;
async function currentSmsSignature(): Promise<string> {
  const sms = engine.store.connections.list().find((c) => c.kind === 'sms');
  const secret = sms ? await engine.secrets.get(sms.id, PUSH_SECRET).catch(() => 'keychain-unavailable') : undefined;
  const secretHash = secret ? createHash('sha256').update(secret).digest('hex') : '';
  return JSON.stringify([sms ?? null, secretHash]);
}
function restartSmsServices(): void {
  receiverChain = receiverChain.then(async () => {
    const signature = await currentSmsSignature();
    if (signature === smsSignature) return;
    smsSignature = signature;
    exportWatch?.close();
    exportWatch = startExportWatch({
      store: engine.store,
      logger: engine.logger,
      onChanged: () => engine.events.emit('event', 'status:changed', {}),
    });
    await receiver?.close();
    receiver = await startReceiverService({
      store: engine.store,
      secrets: engine.secrets,
      dataDir,
      logger: engine.logger,
      onChanged: () => engine.events.emit('event', 'status:changed', {}),
    }).catch((err: unknown) => {
      // E.g. no OS keychain: the admin sees why on the dashboard, instead of a silent gap.
      engine.logger.error({ err }, 'SMS receiver failed');
      const reason = `it could not start: ${err instanceof Error ? err.message : String(err)}`;
      return { status: { running: false, warnings: [], reason }, close: async () => undefined };
    });
    engine.events.emit('event', 'status:changed', {});
  });
}
const syncService = new SyncService({
  store: engine.store,
  secrets: engine.secrets,
  logger: engine.logger,
  dataDir,
  onChanged: () => engine.events.emit('event', 'status:changed', {}),
});
sync.service = syncService;
// SyncService.refresh rebuilds one at a time by itself; a failure is logged, and the next settings change retries.
const refreshSync = (): void =>
  void syncService.refresh().catch((err: unknown) => engine.logger.error({ err }, 'schedule rebuild failed'));
refreshSync();
engine.events.on('event', (event) => {
  if (event !== 'settings:changed') return;
  restartSmsServices();
  refreshSync();
});
restartSmsServices();

// Another program may change the database while this engine runs (`classbridge config import`,
// `import`, a second window's engine). SQLite's data_version moves only on other connections'
// commits, so polling it is cheap and tells exactly that: then the UI refetches and the receiver
// picks up new settings.
let dataVersion = engine.store.db.pragma('data_version', { simple: true });
const watcher = setInterval(() => {
  const now = engine.store.db.pragma('data_version', { simple: true });
  if (now === dataVersion) return;
  dataVersion = now;
  engine.events.emit('event', 'settings:changed', {});
  engine.events.emit('event', 'status:changed', {});
}, 2000);
watcher.unref();

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    clearInterval(watcher);
    exportWatch?.close();
    // The sync stops at once (the batch being sent finishes and is journalled); it waits for a
    // schedule rebuild itself, so a settings change during a long upload does not hold up quitting.
    void Promise.all([receiverChain.then(() => receiver?.close()), syncService.stop()]).finally(() => {
      engine.close();
      send({ type: 'stopped' });
      port.close();
    });
    return;
  }
  void engine.api.dispatch(message.method, message.input).then((response) => {
    send({ type: 'response', id: message.id, response });
  });
});

send({ type: 'ready', migration: engine.store.migration });
