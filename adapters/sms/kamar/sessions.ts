import { randomUUID } from 'node:crypto';
import { SmsImportError, SmsProblemList, type SmsWarning } from '../../contract';
import { mergeRollChunk, type ChunkOptions } from './chunk';
import { CountCheck } from './counts';
import { parseEnvelope, parseJsonText, type KamarMessage } from './envelope';
import { RollState } from './roll';
import { spoolForm, type KamarSpool, type SpooledRun } from './spool';
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
  /** Told of a dropped sync; the spooled run is removed once what it returns has settled. */
  onDiscard(discarded: DiscardedSync): unknown;
  /** Where accepted chunks are kept until their sync ends; without it they live in memory only. */
  spool?: KamarSpool;
  /** Told what happened to spooled runs at start and stop, for the log. */
  onSpoolNote?(note: { runId: string; sync: RollSync; chunks: number; event: 'resumed' | 'kept' }): void;
  now?: () => number;
}

interface Failure {
  kind: Exclude<RefusalKind, 'spoiled'> | 'message';
  reason: string;
  error?: SmsImportError;
}

interface Session {
  /** The spool's key for this run. */
  id: string;
  sync: RollSync;
  /** Digests of the chunks merged so far: a chunk KAMAR sends again is answered but merged once. */
  digests: Set<string>;
  lastAt: number;
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
  /** Completions handed to the app and not yet settled, so close() can wait for them. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly now: () => number;

  constructor(private readonly options: AssemblerOptions) {
    this.current = options.baseline;
    this.now = options.now ?? Date.now;
  }

  /**
   * Merges one chunk, or refuses it when its push can no longer end as a snapshot. On a chunk with
   * bad records spoils its sync and throws the SmsImportError (every record problem, up to 100).
   */
  accept(message: KamarMessage & { sync: RollSync }): AcceptOutcome {
    const session = this.sessionFor(message.sync, false);
    const spooled = spoolForm(message, this.options.chunk.caregivers === true);
    session.lastAt = this.now();
    this.restartTimer(session);
    if (session.digests.has(spooled.digest)) {
      // KAMAR sent this chunk again (it did not get our answer): same answer, nothing merged or stored twice.
      return session.failed ? this.refuse(refusalOf(session.failed), session) : { ok: true };
    }
    session.chunks++;
    if (message.version) session.version = message.version;
    const outcome = this.merge(session, spooled.message, true);
    if (outcome.ok) {
      // Durable before KAMAR is told "OK" (README "When is a push complete"). A write that fails
      // (a full disk) spoils the push, which was merged but not kept, and throws: KAMAR gets an error.
      try {
        this.options.spool?.append({
          runId: session.id,
          sync: session.sync,
          index: session.chunks,
          receivedAt: session.lastAt,
          digest: spooled.digest,
          body: spooled.body,
        });
      } catch (error) {
        this.spoil(session, {
          kind: 'message',
          reason: `part ${session.chunks} of the push could not be saved (${(error as Error).message}): run it again in KAMAR`,
        });
        throw error;
      }
      session.digests.add(spooled.digest);
    }
    return outcome;
  }

  /** Merges one chunk into its session: live (may throw the chunk's SmsImportError) or replayed from the spool. */
  private merge(session: Session, message: KamarMessage, live: boolean): AcceptOutcome {
    // Nothing of a spoiled run is kept, so its later chunks are not even merged.
    if (session.failed) return this.refuse(refusalOf(session.failed), session);
    const problems = new SmsProblemList();
    try {
      session.counts.add(
        mergeRollChunk(message, session.state, session.warnings, this.options.chunk, problems),
        message.file,
      );
      problems.throwIfAny();
    } catch (error) {
      const refused = error instanceof SmsImportError ? inPart(error, session.chunks) : undefined;
      const failure: Failure = {
        kind: 'message',
        reason: refused ? refused.message : `part ${session.chunks} of the push could not be read`,
        ...(refused ? { error: refused } : {}),
      };
      this.spoil(session, failure);
      if (!live) return { ok: false, refusal: 'spoiled', detail: failure.reason };
      this.lastFailureAt = this.now();
      throw error;
    }
    // After the read, so that a chunk's own problems are named first.
    if (session.sync === 'part' && !this.current && !this.sessions.has('full')) {
      this.spoil(session, {
        kind: 'no-roll',
        reason: 'a part sync arrived before any full sync: run a full sync in KAMAR first',
      });
      return this.refuse('no-roll', session);
    }
    const counts = session.counts.impossible((key) => session.state.distinct(key));
    if (counts) {
      this.spoil(session, {
        kind: 'count',
        reason: counts.message,
        error: new SmsImportError('missing', counts.message, counts.where),
      });
      return this.refuse('count', session);
    }
    return { ok: true };
  }

  /** A message that could not be read (its sync type unknown) spoils every sync in progress. */
  fail(reason: string): void {
    this.lastFailureAt = this.now();
    for (const session of this.sessions.values()) if (!session.failed) this.spoil(session, { kind: 'message', reason });
  }

