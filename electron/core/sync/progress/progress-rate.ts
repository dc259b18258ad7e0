/**
 * How far a running part is, as the dashboard and the wizard show it: work ended of planned, and the
 * rate it goes at, so the renderer can say "about 9 minutes left" without guessing.
 *
 * The rate is measured from the first sample of the run, not from the run's start: planning (reading
 * the snapshot, diffing it) comes before anything is counted and would make the first minutes look
 * slow. Until two samples at least a second apart have moved the count, there is no rate (null), and
 * the UI says it is still working the time out rather than inventing one.
 */
export interface PartProgress {
  /** Work ended so far: operations for an upload or reconcile, courses read for a download. */
  done: number;
  /** Work planned. */
  total: number;
  /** Work ended per minute since counting began; null until it can be measured. */
  perMinute: number | null;
}

/** Shorter than this between the first and the latest sample, a rate would be noise. */
const MIN_MEASURED_MS = 1000;

export class ProgressRate {
  private first: { at: number; done: number } | undefined;
  private latest: PartProgress = { done: 0, total: 0, perMinute: null };

  /** Takes one sample (at `at`, ms) and answers the progress with the rate so far. */
  sample(done: number, total: number, at: number = Date.now()): PartProgress {
    this.first ??= { at, done };
    const elapsed = at - this.first.at;
    const moved = done - this.first.done;
    const perMinute = elapsed >= MIN_MEASURED_MS && moved > 0 ? (moved / elapsed) * 60_000 : null;
    this.latest = { done, total, perMinute };
    return this.latest;
  }

  /** The last sample taken. */
  current(): PartProgress {
    return this.latest;
  }
}
