import { systemClock, type SchedulerClock } from './clock';
import { dueAt } from './due';
import {
  scheduleKey,
  type DueRun,
  type PartRegistration,
  type PartScheduleState,
  type RunTrigger,
  type RunVerdict,
  type ScheduleKey,
  type SchedulerEvent,
  type SchedulerOptions,
} from './scheduler-types';

interface Entry extends PartScheduleState {
  /** The current run already counted a skip, so a long run is noted once, not on every tick. */
  skipNoted: boolean;
}

/**
 * Runs each registered part when it is due: at most one run per part at a time, failures backed
 * off, one catch-up run after a sleep, nothing while paused. Parts of different connections are
 * independent. All time comes from the injected clock.
 */
export class Scheduler {
  private readonly entries = new Map<ScheduleKey, Entry>();
  private readonly inFlight = new Map<ScheduleKey, Promise<RunVerdict>>();
  private readonly clock: SchedulerClock;
  private readonly maxTimerMs: number;
  private timeZone: string;
  private allPaused: boolean;
  private started = false;
  private timer: unknown;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxTimerMs = options.maxTimerMs ?? 60_000;
    this.timeZone = options.timeZone;
    this.allPaused = options.paused ?? false;
  }

  /** Adds a part, or changes its schedule (and pause) while keeping its history. */
  register(registration: PartRegistration): ScheduleKey {
    const key = scheduleKey(registration.connectionId, registration.part);
    const existing = this.entries.get(key);
    if (existing) {
      existing.schedule = registration.schedule;
      if (registration.paused !== undefined) existing.paused = registration.paused;
    } else {
      this.entries.set(key, {
        key,
        connectionId: registration.connectionId,
        part: registration.part,
        schedule: registration.schedule,
        lastRunStart: registration.lastRunStart,
        lastRunEnd: registration.lastRunEnd,
        consecutiveFailures: registration.consecutiveFailures ?? 0,
        running: false,
        paused: registration.paused ?? false,
        skippedWhileRunning: 0,
        next: undefined,
        skipNoted: false,
      });
    }
    this.arm();
    return key;
  }

  /** Forgets a part (a run in progress finishes, but nothing is recorded for it). */
  unregister(key: ScheduleKey): void {
    this.entries.delete(key);
    this.arm();
  }

  setTimeZone(timeZone: string): void {
    this.timeZone = timeZone;
    this.arm();
  }

  start(): void {
    this.started = true;
    this.tick();
  }

  /** No more scheduled runs; resolves when the runs in progress have finished. */
  async stop(): Promise<void> {
    this.started = false;
    this.disarm();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /**
   * Runs a part now (Upload now, Download now), even while paused, and resets its schedule to one
   * period after this run. 'busy' when it is already running: the same part never runs twice at once.
   */
  async runNow(key: ScheduleKey): Promise<RunVerdict | 'busy'> {
    const entry = this.entryOf(key);
    if (entry.running) {
      this.noteSkip(entry, 'manual');
      return 'busy';
    }
    return this.fire(entry, 'manual');
  }

  /** Pauses one part, or with no key every part. Paused parts never run on their schedule. */
  pause(key?: ScheduleKey): void {
    if (key === undefined) this.allPaused = true;
    else this.entryOf(key).paused = true;
    this.arm();
  }

  /** Undoes pause(key) or pause(); the next run is worked out afresh (now, if one is overdue). */
  resume(key?: ScheduleKey): void {
    if (key === undefined) this.allPaused = false;
    else this.entryOf(key).paused = false;
    this.tick();
  }

  /** When the part runs next; undefined when paused or unknown. */
  next(key: ScheduleKey): Date | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.isPaused(entry)) return undefined;
    return this.dueOf(entry, this.clock.now());
  }

  state(key: ScheduleKey): PartScheduleState | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const { skipNoted: _skipNoted, ...state } = entry;
    return { ...state, paused: this.isPaused(entry), next: this.next(key) };
  }

  keys(): ScheduleKey[] {
    return [...this.entries.keys()];
  }

  /** Looks at the clock now, e.g. when the operating system reports a wake-up. */
  recheck(): void {
    this.tick();
  }

  private tick(): void {
    if (!this.started) return;
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      if (this.isPaused(entry) || this.dueOf(entry, now) > now) continue;
      if (entry.running) {
        if (!entry.skipNoted) this.noteSkip(entry, 'schedule');
      } else {
        void this.fire(entry, 'schedule');
      }
    }
    this.arm();
  }

  private async fire(entry: Entry, trigger: RunTrigger): Promise<RunVerdict> {
    const { key, connectionId, part } = entry;
    const startedAt = this.clock.now();
    entry.running = true;
    entry.skipNoted = false;
    entry.lastRunStart = startedAt;
    this.emit({ type: 'run-started', key, trigger, at: startedAt });
    const run = this.runSafely({ key, connectionId, part, trigger });
    const tracked = run.then((r) => r.verdict);
    this.inFlight.set(key, tracked);
    const { verdict, error } = await run;
    if (this.inFlight.get(key) === tracked) this.inFlight.delete(key);
    entry.running = false;
    entry.lastRunEnd = this.clock.now();
    entry.consecutiveFailures = verdict === 'ok' ? 0 : entry.consecutiveFailures + 1;
    this.emit({ type: 'run-finished', key, trigger, verdict, at: entry.lastRunEnd, ...(error ? { error } : {}) });
    this.arm();
    return verdict;
  }

  private async runSafely(run: DueRun): Promise<{ verdict: RunVerdict; error?: unknown }> {
    try {
      return { verdict: await this.options.onDue(run.key, run) };
    } catch (error) {
      return { verdict: 'failed', error: error ?? new Error('The run failed without a reason') };
    }
  }

  private noteSkip(entry: Entry, trigger: RunTrigger): void {
    entry.skippedWhileRunning++;
    if (trigger === 'schedule') entry.skipNoted = true;
    this.emit({ type: 'run-skipped', key: entry.key, trigger, reason: 'already-running', at: this.clock.now() });
  }

  /** One timer for the earliest due part, never longer than maxTimerMs. */
  private arm(): void {
    this.disarm();
    if (!this.started) return;
    const now = this.clock.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.entries.values()) {
      // A running part is looked at again when it ends (or once, to note a skip).
      if (this.isPaused(entry) || (entry.running && entry.skipNoted)) continue;
      earliest = Math.min(earliest, this.dueOf(entry, now).getTime());
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(Math.max(earliest - now.getTime(), 0), this.maxTimerMs);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * While a part runs, its next regular run counts from this run's start; the backoff of earlier
   * failures applies only once this run has ended as well.
   */
  private dueOf(entry: Entry, now: Date): Date {
    const history = entry.running ? { lastRunStart: entry.lastRunStart, consecutiveFailures: 0 } : entry;
    return dueAt(history, entry.schedule, this.timeZone, now);
  }

  private isPaused(entry: Entry): boolean {
    return this.allPaused || entry.paused;
  }

  private entryOf(key: ScheduleKey): Entry {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`No part is scheduled as ${key}`);
    return entry;
  }

  /** A listener that throws is ignored: it must not stop the schedule. */
  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // The listener reports its own problems; the schedule goes on.
    }
  }
}
