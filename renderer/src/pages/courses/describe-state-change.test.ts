import { describe, expect, it } from 'vitest';
import { describeStateChange } from './describe-state-change';

describe('describeStateChange', () => {
  it('says how many changed and why the others were skipped', () => {
    const result = { changed: 2, skipped: [{ connectionId: 'moodle-main', lmsId: 7, reason: 'deleted' as const }] };
    expect(describeStateChange('Open', result)).toBe('2 courses opened, 1 skipped (deleted in the LMS)');
  });

  it('groups skips by reason and uses the singular for one course', () => {
    const skipped = [
      { connectionId: 'm', lmsId: 1, reason: 'unchanged' as const },
      { connectionId: 'm', lmsId: 2, reason: 'unchanged' as const },
      { connectionId: 'm', lmsId: 3, reason: 'not-found' as const },
    ];
    expect(describeStateChange('Closed', { changed: 1, skipped })).toBe(
      '1 course closed, 2 skipped (already closed), 1 skipped (no longer known to ClassBridge)',
    );
  });
});
