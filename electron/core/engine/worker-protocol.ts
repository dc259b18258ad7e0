import type { ApiResponse } from '../api/api-service';
import type { MigrationReport } from '../store/store';

/** Messages between the engine worker and the thread that relays for it (Electron main or the host). */
export interface EngineWorkerData {
  dataDir: string;
  /**
   * Where secrets live: the OS keychain (the default, always in the app and `serve`), or this
   * worker's memory — only `classbridge demo`, whose throwaway token must outlive no process and
   * touch no keychain. Secrets are never written to SQLite or a file either way.
   */
  secrets?: 'keychain' | 'memory';
  /**
   * Where the log goes. The desktop app passes the platform's log folder (Electron's
   * app.getPath('logs')); the host and CLI leave it out and log to `<dataDir>/logs`.
   */
  logDir?: string;
}

export type ToWorker = { type: 'call'; id: number; method: string; input: unknown } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; migration: MigrationReport }
  | { type: 'fatal'; code: string; message: string }
  | { type: 'response'; id: number; response: ApiResponse }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'stopped' };
