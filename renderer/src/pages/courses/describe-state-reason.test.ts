import { describe, expect, it } from 'vitest';
import { describeStateReason } from './describe-state-reason';

describe('describeStateReason', () => {
  it('says ClassBridge closed a course because its SMS end date passed, and that it hid it', () => {
    expect(
      describeStateReason({
        state: 'Closed',
        stateChangedBy: 'classbridge',
        stateReason: 'Its SMS end date 2026-11-30 has passed.',
        hiddenInLmsAt: '2026-12-01T00:00:00.000Z',
      }),
    ).toBe(
      'Closed by ClassBridge: its SMS end date 2026-11-30 has passed. Hidden in the LMS by ClassBridge. Open it to keep it open.',
    );
  });

  it('says nothing of an admin decision, and that a reopened course is shown again', () => {
    expect(describeStateReason({ state: 'Closed', stateChangedBy: 'admin' })).toBeNull();
    expect(
      describeStateReason({ state: 'Open', stateChangedBy: 'admin', hiddenInLmsAt: '2026-12-01T00:00:00.000Z' }),
    ).toBe('Hidden in the LMS by ClassBridge; shown again at the next upload.');
  });
});
