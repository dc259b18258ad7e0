import { describe, expect, it } from 'vitest';
import { createDateConverter } from './dates';

describe('createDateConverter', () => {
  it('starts a day at midnight in the school time zone, across daylight saving', () => {
    const nz = createDateConverter('Pacific/Auckland');
    expect(nz.start('2026-02-02')).toBe(Date.UTC(2026, 1, 1, 11) / 1000); // NZDT, UTC+13
    expect(nz.start('2026-07-01')).toBe(Date.UTC(2026, 5, 30, 12) / 1000); // NZST, UTC+12
  });

  it('ends an end date at the end of that day (inclusive)', () => {
    expect(createDateConverter('UTC').end('2026-12-11')).toBe(Date.UTC(2026, 11, 12) / 1000);
  });

  it('has 0 for no date or an unreadable one', () => {
    const utc = createDateConverter('UTC');
    expect(utc.start(undefined)).toBe(0);
    expect(utc.end('')).toBe(0);
    expect(utc.start('31/12/2026')).toBe(0);
  });
});
