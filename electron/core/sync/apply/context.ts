import { LmsError, type BatchResult, type LmsAdapter } from '../../../../adapters/contract';
import type { LinkDecisionsRepository } from '../../store/repositories/link-decisions-repository';
import type { NewRunError } from '../../store/repositories/runs-repository';
import { resolveRecord, type OpKind, type Placeholder, type Resolved } from '../plan';
import type { ApplyJournal, LearntLink, LinkedEntity } from './journal';
import type { CourseCopyJournal } from './course-copies';
import type { KindCounts, SkipCause, SkippedOp } from './types';

/** The part of an operation the apply step reads: its SMS key. */
export interface KeyedOp {
  key: string;
}

export interface Pair<O extends KeyedOp, R> {
  op: O;
  record: R;
}

const MAX_SKIPPED_LISTED = 50;
const DEFAULT_FIX = 'Check the record in the SMS and in the LMS, then run the upload again.';

function describePlaceholder(p: Placeholder): string {
  if ('smsPersonId' in p) return `user ${p.smsPersonId}`;
  if ('smsCourseId' in p) return `course ${p.smsCourseId}`;
  return `group ${p.smsGroupId}`;
}

/** What user creates need to decide about LMS accounts that already exist (see creates.ts). */
export interface AccountDecisions {
  connectionId: string;
  decisions: LinkDecisionsRepository;
  /** The connection's mapping.linkExistingAccounts. */
  linkExisting: boolean;
}

/** Batches of one kind in flight at once (see ApplyContext.pipelined). */
const PIPELINE_DEPTH = 3;

/**
 * The bookkeeping every operation kind shares: resolving placeholders, sending a batch, recording
 * each outcome (done set, counts, run errors, learnt ids) and journalling it as its batch ends.
 */
export class ApplyContext {
  readonly done = new Set<string>();
  readonly counts = new Map<OpKind, KindCounts>();
  readonly notes: string[] = [];
  readonly skippedOps: SkippedOp[] = [];
  linked = 0;
  /** Set by applyPlan; without it an account ClassBridge may not take over is a per-record error. */
  accounts: AccountDecisions | undefined;
  /** Set by applyPlan: the journal of course copies under way (course-copies.ts); without it none are made. */
  courseCopies: CourseCopyJournal | undefined;

  constructor(
    readonly adapter: LmsAdapter,
    readonly journal: ApplyJournal,
    private readonly runId: number,
    private readonly batchSize: number,
    private readonly describeError: (kind: OpKind, key: string, error: LmsError) => NewRunError,
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: (kind: OpKind, processed: number) => void = () => undefined,
  ) {}

  /** Operations that have ended one way or another (ok, failed, skipped) so far. */
  processed(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.ok + c.failed + c.skipped;
    return n;
  }

  private progressed(kind: OpKind): void {
    this.onProgress(kind, this.processed());
  }

  static doneKey(kind: OpKind, key: string): string {
    return `${kind}\u0000${key}`;
  }

  count(kind: OpKind): KindCounts {
    let c = this.counts.get(kind);
    if (!c) this.counts.set(kind, (c = { sent: 0, ok: 0, failed: 0, skipped: 0 }));
    return c;
  }

