import {
  effectiveSchedule,
  scheduleKey,
  Scheduler,
  summariseRuns,
  type DueRun,
  type SchedulerClock,
  type ScheduleKey,
} from '../schedule';
import { PART_OF_SYNC_TARGET, type Part, type SyncTarget, type UploadKind } from '../model';
import type { ApplyProgress, RecordRef, UploadPart } from './apply';
import { ProgressRate, type PartProgress } from './progress/progress-rate';
import { hasStoredToken, TOKEN_POLL_MS } from './token-gate/token-gate';
import { runPart, SCHEDULED_PARTS, STOPPED_COUNT, type PartOutcome, type PartRunDeps } from './run-part';

/** The "run now" targets; what each runs is PART_OF_SYNC_TARGET (core/model/parts.ts), the one map. */
export type { SyncTarget } from '../model';

/** How a "run now" runs: one kind of record only (an upload), and what to do while another process writes. */
export interface RunNowOptions {
  only?: UploadKind;
  /** 'wait' (the default, as scheduled runs do) or 'give-up' at once, naming the other writer. */
  ifBusy?: 'wait' | 'give-up';
}

/**
 * The engine's clock-driven side: one Scheduler for every LMS connection's scheduled parts, kept in
 * step with the settings, and the manual "run now" that resets a part's schedule. Runs go through
 * the scheduler so a manual run never overlaps a scheduled one.
 */
