import { SmsImportError, SmsProblemList, type SmsWarning } from '../../contract';
import { mergeRollChunk, type ChunkOptions } from './chunk';
import { CountCheck } from './counts';
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

/** Why a sync was dropped: the reason in words, and the record problems when a chunk was refused for them. */
export interface DiscardedSync {
  sync: RollSync;
  reason: string;
  chunks: number;
  error?: SmsImportError;
}

/**
 * Why a chunk is refused although it reads well: the push it belongs to cannot end as a snapshot,
 * and KAMAR is still waiting for an answer, so it is told now (README "What it answers").
 */
export type RefusalKind = 'spoiled' | 'recent-failure' | 'count' | 'no-roll';

export type AcceptOutcome = { ok: true } | { ok: false; refusal: RefusalKind; detail: string };

export interface AssemblerOptions {
  /** Quiet time after the last chunk before a sync counts as finished (see README "When is a push complete"). */
  settleMs: number;
  chunk: ChunkOptions;
  baseline?: RollState;
  /**
   * Told of a completed sync; resolves to whether the app stored it (`false`: keep applying later
   * `part` pushes onto the roll it did store).
   */
  onComplete(done: CompletedSync): boolean | Promise<boolean>;
  onDiscard(discarded: DiscardedSync): void;
}

interface Failure {
  kind: Exclude<RefusalKind, 'spoiled'> | 'message';
  reason: string;
  error?: SmsImportError;
}

interface Session {
  sync: RollSync;
  state: RollState;
  warnings: WarningSink;
  chunks: number;
  failed?: Failure;
  counts: CountCheck;
  timer?: NodeJS.Timeout;
  version?: string;
}

/**
 * Turns a burst of `full`/`part` POSTs into one completed sync. KAMAR publishes no chunk number and
 * no "last chunk" marker (ref A.1 only says data arrives in chunks; neither public receiver tracks
 * more), so: a sync is the run of chunks of one type with less than `settleMs` between them. Any
 * failed message (malformed, wrong types, cut off mid-body, over the size limit) during the run
 * spoils it; every later chunk of a spoiled run is refused (KAMAR's admin sees the failure), and the
 * run is dropped when it goes quiet: a half-finished push never becomes a snapshot, and the app
 * records the drop (onDiscard). `count` is checked both ways it may be meant (counts.ts).
 */
export class PushAssembler {
  private readonly sessions = new Map<RollSync, Session>();
  private current: RollState | undefined;
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: AssemblerOptions) {
    this.current = options.baseline;
  }

  /**
   * Merges one chunk, or refuses it when its push can no longer end as a snapshot. On a chunk with
   * bad records spoils its sync and throws the SmsImportError (every record problem, up to 100).
   */
  accept(message: KamarMessage & { sync: RollSync }): AcceptOutcome {
    const session = this.sessionFor(message.sync);
    session.chunks++;
    if (message.version) session.version = message.version;
    this.restartTimer(session);
    // Nothing of a spoiled run is kept, so its later chunks are not even merged.
    if (session.failed)
      return this.refuse(session.failed.kind === 'message' ? 'spoiled' : session.failed.kind, session);
    const problems = new SmsProblemList();
    try {
      session.counts.add(
        mergeRollChunk(message, session.state, session.warnings, this.options.chunk, problems),
        message.file,
      );
      problems.throwIfAny();
    } catch (error) {
      const refused = error instanceof SmsImportError ? inPart(error, session.chunks) : undefined;
      session.failed = {
        kind: 'message',
        reason: refused ? refused.message : `part ${session.chunks} of the push could not be read`,
        ...(refused ? { error: refused } : {}),
      };
      this.lastFailureAt = Date.now();
      throw error;
    }
    // After the read, so that a chunk's own problems are named first.
    if (message.sync === 'part' && !this.current && !this.sessions.has('full')) {
      session.failed = {
        kind: 'no-roll',
        reason: 'a part sync arrived before any full sync: run a full sync in KAMAR first',
      };
      return this.refuse('no-roll', session);
    }
    const counts = session.counts.impossible((key) => session.state.distinct(key));
    if (counts) {
      session.failed = {
        kind: 'count',
        reason: counts.message,
        error: new SmsImportError('missing', counts.message, counts.where),
      };
      return this.refuse('count', session);
    }
    return { ok: true };
  }

  /** A message that could not be read (its sync type unknown) spoils every sync in progress. */
  fail(reason: string): void {
    this.lastFailureAt = Date.now();
    for (const session of this.sessions.values()) session.failed ??= { kind: 'message', reason };
  }

  /**
   * Stops: a sync still arriving (or waiting for its quiet time) cannot be completed, so it is
   * discarded with the reason, and the app records it, rather than vanishing.
   */
  close(): void {
    this.closed = true;
    for (const session of this.sessions.values()) {
      clearTimeout(session.timer);
      this.options.onDiscard({
        sync: session.sync,
        reason: 'ClassBridge stopped before the push was complete: run it again in KAMAR',
        chunks: session.chunks,
      });
    }
    this.sessions.clear();
  }

  private refuse(refusal: RefusalKind, session: Session): AcceptOutcome {
    const wait = `${Math.ceil(this.options.settleMs / 1000)} s`;
    const reason = session.failed?.reason ?? '';
    const detail =
      refusal === 'no-roll'
        ? reason
        : refusal === 'recent-failure'
          ? `a message failed just before this push started, so it may have been its first part; ` +
            `wait ${wait} and run it again`
          : `${reason}; ClassBridge keeps none of this push: wait ${wait} and run it again`;
    return { ok: false, refusal, detail };
  }

  private sessionFor(sync: RollSync): Session {
    const open = this.sessions.get(sync);
    if (open) return open;
    const session: Session = {
      sync,
      state: new RollState(),
      warnings: new WarningSink(),
      chunks: 0,
      counts: new CountCheck(),
    };
    // A failure just before the first chunk we saw may have been this sync's own first chunk.
    if (Date.now() - this.lastFailureAt < this.options.settleMs) {
      session.failed = { kind: 'recent-failure', reason: 'a message just before this push failed' };
    }
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
    const discard = (reason: string, error?: SmsImportError): void =>
      this.options.onDiscard({ sync: session.sync, reason, chunks: session.chunks, ...(error ? { error } : {}) });
    if (session.failed) return discard(session.failed.reason, session.failed.error);
    const counts = session.counts.incomplete((key) => session.state.distinct(key));
    if (counts) return discard(counts.message, new SmsImportError('missing', counts.message, counts.where));
    let roll: RollState;
    if (session.sync === 'full') roll = session.state;
    else if (this.current) roll = this.current.withDelta(session.state);
    else return discard('a part sync arrived before any full sync: run a full sync in KAMAR first');
    // Adopted at once so a sync right behind builds on it; given back if the app did not store it.
    const previous = this.current;
    this.current = roll;
    const restore = (): void => {
      if (this.current === roll) this.current = previous;
    };
    const done: CompletedSync = {
      sync: session.sync,
      roll,
      chunks: session.chunks,
      warnings: session.warnings.list(),
      ...(session.version ? { version: session.version } : {}),
    };
    new Promise<boolean>((resolve) => resolve(this.options.onComplete(done))).then((stored) => {
      if (!stored) restore();
    }, restore);
  }
}

/** The chunk's error with which part of the push it was, for the run the app records. */
function inPart(error: SmsImportError, part: number): SmsImportError {
  const [, ...rest] = error.problems;
  return new SmsImportError(error.kind, `part ${part} of the push was refused: ${error.message}`, error.where, rest);
}
