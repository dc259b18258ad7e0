import { describe, expect, it } from 'vitest';
import { estimateProgress, rateWords, timeLeftWords } from './progress-estimate';

describe('estimateProgress', () => {
  it('at a steady rate, divides what is left by it', () => {
    const e = estimateProgress({ done: 1240, total: 4000, perMinute: 310 }, 'changes');
    expect(e).toEqual({
      value: 1240,
      max: 4000,
      minutesLeft: 9,
      words: '1,240 of 4,000 changes done · 310 a minute · about 9 minutes left',
    });
  });

  it('with no rate yet, says it is working the time out and invents none', () => {
    for (const perMinute of [null, undefined, 0]) {
      const e = estimateProgress({ done: 100, total: 4000, perMinute }, 'changes');
      expect(e.minutesLeft).toBeNull();
      expect(e.words).toBe('100 of 4,000 changes done · working out the time left');
    }
  });

  it('with done above total, shows it all done and finishing, never a negative time', () => {
    const e = estimateProgress({ done: 4100, total: 4000, perMinute: 300 }, 'changes');
    expect(e).toEqual({ value: 4000, max: 4000, minutesLeft: null, words: '4,000 of 4,000 changes done · finishing' });
  });

  it('rounds long and short times in words', () => {
    expect(estimateProgress({ done: 0, total: 8000, perMinute: 100 }, 'changes').words).toContain(
      'about 1 hour 20 minutes left',
    );
    expect(timeLeftWords(0.4)).toBe('less than a minute left');
    expect(timeLeftWords(1.2)).toBe('about 1 minute left');
    expect(timeLeftWords(120)).toBe('about 2 hours left');
    expect(rateWords(0.5)).toBe('30 an hour');
  });
});