export class SyncService {
  private scheduler: Scheduler | undefined;
  private readonly lastOutcome = new Map<ScheduleKey, PartOutcome>();
  /** The options of a "run now" the scheduler is about to fire (read by runDue as the run starts). */
  private readonly manualOptions = new Map<ScheduleKey, RunNowOptions>();
  /** Aborted by stop(): uploads and reconciles end after the batch they are sending. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly deps: PartRunDeps & {
      clock?: SchedulerClock;
      onChanged?: () => void;
      /** Told once per run that starts waiting for another process writing to the same LMS. */
      onWaiting?: (connectionId: string, message: string) => void;
    },
  ) {}

  /** (Re)builds the schedule from the current settings and connections. */
  refresh(): Promise<void> {
    // One rebuild at a time: two at once would each start a scheduler and leave one running unowned.
    const next = this.rebuilding.catch(() => undefined).then(() => this.rebuild());
    this.rebuilding = next;
    return next;
  }

  private rebuilding: Promise<void> = Promise.resolve();

  private async rebuild(): Promise<void> {
    await this.scheduler?.stop();
    // After stop() no scheduler starts again (a settings change racing the shutdown).
    if (this.shutdown.signal.aborted) return;
    const settings = this.deps.store.settings.get();
    const scheduler = new Scheduler({
      timeZone: settings.timeZone,
      paused: settings.paused,
      ...(this.deps.clock ? { clock: this.deps.clock } : {}),
      onDue: (key, run) => this.track(this.runDue(key, run)),
      onEvent: () => this.deps.onChanged?.(),
    });
    const waiting = new Set<string>();
    for (const connection of this.deps.store.connections.list()) {
      if (connection.kind !== 'lms') continue;
      // Saved a moment ago, its token not yet stored: no run until it is (sync/token-gate).
      if (!(await hasStoredToken(this.deps.secrets, connection.id))) {
        waiting.add(connection.id);
        continue;
      }
      for (const part of SCHEDULED_PARTS) {
        const history = summariseRuns(this.deps.store.runs.list({ connectionId: connection.id, part, limit: 50 }));
        // A run stopped by the last shutdown is carried on at once, not one period later.
        const resume = history.lastFinished?.counts[STOPPED_COUNT] !== undefined;
        scheduler.register({
          connectionId: connection.id,
          part,
          schedule: effectiveSchedule(settings, connection, part),
          ...(history.lastRunStart && !resume ? { lastRunStart: history.lastRunStart } : {}),
          ...(history.lastRunEnd && !resume ? { lastRunEnd: history.lastRunEnd } : {}),
          consecutiveFailures: history.consecutiveFailures,
        });
      }
    }
    scheduler.start();
    this.scheduler = scheduler;
    const changed = [...waiting].sort().join() !== [...this.tokenWaiting].sort().join();
    this.tokenWaiting = waiting;
    this.watchForTokens();
    // The status the window read when the settings changed came before this rebuild: a part now waiting
    // for its token (or no longer waiting) is told, so the card does not keep saying "Not scheduled".
    if (changed) this.deps.onChanged?.();
  }

  private tokenPoll: NodeJS.Timeout | undefined;

  /**
   * A token stored by another process (`classbridge secret set`) goes to the keychain, which tells
   * this engine nothing (the database watch sees only the database): while a connection waits for its
   * token, look every second (TOKEN_POLL_MS), and rebuild the schedule once it is there.
   */
  private watchForTokens(): void {
    clearTimeout(this.tokenPoll);
    if (this.tokenWaiting.size === 0 || this.shutdown.signal.aborted) return;
    this.tokenPoll = setTimeout(() => {
      void (async () => {
        for (const id of this.tokenWaiting) {
          if (await hasStoredToken(this.deps.secrets, id)) return this.refresh();
        }
        this.watchForTokens();
      })().catch(() => this.watchForTokens());
    }, TOKEN_POLL_MS);
    this.tokenPoll.unref();
  }

  /** LMS connections left out of the schedule because their token is not stored yet. */
  private tokenWaiting = new Set<string>();

  /** True while an LMS connection's parts wait for its token (the dashboard says so; no run fails). */
  waitingForToken(connectionId: string): boolean {
    return this.tokenWaiting.has(connectionId);
  }

  private async runDue(key: ScheduleKey, run: DueRun): Promise<'ok' | 'failed'> {
    const manual = run.trigger === 'manual' ? this.manualOptions.get(key) : undefined;
    try {
      const outcome = await runPart(
        this.deps,
        run.connectionId,
        run.part,
        run.trigger === 'manual' ? 'manual' : 'schedule',
        {
          ...(manual?.only ? { only: manual.only } : {}),
          onProgress: (p) => this.reportProgress(key, p),
          signal: this.shutdown.signal,
          // Another process (a `classbridge sync` in a terminal) writing to this LMS: wait for it
          // quietly and run after it, from what it left — not a failure, which would back off.
          whenBusy: manual?.ifBusy ?? 'wait',
          onWaiting: (message) => this.deps.onWaiting?.(run.connectionId, message),
        },
      );
      this.lastOutcome.set(key, outcome);
      return outcome.outcome === 'failed' ? 'failed' : 'ok';
    } finally {
      this.progress.delete(key);
      this.deps.onChanged?.();
    }
  }

  private readonly progress = new Map<ScheduleKey, ProgressRate>();
  private lastProgressEvent = 0;

  /** Keeps the latest progress of a running part, with its rate, and tells the UI at most twice a second. */
  private reportProgress(key: ScheduleKey, p: Pick<ApplyProgress, 'done' | 'total'>): void {
    let rate = this.progress.get(key);
    if (!rate) this.progress.set(key, (rate = new ProgressRate()));
    rate.sample(p.done, p.total);
    const now = Date.now();
    if (now - this.lastProgressEvent < 500 && p.done < p.total) return;
    this.lastProgressEvent = now;
    this.deps.onChanged?.();
  }

  /** How far a running part is (operations ended of planned), while its apply runs. */
  progressOf(connectionId: string, part: Part): PartProgress | undefined {
    return this.progress.get(scheduleKey(connectionId, part))?.current();
  }

  private readonly inFlight = new Set<Promise<unknown>>();
  private track<T>(run: Promise<T>): Promise<T> {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  /** Resolves when no run is under way (tests and shutdown: the scheduler fires runs on its own). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Upload now / Download now: runs the part for one or every LMS connection and resets its schedule. */
  async runNow(
    target: SyncTarget,
    connectionId?: string,
    options: RunNowOptions = {},
  ): Promise<({ connectionId: string } & PartOutcome)[]> {
    if (!this.scheduler) throw new Error('The sync service is not running.');
    const part = PART_OF_SYNC_TARGET[target];
    const ids = this.deps.store.connections
      .list()
      .filter((c) => c.kind === 'lms' && (connectionId === undefined || c.id === connectionId))
      .map((c) => c.id);
    // A connection saved a moment ago by another process (config import) is not in the schedule until
    // the engine notices the database changed: rebuild it now rather than fail the admin's click.
    if (ids.some((id) => !this.scheduler?.state(scheduleKey(id, part)))) await this.refresh();
    const results = [];
    for (const id of ids) {
      const key = scheduleKey(id, part);
      if (this.tokenWaiting.has(id)) {
        // Not in the schedule until its token is stored: the admin's click still gets the run and its fix.
        const outcome = await this.track(runPart(this.deps, id, part, 'manual', { signal: this.shutdown.signal }));
        results.push({ connectionId: id, ...outcome });
        continue;
      }
      this.manualOptions.set(key, options);
      let verdict;
      try {
        verdict = await this.scheduler!.runNow(key);
      } finally {
        this.manualOptions.delete(key);
      }
      if (verdict === 'busy') {
        // A scheduled run of this part is under way (e.g. the first run after start): its result is
        // the answer, rather than a second run on top of it.
        await this.whileRunning(this.scheduler!, key);
      }
      const outcome = this.lastOutcome.get(key);
      results.push({
        connectionId: id,
        ...outcome,
        outcome: outcome?.outcome ?? (verdict === 'busy' ? 'ok' : verdict),
        message: `${verdict === 'busy' ? 'It was already running; ' : ''}${outcome?.message ?? ''}`,
      });
    }
    return results;
  }

  /**
   * The Errors page's Retry: sends one failed record's operations now (after any upload under way in
   * this engine; while another process writes to the LMS it answers busy at once, naming it).
   */
  retryRecord(connectionId: string, part: UploadPart, record: RecordRef): Promise<PartOutcome> {
    return this.track(
      runPart(this.deps, connectionId, part, 'manual', { onlyRecord: record, signal: this.shutdown.signal }).finally(
        () => this.deps.onChanged?.(),
      ),
    );
  }

  private async whileRunning(scheduler: Scheduler, key: ScheduleKey): Promise<void> {
    while (scheduler.state(key)?.running) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  next(connectionId: string, part: Part): Date | undefined {
    return this.scheduler?.next(scheduleKey(connectionId, part));
  }

  /**
   * Shutdown: no new runs; an upload or reconcile under way finishes the batch it is sending,
   * journals it and stops (recorded as stopped, carried on at the next start); other parts finish.
   * Resolves when nothing runs any more.
   */
  async stop(): Promise<void> {
    this.shutdown.abort(new Error('ClassBridge is closing.'));
    clearTimeout(this.tokenPoll);
    await this.rebuilding.catch(() => undefined);
    await this.scheduler?.stop();
    await this.idle();
  }
}
