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

/** How long a stopping engine may take to finish the batch it is sending before it is terminated. */
export const STOP_GRACE_MS = 30_000;

/**
 * The engine worker's V8 limits. A small young generation is what keeps the process's memory down
 * (measured by bench/sync-large: a school of 20,000 peaks at ~390 MB RSS instead of ~775 MB, at the
 * same speed); the old-generation cap is a safety stop well above what that school keeps live
 * (~175 MB), adjustable with CLASSBRIDGE_ENGINE_HEAP_MB for a much larger one.
 */
export function engineResourceLimits(env: NodeJS.ProcessEnv = process.env): {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
} {
  const heap = Number(env.CLASSBRIDGE_ENGINE_HEAP_MB);
  return { maxOldGenerationSizeMb: Number.isFinite(heap) && heap >= 256 ? heap : 1024, maxYoungGenerationSizeMb: 16 };
}

/** Starts the engine worker and resolves once it has opened (and migrated) the database. */
export function startEngineWorker(workerFile: URL | string, data: EngineWorkerData): Promise<EngineClient> {
  const worker = new Worker(workerFile, { workerData: data, resourceLimits: engineResourceLimits() });
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
      const outOfMemory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      failPending(
        outOfMemory
          ? "ClassBridge's engine ran out of memory. Restart ClassBridge; for a very large school set CLASSBRIDGE_ENGINE_HEAP_MB (default 1024)."
          : `ClassBridge's engine stopped: ${err.message}`,
      );
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
        // A stuck worker must not hold the app open on quit; the batch in flight gets time to finish
        // (a 400-record batch against a slow LMS can take tens of seconds; the journal covers the rest).
        const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
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