  batches<T>(items: readonly T[]): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += this.batchSize) out.push(items.slice(i, i + this.batchSize));
    return out;
  }

  /**
   * Works through the batches with the next one started while the last is still in flight, so the LMS's
   * workers are never idle at a batch boundary (look-ups, the journal write, the slowest request of a
   * batch). A bare client that keeps 4 requests in flight does the same; one batch at a time left about
   * 13% of a real Moodle's capacity unused. Batches of one kind are independent (each looks up its own
   * records before creating them), and at most PIPELINE_DEPTH batches are unjournalled at a crash.
   * The first error stops new batches; the ones in flight finish before it is thrown.
   */
  async pipelined<T>(items: readonly T[], work: (batch: T[]) => Promise<void>): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for (const batch of this.batches(items)) {
      if (failure) break;
      try {
        this.checkAborted();
      } catch (error) {
        failure = { error };
        break;
      }
      const running: Promise<void> = work(batch)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= PIPELINE_DEPTH) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  }

  /** Between batches: a stop asked for by the engine (shutdown, pause). */
  checkAborted(): void {
    this.signal?.throwIfAborted();
  }

  /** The planned record with LMS ids, or undefined (and the op reported skipped) when one is unknown. */
  resolve<O extends KeyedOp, R extends object>(kind: OpKind, op: O, record: R): Resolved<R> | undefined {
    const r = resolveRecord(record, this.journal.lookup());
    if (r.ok) return r.record;
    this.skip(
      kind,
      op.key,
      'missing-dependency',
      `not sent: ${r.missing.map(describePlaceholder).join(', ')} is not in the LMS (its create failed or was skipped)`,
    );
    return undefined;
  }

  resolveAll<O extends KeyedOp, R extends object>(
    kind: OpKind,
    ops: readonly O[],
    pick: (op: O) => R,
  ): Pair<O, Resolved<R>>[] {
    const out: Pair<O, Resolved<R>>[] = [];
    for (const op of ops) {
      const record = this.resolve(kind, op, pick(op));
      if (record !== undefined) out.push({ op, record });
    }
    return out;
  }

  skip(kind: OpKind, key: string, cause: SkipCause, detail: string): void {
    this.count(kind).skipped += 1;
    if (this.skippedOps.length < MAX_SKIPPED_LISTED) this.skippedOps.push({ kind, key, cause, detail });
    this.progressed(kind);
  }

  /**
   * Sends one batch and records every outcome. `learn` turns a successful create's answer into the
   * link to journal. The links and run errors of the batch are written in one transaction.
   */
  async send<O extends KeyedOp, R, V>(
    kind: OpKind,
    pairs: readonly Pair<O, R>[],
    call: (records: R[]) => Promise<BatchResult<V>>,
    learn?: (op: O, value: V) => LearntLink,
  ): Promise<void> {
    if (pairs.length === 0) return;
    this.checkAborted();
    this.count(kind).sent += pairs.length;
    const result = await call(pairs.map((p) => p.record));
    this.notes.push(...result.notes);
    const links: LearntLink[] = [];
    const errors: NewRunError[] = [];
    pairs.forEach((p, i) => {
      const outcome = result.outcomes[i] ?? {
        ok: false as const,
        error: new LmsError('unexpected', 'The LMS adapter gave no result for this record.'),
      };
      if (outcome.ok) {
        this.succeed(kind, p.op.key);
        if (learn) links.push(learn(p.op, outcome.value));
      } else {
        this.count(kind).failed += 1;
        errors.push(this.describeError(kind, p.op.key, outcome.error));
      }
    });
    this.journal.record(links, errors, this.runId);
    this.progressed(kind);
  }

  /** Creates that found their record already in the LMS: done, and the ids journalled. */
  linkExisting(kind: OpKind, entity: LinkedEntity, found: readonly { key: string; lmsId: number }[]): void {
    for (const f of found) this.succeed(kind, f.key);
    this.linked += found.length;
    this.journal.record(
      found.map((f) => ({ entity, smsId: f.key, lmsId: f.lmsId })),
      [],
      this.runId,
    );
    this.progressed(kind);
  }

  /**
   * Failures of a follow-up step after the operation itself succeeded (an old role that could not be
   * unassigned): run errors for the admin, counts unchanged.
   */
  reportFailures(kind: OpKind, failures: readonly { key: string; error: LmsError }[]): void {
    if (failures.length === 0) return;
    this.journal.record(
      [],
      failures.map((f) => this.describeError(kind, f.key, f.error)),
      this.runId,
    );
  }

  /** Per-record failures found before sending (e.g. a username taken by someone else). */
  failAll(kind: OpKind, failures: readonly { key: string; error: LmsError }[]): void {
    if (failures.length === 0) return;
    this.count(kind).failed += failures.length;
    this.journal.record(
      [],
      failures.map((f) => this.describeError(kind, f.key, f.error)),
      this.runId,
    );
    this.progressed(kind);
  }

  private succeed(kind: OpKind, key: string): void {
    this.count(kind).ok += 1;
    this.done.add(ApplyContext.doneKey(kind, key));
  }
}

export { DEFAULT_FIX };
