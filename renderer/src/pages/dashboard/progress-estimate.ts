/**
 * The words under a long run's progress bar: "1,240 of 4,000 changes done · 310 a minute · about 9 minutes
 * left". The rate is the engine's (status:get `parts[].progress.perMinute`, measured from the run's
 * first counted sample): the renderer only divides what is left by it, so every window shows the same
 * estimate and a reload does not start the estimate over.
 */
export interface ProgressSample {
  done: number;
  total: number;
  perMinute?: number | null | undefined;
}

export interface ProgressEstimate {
  /** For the <progress> element: done never above total. */
  value: number;
  max: number;
  /** Whole minutes left, rounded up to at least 1; null while there is no rate or nothing is left. */
  minutesLeft: number | null;
  /** The line shown and read out. */
  words: string;
}

const number = new Intl.NumberFormat('en');

/** "about 9 minutes left", "about 1 hour 20 minutes left", "less than a minute left". */
export function timeLeftWords(minutes: number): string {
  if (minutes < 1) return 'less than a minute left';
  const rounded = Math.round(minutes);
  if (rounded < 60) return `about ${rounded} ${rounded === 1 ? 'minute' : 'minutes'} left`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  const h = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `about ${h}${rest > 0 ? ` ${rest} ${rest === 1 ? 'minute' : 'minutes'}` : ''} left`;
}

/** "310 a minute"; a slow run is told per hour rather than as "0 a minute". */
export function rateWords(perMinute: number): string {
  if (perMinute >= 1) return `${number.format(Math.round(perMinute))} a minute`;
  return `${number.format(Math.max(1, Math.round(perMinute * 60)))} an hour`;
}

/**
 * The estimate for one sample. `unit` names what is counted ("changes", "courses"). Done above total
 * (a count that ran over the plan) shows as all done and "finishing", never a negative time.
 */
export function estimateProgress(sample: ProgressSample, unit: string): ProgressEstimate {
  const max = Math.max(0, sample.total);
  const value = Math.min(Math.max(0, sample.done), max);
  const left = max - value;
  const rate = sample.perMinute != null && sample.perMinute > 0 ? sample.perMinute : null;
  const counted = `${number.format(value)} of ${number.format(max)} ${unit} done`;
  if (left === 0) return { value, max, minutesLeft: null, words: `${counted} · finishing` };
  if (rate === null) return { value, max, minutesLeft: null, words: `${counted} · working out the time left` };
  const minutes = left / rate;
  return {
    value,
    max,
    minutesLeft: Math.max(1, Math.ceil(minutes)),
    words: `${counted} · ${rateWords(rate)} · ${timeLeftWords(minutes)}`,
  };
}
