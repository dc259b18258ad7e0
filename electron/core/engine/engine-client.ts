import { Worker } from 'node:worker_threads';
import type { ApiResponse } from '../api/api-service';
import type { MigrationReport } from '../store/store';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol';

export class EngineStartError extends Error {
  override readonly name = 'EngineStartError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The relaying side of the engine worker: forwards Api calls and hands events on. */
export interface EngineClient {
  readonly migration: MigrationReport;
  call(method: string, input: unknown): Promise<ApiResponse>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  stop(): Promise<void>;
}

/** Starts the engine worker and resolves once it has opened (and migrated) the database. */
export function startEngineWorker(workerFile: URL | string, data: EngineWorkerData): Promise<EngineClient> {
  const worker = new Worker(workerFile, { workerData: data });
  const pending = new Map<number, (response: ApiResponse) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let exited = false;

  const failPending = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'unavailable', message } });
    pending.clear();
  };

  return new Promise((resolve, reject) => {
    worker.on('error', (err) => {
      failPending(`ClassBridge's engine stopped: ${err.message}`);
      reject(new EngineStartError('internal', err.message));
    });
    worker.on('exit', (code) => {
      exited = true;
      failPending(`ClassBridge's engine stopped (exit code ${code}).`);
      reject(new EngineStartError('internal', `The engine stopped during start-up (exit code ${code}).`));
    });
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          resolve(client(message.migration));
          break;
        case 'fatal':
          reject(new EngineStartError(message.code, message.message));
          break;
        case 'response':
          pending.get(message.id)?.(message.response);
          pending.delete(message.id);
          break;
        case 'event':
          for (const listener of listeners) listener(message.event, message.payload);
          break;
        case 'stopped':
          break;
      }
    });
  });

  function client(migration: MigrationReport): EngineClient {
    return {
      migration,
      call(method, input) {
        if (exited)
          return Promise.resolve({
            ok: false,
            error: { code: 'unavailable', message: "ClassBridge's engine is not running." },
          });
        const id = nextId++;
        return new Promise((resolveCall) => {
          pending.set(id, resolveCall);
          worker.postMessage({ type: 'call', id, method, input } satisfies ToWorker);
        });
      },
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async stop() {
        if (exited) return;
        const done = new Promise<void>((r) => worker.once('exit', () => r()));
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
        // A stuck worker must not hold the app open on quit.
        const timer = setTimeout(() => void worker.terminate(), 5000);
        await done;
        clearTimeout(timer);
      },
    };
  }
}

/** Where the built worker sits relative to any other built entry (out/<entry>/x.mjs). */
export function defaultWorkerFile(fromModuleUrl: string): URL {
  return new URL('../engine/engine-worker.mjs', fromModuleUrl);
}
