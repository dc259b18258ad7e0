/**
 * Worker-thread entry: runs the engine (SQLite, keychain, later parsing and HTTP to the LMS) off the
 * main thread, so the tray, the window and the host's HTTP stay responsive. It answers Api calls
 * and forwards events; nothing else crosses the boundary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreError } from '../store/errors';
import { createEngine, type Engine } from './engine';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker must run inside a worker thread');
const send = (message: FromWorker): void => port.postMessage(message);

let engine: Engine;
try {
  engine = createEngine({ dataDir: (workerData as EngineWorkerData).dataDir });
} catch (err) {
  const code = err instanceof StoreError ? err.code : 'internal';
  send({ type: 'fatal', code, message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

engine.events.on('event', (event, payload) => send({ type: 'event', event, payload }));

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    engine.close();
    send({ type: 'stopped' });
    port.close();
    return;
  }
  void engine.api.dispatch(message.method, message.input).then((response) => {
    send({ type: 'response', id: message.id, response });
  });
});

send({ type: 'ready', migration: engine.store.migration });
