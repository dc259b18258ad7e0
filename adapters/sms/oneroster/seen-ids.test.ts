import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids';

describe('SeenIds (the duplicate-sourcedId check)', () => {
  it('answers the first line of an id seen before, and undefined for a new one', () => {
    const seen = new SeenIds();
    expect(seen.firstLineOrAdd('E1', 2)).toBeUndefined();
    expect(seen.firstLineOrAdd('E2', 3)).toBeUndefined();
    expect(seen.firstLineOrAdd('E1', 9)).toBe(2);
    // The first line stays the one reported.
    expect(seen.firstLineOrAdd('E1', 12)).toBe(2);
  });

  it('keeps 300,000 distinct ids apart while growing, and still finds every repeat', () => {
    const seen = new SeenIds();
    for (let i = 0; i < 300_000; i++) expect(seen.firstLineOrAdd(`enr-${i}`, i + 2)).toBeUndefined();
    for (const i of [0, 1, 1023, 1024, 150_000, 299_999]) expect(seen.firstLineOrAdd(`enr-${i}`, 1)).toBe(i + 2);
    expect(seen.firstLineOrAdd('', 5)).toBeUndefined();
    expect(seen.firstLineOrAdd('ünïcødé-ø', 6)).toBeUndefined();
    expect(seen.firstLineOrAdd('ünïcødé-ø', 7)).toBe(6);
  });
});
