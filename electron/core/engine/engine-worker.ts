/**
 * Worker-thread entry: runs the engine (SQLite, keychain, parsing and HTTP to the LMS) off the main
 * thread, so the tray, the window and the host's HTTP stay responsive. It builds the engine the one
 * way every host does (createEngine, in service mode), answers Api calls and forwards events;
 * nothing else crosses the boundary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logging/logger';
import { MemorySecretStore } from '../secrets';
import { StoreError } from '../store/errors';
import { createEngine, type Engine } from './engine';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker must run inside a worker thread');
const send = (message: FromWorker): void => port.postMessage(message);

const { dataDir, secrets, logDir } = workerData as EngineWorkerData;
let engine: Engine;
try {
  engine = createEngine({
    dataDir,
    mode: 'service',
    ...(logDir ? { logger: createLogger(logDir) } : {}),
    ...(secrets === 'memory' ? { secrets: new MemorySecretStore() } : {}),
  });
} catch (err) {
  const code = err instanceof StoreError ? err.code : 'internal';
  send({ type: 'fatal', code, message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

engine.events.on('event', (event, payload) => send({ type: 'event', event, payload }));

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    void engine.close().finally(() => {
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
