import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { processIsAlive, processStartOf } from '../process-identity';

const LeaseRowSchema = z.object({
  connection_id: z.string(),
  part: z.string(),
  owner_id: z.string(),
  pid: z.number().int(),
  pid_started: z.string().nullable(),
  host: z.string(),
  process_label: z.string(),
  started_at: z.string(),
  heartbeat_at: z.string(),
});

/** Who is writing to one LMS connection right now (migration 012). */
export interface WriteLease {
  connectionId: string;
  /** The part that took it (an upload part or reconcile), for the message a second writer gets. */
  part: string;
  ownerId: string;
  pid: number;
  /** When the holder process started, where the system tells (Linux); null elsewhere. */
  pidStarted: string | null;
  host: string;
  /** What the process is, as a person would recognise it ("classbridge sync upload", "the ClassBridge app"). */
  processLabel: string;
  startedAt: string;
  heartbeatAt: string;
}

export type AcquireResult =
  { acquired: true; lease: WriteLease; tookOver?: WriteLease } | { acquired: false; holder: WriteLease };

export interface WriteLeaseOptions {
  /** This process, as the lease records it (tests play other processes). */
  pid?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
  /** When the process with this pid started (Linux: /proc/<pid>/stat), or null where that is unknown. */
  startOf?: (pid: number) => string | null;
  /**
   * A holder on another host (a data folder on a shared drive) is taken over once it has not
   * heartbeaten for this long: from here only its heartbeat says it is alive.
   */
  staleAfterMs?: number;
  /**
   * A holder on this host whose pid still exists is taken over only after this long without a
   * heartbeat. Its pid says it is alive even when a long synchronous step (planning a large school)
   * holds up its heartbeat timer; the limit only covers a pid reused by another program after a crash.
   */
  sameHostStaleAfterMs?: number;
}

/** How often a holder heartbeats (run-part.ts), well inside the stale limit. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;
export const SAME_HOST_STALE_AFTER_MS = 10 * 60_000;

/**
 * Leases of this copy of the module are `<instance>:<n>`; one with our instance that we no longer
 * hold is a leftover of ours (a release that failed), which only we can know is free.
 */
const INSTANCE = randomUUID();
let sequence = 0;
const heldHere = new Set<string>();

/**
 * One writer per LMS connection across every process that opens the database: the lease is taken
 * in one IMMEDIATE transaction (read the holder, take the row only if it is free or stale), so two
 * processes starting together cannot both get it.
 */
export class WriteLeaseRepository {
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;
  private readonly startOf: (pid: number) => string | null;
  private readonly staleAfterMs: number;
  private readonly sameHostStaleAfterMs: number;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    options: WriteLeaseOptions = {},
  ) {
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processIsAlive;
    this.startOf = options.startOf ?? processStartOf;
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
    this.sameHostStaleAfterMs = options.sameHostStaleAfterMs ?? SAME_HOST_STALE_AFTER_MS;
  }

  /** Takes the connection's lease, or says who holds it. A stale holder is replaced (and returned as `tookOver`). */
  acquire(connectionId: string, claim: { part: string; processLabel: string }): AcquireResult {
    const take = this.db.transaction((): AcquireResult => {
      const current = this.read(connectionId);
      if (current && !this.isStale(current)) return { acquired: false, holder: current };
      const at = this.now().toISOString();
      const lease: WriteLease = {
        connectionId,
        part: claim.part,
        ownerId: `${INSTANCE}:${++sequence}`,
        pid: this.pid,
        pidStarted: this.startOf(this.pid),
        host: this.host,
        processLabel: claim.processLabel,
        startedAt: at,
        heartbeatAt: at,
      };
      this.db
        .prepare(
          `INSERT INTO write_leases (connection_id, part, owner_id, pid, pid_started, host, process_label, started_at, heartbeat_at)
           VALUES (@connectionId, @part, @ownerId, @pid, @pidStarted, @host, @processLabel, @startedAt, @heartbeatAt)
           ON CONFLICT (connection_id) DO UPDATE SET part = excluded.part, owner_id = excluded.owner_id,
             pid = excluded.pid, pid_started = excluded.pid_started, host = excluded.host, process_label = excluded.process_label,
             started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(lease);
      heldHere.add(lease.ownerId);
      return { acquired: true, lease, ...(current ? { tookOver: current } : {}) };
    });
    // IMMEDIATE: the write lock is taken before the read, so no other process decides in between.
    return take.immediate();
  }

  /** Shows the holder is alive. False when the lease is no longer this owner's (it was taken over as stale). */
  heartbeat(connectionId: string, ownerId: string): boolean {
    const info = this.db
      .prepare('UPDATE write_leases SET heartbeat_at = ? WHERE connection_id = ? AND owner_id = ?')
      .run(this.now().toISOString(), connectionId, ownerId);
    return info.changes === 1;
  }

  /** Gives the lease back (only this owner's: a lease taken over since is left to its new holder). */
  release(connectionId: string, ownerId: string): void {
    this.db.prepare('DELETE FROM write_leases WHERE connection_id = ? AND owner_id = ?').run(connectionId, ownerId);
    heldHere.delete(ownerId);
  }

  /** The live holder of the connection's lease; undefined when it is free or its holder is stale. */
  holder(connectionId: string): WriteLease | undefined {
    const current = this.read(connectionId);
    return current && !this.isStale(current) ? current : undefined;
  }

  private read(connectionId: string): WriteLease | undefined {
    const row = this.db.prepare('SELECT * FROM write_leases WHERE connection_id = ?').get(connectionId);
    if (row === undefined) return undefined;
    const r = LeaseRowSchema.parse(row);
    return {
      connectionId: r.connection_id,
      part: r.part,
      ownerId: r.owner_id,
      pid: r.pid,
      pidStarted: r.pid_started,
      host: r.host,
      processLabel: r.process_label,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
    };
  }

  private isStale(lease: WriteLease): boolean {
    if (lease.ownerId.startsWith(`${INSTANCE}:`) && !heldHere.has(lease.ownerId)) return true;
    const silentMs = this.now().getTime() - Date.parse(lease.heartbeatAt);
    if (lease.host !== this.host) return !(silentMs <= this.staleAfterMs);
    // On this host the pid is the better witness: a killed process's lease is free at once.
    if (!this.isAlive(lease.pid)) return true;
    // A pid that exists but started at another time is a later program the system gave the number to
    // (pids wrap quickly on a busy machine): the holder is gone.
    const started = lease.pidStarted === null ? null : this.startOf(lease.pid);
    if (started !== null && started !== lease.pidStarted) return true;
    return !(silentMs <= this.sameHostStaleAfterMs);
  }
}
