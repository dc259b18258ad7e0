import { describe, expect, it } from 'vitest';
import { ProgressRate } from './progress-rate';

describe('ProgressRate', () => {
  it('has no rate from one sample, then measures from the first sample, not the run start', () => {
    const rate = new ProgressRate();
    expect(rate.sample(100, 4000, 10_000)).toEqual({ done: 100, total: 4000, perMinute: null });
    // 300 more in 60 s: 300 a minute (the 100 before the first sample do not count).
    expect(rate.sample(400, 4000, 70_000)).toEqual({ done: 400, total: 4000, perMinute: 300 });
    expect(rate.current().perMinute).toBe(300);
  });

  it('gives no rate while less than a second has passed or nothing moved', () => {
    const rate = new ProgressRate();
    rate.sample(10, 100, 0);
    expect(rate.sample(20, 100, 500).perMinute).toBeNull();
    expect(rate.sample(10, 100, 5000).perMinute).toBeNull();
  });
});