  /**
   * Picks up the runs a stopped receiver left in the spool (call before listening): each is replayed
   * chunk by chunk and completes when its quiet period ends, counted from its last chunk (at once
   * when that is past), as if nothing had stopped; a run marked failed, or one that no longer reads,
   * is dropped with its reason, so the app records it as a refused import.
   */
  resume(): void {
    const spool = this.options.spool;
    if (!spool) return;
    let runs: SpooledRun[];
    try {
      runs = spool.runs();
    } catch (error) {
      throw new Error(`the saved KAMAR pushes could not be read: ${(error as Error).message}`, { cause: error });
    }
    for (const run of runs) {
      // One open run per type: an older one of the same type ends first (its quiet period is over).
      const open = this.sessions.get(run.sync);
      if (open) {
        clearTimeout(open.timer);
        this.finish(open);
      }
      const session = this.sessionFor(run.sync, true, run.runId);
      for (const chunk of run.chunks) {
        session.chunks++;
        session.lastAt = Math.max(session.lastAt, chunk.receivedAt);
        session.digests.add(chunk.digest);
        if (session.failed) continue;
        let message: KamarMessage;
        try {
          message = parseEnvelope(parseJsonText(chunk.body, 'KAMAR message'), 'KAMAR message');
        } catch {
          this.spoil(session, {
            kind: 'message',
            reason: `part ${session.chunks} of the push, kept while ClassBridge restarted, could not be read: run it again in KAMAR`,
          });
          continue;
        }
        if (message.version) session.version = message.version;
        this.merge(session, message, false);
      }
      if (run.failedReason && !session.failed) session.failed = { kind: 'message', reason: run.failedReason };
      this.options.onSpoolNote?.({ runId: run.runId, sync: run.sync, chunks: session.chunks, event: 'resumed' });
      if (run.chunks.length === 0 || session.failed) {
        this.finish(session);
        continue;
      }
      const wait = Math.max(0, this.options.settleMs - (this.now() - session.lastAt));
      this.restartTimer(session, wait);
    }
  }

  /**
   * Stops. With a spool, a sync still arriving (or waiting for its quiet time) stays spooled and the
   * next start completes it: KAMAR publishes no "last chunk" marker, so a run cut off by the stop
   * cannot be known to be complete, and completing it now would store (or refuse) half a push while
   * KAMAR retries the rest into a new run after the restart; left spooled, those retries join it and
   * the push ends as one, exactly as without the stop. A spoiled run is recorded now (it can only
   * fail). Without a spool, an open sync cannot survive, so it is discarded with the reason, and the
   * app records it, rather than vanishing. Resolves once completions already handed to the app settled.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const session of this.sessions.values()) {
      clearTimeout(session.timer);
      if (this.options.spool && !session.failed) {
        this.options.onSpoolNote?.({ runId: session.id, sync: session.sync, chunks: session.chunks, event: 'kept' });
        continue;
      }
      this.discard(
        session,
        session.failed?.reason ?? 'ClassBridge stopped before the push was complete: run it again in KAMAR',
        session.failed?.error,
      );
    }
    this.sessions.clear();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private spoil(session: Session, failure: Failure): void {
    session.failed = failure;
    // So a restart before the quiet period ends records the run as refused instead of completing it.
    // If even that cannot be written, the run is still refused in this process; a crash before its
    // quiet period ends would then replay only its good chunks (the push KAMAR was told failed).
    try {
      this.options.spool?.markFailed({ runId: session.id, sync: session.sync, reason: failure.reason });
    } catch {
      // the refusal itself is what matters now, and it is already in memory
    }
  }

  private discard(session: Session, reason: string, error?: SmsImportError): void {
    const told = new Promise<unknown>((resolve) =>
      resolve(
        this.options.onDiscard({ sync: session.sync, reason, chunks: session.chunks, ...(error ? { error } : {}) }),
      ),
    );
    this.track(told.catch(() => undefined).then(() => this.options.spool?.remove(session.id)));
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
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

  private sessionFor(sync: RollSync, replay: boolean, id: string = randomUUID()): Session {
    const open = this.sessions.get(sync);
    if (open && !replay) return open;
    const session: Session = {
      id,
      sync,
      digests: new Set(),
      lastAt: 0,
      state: new RollState(),
      warnings: new WarningSink(),
      chunks: 0,
      counts: new CountCheck(),
    };
    // A failure just before the first chunk we saw may have been this sync's own first chunk.
    if (!replay && this.now() - this.lastFailureAt < this.options.settleMs) {
      session.failed = { kind: 'recent-failure', reason: 'a message just before this push failed' };
    }
    this.sessions.set(sync, session);
    return session;
  }

  private restartTimer(session: Session, wait = this.options.settleMs): void {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => this.finish(session), wait);
    session.timer.unref();
  }

  private finish(session: Session): void {
    if (this.sessions.get(session.sync) === session) this.sessions.delete(session.sync);
    if (this.closed) return;
    const discard = (reason: string, error?: SmsImportError): void => this.discard(session, reason, error);
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
    // The spooled run is removed once the app has settled it either way (stored, or recorded as
    // refused): a stop before then leaves it for the next start.
    this.track(
      new Promise<boolean>((resolve) => resolve(this.options.onComplete(done)))
        .then((stored) => {
          if (!stored) restore();
        }, restore)
        .then(() => this.options.spool?.remove(session.id)),
    );
  }
}

function refusalOf(failure: Failure): RefusalKind {
  return failure.kind === 'message' ? 'spoiled' : failure.kind;
}

/** The chunk's error with which part of the push it was, for the run the app records. */
function inPart(error: SmsImportError, part: number): SmsImportError {
  const [, ...rest] = error.problems;
  return new SmsImportError(error.kind, `part ${part} of the push was refused: ${error.message}`, error.where, rest);
}
