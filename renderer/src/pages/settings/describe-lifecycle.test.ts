import { describe, expect, it } from 'vitest';
import { LifecycleSchema } from '../../../../electron/core/model';
import { describeLifecycle } from './describe-lifecycle';

describe('describeLifecycle', () => {
  it('is Off with no lifecycle, or with both rules off', () => {
    expect(describeLifecycle(undefined)).toBe('Off');
    expect(describeLifecycle(LifecycleSchema.parse({}))).toBe('Off');
  });

  it('names the ended-course rule and every pause', () => {
    const lifecycle = LifecycleSchema.parse({
      endedCourses: 'close-and-hide',
      closeAfterDays: 7,
      rolloverPause: { windows: [{ from: '2026-12-19', until: '2027-02-01' }], betweenTerms: { daysBeforeNext: 7 } },
    });
    expect(describeLifecycle(lifecycle)).toBe(
      'Ended courses closed 7 days after their SMS end date passes, and hidden in the LMS where ClassBridge created them. Removals held from 2026-12-19 until 2027-02-01. Removals held between terms (from the SMS course dates) until 7 days before the next.',
    );
  });
});
