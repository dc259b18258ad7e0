/**
 * A PHP-FPM-like pool: at most `limit` requests are processed at once; the others wait in arrival order.
 * Also counts open requests (waiting + running) for peakConcurrency().
 */
export class WorkerPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private peak = 0;

  constructor(private limit: number | undefined) {}

  setLimit(limit: number | undefined): void {
    this.limit = limit;
    this.drain();
  }

  /** A request arrived; call the returned function once it is answered or its socket closed. */
  arrive(): () => void {
    this.open += 1;
    this.peak = Math.max(this.peak, this.open);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.open -= 1;
    };
  }

  /** Waits for a free worker; resolves to the function that gives it back. */
  async acquire(): Promise<() => void> {
    if (this.limit === undefined || this.running < this.limit) {
      this.running += 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.waiting.length > 0 && (this.limit === undefined || this.running < this.limit)) {
      this.running += 1;
      this.waiting.shift()?.();
    }
  }

  peakConcurrency(): number {
    return this.peak;
  }

  resetPeak(): void {
    this.peak = this.open;
  }
}
