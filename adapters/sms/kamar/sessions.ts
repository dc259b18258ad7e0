import type { SmsWarning } from '../../contract';
import { mergeRollChunk, ROLL_KEYS, type ChunkOptions, type RollKey } from './chunk';
import type { KamarMessage } from './envelope';
import { RollState } from './roll';
import { WarningSink } from './warnings';

export type RollSync = 'full' | 'part';

export interface CompletedSync {
  sync: RollSync;
  /** The whole roll after this sync (a `part` is applied onto the last full roll). */
  roll: RollState;
  chunks: number;
  warnings: SmsWarning[];
  version?: string;
}

export interface AssemblerOptions {
  /** Quiet time after the last chunk before a sync counts as finished (see README "When is a push complete"). */
  settleMs: number;
  chunk: ChunkOptions;
  baseline?: RollState;
  onComplete(done: CompletedSync): void;
  onDiscard(sync: RollSync, reason: string): void;
}

interface Session {
  sync: RollSync;
  state: RollState;
  warnings: WarningSink;
  chunks: number;
  failed?: string;
  declared: Map<RollKey, number>;
  received: Map<RollKey, number>;
  timer?: NodeJS.Timeout;
  version?: string;
}

/**
 * Turns a burst of `full`/`part` POSTs into one completed sync. KAMAR publishes no chunk number and
 * no "last chunk" marker (ref A.1 only says data arrives in chunks; neither public receiver tracks
 * more), so: a sync is the run of chunks of one type with less than `settleMs` between them. Any
 * failed message (malformed, wrong types, cut off mid-body, over the size limit) during the run
 * spoils it, and a spoiled run is dropped when it goes quiet: a half-finished push never becomes a
 * snapshot. `count` is checked both ways it may be meant (per message or per sync, not public).
 */
export class PushAssembler {
  private readonly sessions = new Map<RollSync, Session>();
  private current: RollState | undefined;
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: AssemblerOptions) {
    this.current = options.baseline;
  }

  /** Merges one chunk; on a bad chunk spoils the open syncs and rethrows the SmsImportError. */
  accept(message: KamarMessage & { sync: RollSync }): void {
    const session = this.sessionFor(message.sync);
    session.chunks++;
    if (message.version) session.version = message.version;
    this.restartTimer(session);
    try {
      const counts = mergeRollChunk(message, session.state, session.warnings, this.options.chunk);
      for (const key of ROLL_KEYS) {
        const count = counts[key];
        if (!count) continue;
        session.received.set(key, (session.received.get(key) ?? 0) + count.received);
        if (count.declared !== undefined) {
          session.declared.set(key, Math.max(session.declared.get(key) ?? 0, count.declared));
        }
      }
    } catch (error) {
      this.fail(`chunk ${session.chunks} was refused`);
      throw error;
    }
  }

  /** A message that could not be read (its sync type unknown) spoils every sync in progress. */
  fail(reason: string): void {
    this.lastFailureAt = Date.now();
    for (const session of this.sessions.values()) session.failed ??= reason;
  }

  close(): void {
    this.closed = true;
    for (const session of this.sessions.values()) clearTimeout(session.timer);
    this.sessions.clear();
  }

  private sessionFor(sync: RollSync): Session {
    const open = this.sessions.get(sync);
    if (open) return open;
    const session: Session = {
      sync,
      state: new RollState(),
      warnings: new WarningSink(),
      chunks: 0,
      declared: new Map(),
      received: new Map(),
    };
    // A failure just before the first chunk we saw may have been this sync's own first chunk.
    if (Date.now() - this.lastFailureAt < this.options.settleMs) session.failed = 'an earlier message failed';
    this.sessions.set(sync, session);
    return session;
  }

  private restartTimer(session: Session): void {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => this.finish(session), this.options.settleMs);
    session.timer.unref();
  }

  private finish(session: Session): void {
    this.sessions.delete(session.sync);
    if (this.closed) return;
    const problem = session.failed ?? this.shortfall(session);
    if (problem) return this.options.onDiscard(session.sync, problem);
    if (session.sync === 'full') {
      this.current = session.state;
    } else if (this.current) {
      this.current.applyDelta(session.state);
    } else {
      return this.options.onDiscard('part', 'a part sync arrived before any full sync: run a full sync in KAMAR');
    }
    this.options.onComplete({
      sync: session.sync,
      roll: this.current,
      chunks: session.chunks,
      warnings: session.warnings.list(),
      ...(session.version ? { version: session.version } : {}),
    });
  }

  /** If `count` is a per-sync total, fewer records than it means chunks are missing. */
  private shortfall(session: Session): string | undefined {
    for (const [key, declared] of session.declared) {
      const received = session.received.get(key) ?? 0;
      if (declared > received) return `KAMAR declared ${declared} ${key} but ${received} arrived`;
    }
    return undefined;
  }
}
