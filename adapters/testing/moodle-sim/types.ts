import type { SimSeed } from './seed';
import type { SimState } from './state';

/** Simulated server work. An item is one element of the call's main array parameter (users, courses, …). */
export interface SimLatency {
  perRequestMs: number;
  /** Per item of any call, reads included (e.g. each value of get_users_by_field). */
  perItemMs: number;
  /** Added per item of a write (create, update, enrol, unenrol, add members): the per-record cost of a write. */
  perWriteItemMs?: number;
}

/** Infrastructure failures, as a proxy, PHP or the network produce them. None of them runs the function except reset-after-apply. */
export type SimFault =
  | { kind: 'http-status'; status: number; body?: string }
  | { kind: 'html' }
  | { kind: 'invalid-json' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'reset-after-apply' };

export interface MoodleSimOptions {
  seed?: SimSeed;
  latency?: SimLatency;
  /** Like a PHP worker pool: at most N requests processed at once, the rest wait (default: unlimited). */
  maxConcurrent?: number;
  /** PHP max_input_vars (default 1000); extra form variables are silently dropped, GET and POST counted separately. */
  maxInputVars?: number;
  /** Moodle's developer debug mode: errors carry debuginfo and a longer message. */
  debug?: boolean;
  family?: 'moodle' | 'totara';
  release?: string;
  version?: string;
}

export interface MoodleSim {
  /** wwwroot; the endpoint is `${url}/webservice/rest/server.php`. */
  readonly url: string;
  /** The connector token: a service with every simulated function, a user with every capability (not site admin). */
  readonly token: string;
  createToken(options?: { functions?: string[]; capabilities?: string[] | 'all'; siteAdmin?: boolean }): string;
  revokeFunction(token: string, fn: string): void;
  restoreFunction(token: string, fn: string): void;
  revokeCapability(token: string, capability: string): void;
  grantCapability(token: string, capability: string): void;
  deleteToken(token: string): void;
  expireToken(token: string): void;
  suspendTokenUser(token: string): void;
  disableService(token: string): void;
  setWebServicesEnabled(enabled: boolean): void;
  setMaintenance(on: boolean): void;
  setLatency(latency: SimLatency): void;
  setMaxConcurrent(n: number | undefined): void;
  setMaxInputVars(n: number): void;
  injectFault(fault: SimFault, when?: { function?: string; times?: number }): void;
  clearFaults(): void;
  requestCount(fn?: string): number;
  /** Items (elements of the main array parameter) of the requests that reached a worker, per function or in total. */
  itemCount(fn?: string): number;
  /**
   * The latency charged so far in ms, summed over requests (perRequestMs + perItemMs × items, plus
   * perWriteItemMs × items for writes): the server's total service time. Faulted requests charge none.
   */
  serviceTime(): number;
  peakConcurrency(): number;
  /**
   * Every request's method and URL (path and query string, never the body) in arrival order, as the
   * site's web-server access log records them: a wstoken in the query string would be in it (§10).
   */
  accessLog(): readonly { method: string; url: string }[];
  /** Clears the counters and the access log. */
  resetCounters(): void;
  readonly state: SimState;
  close(): Promise<void>;
}
