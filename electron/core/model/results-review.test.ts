import { describe, expect, it } from 'vitest';
import { LmsConnectionSchema } from './connection';

const lms = (results: unknown) =>
  LmsConnectionSchema.safeParse({
    id: 'moodle-main',
    kind: 'lms',
    provider: 'moodle',
    name: 'Moodle',
    url: 'https://moodle.example.org',
    mapping: { results },
  });

describe('mapping.results (results delivery)', () => {
  it('defaults to automatic delivery with a 0.5 point review margin', () => {
    const parsed = lms({});
    expect(parsed.success && parsed.data.mapping.results).toEqual({ delivery: 'automatic', reviewMargin: 0.5 });
    const review = lms({ delivery: 'review', reviewMargin: 0 });
    expect(review.success && review.data.mapping.results).toEqual({ delivery: 'review', reviewMargin: 0 });
  });

  it('refuses an unknown delivery, a negative margin and an unknown key, naming the field', () => {
    const problem = (results: unknown) => {
      const parsed = lms(results);
      return parsed.success ? undefined : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
    };
    expect(problem({ delivery: 'later' })).toEqual([
      [
        'mapping.results.delivery',
        'Choose "automatic" (write changed results at once) or "review" (write only what the admin accepts)',
      ],
    ]);
    expect(problem({ reviewMargin: -1 })).toEqual([
      ['mapping.results.reviewMargin', 'The review margin cannot be negative (0 turns the queue off)'],
    ]);
    expect(problem({ reviewMargn: 1 })?.[0]?.[0]).toBe('mapping.results');
  });
});
