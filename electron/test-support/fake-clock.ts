import type { SchedulerClock } from '../core/schedule/clock';

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** Timers fired in one advance beyond this are a scheduler spinning on zero delays: a bug, reported. */
const MAX_TIMERS_PER_ADVANCE = 2_000_000;

/**
 * A clock for tests: time moves only when the test says so. `advance` walks through time firing each
 * timer at its own moment; `sleep` models a suspended computer, whose timers fire late, at wake-up.
 * Promises started by a timer (a part's run) settle before time moves on.
 */
export class FakeClock implements SchedulerClock {
  private current: number;
  private readonly timers = new Map<number, FakeTimer>();
  private lastId = 0;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.lastId;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that comes due at its own moment, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(new Date(this.current + ms));
  }

  async advanceTo(target: Date): Promise<void> {
    const end = target.getTime();
    await settle();
    for (let fired = 0; ; fired++) {
      if (fired > MAX_TIMERS_PER_ADVANCE) throw new Error('FakeClock: timers keep firing without time passing');
      const timer = this.earliestDueBy(end);
      if (!timer) break;
      this.current = Math.max(this.current, timer.at);
      this.timers.delete(timer.id);
      timer.callback();
      await settle();
    }
    this.current = Math.max(this.current, end);
  }

  /**
   * The computer sleeps for `ms`: no timer fires during the sleep; on waking, the clock has jumped and
   * every timer that came due fires once, late, at the wake-up time.
   */
  async sleep(ms: number): Promise<void> {
    this.current += ms;
    await this.advanceTo(new Date(this.current));
  }

  private earliestDueBy(end: number): FakeTimer | undefined {
    let earliest: FakeTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at <= end && (!earliest || timer.at < earliest.at)) earliest = timer;
    }
    return earliest;
  }
}

/** Lets promise chains started by a timer run to completion (the runner is async). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
