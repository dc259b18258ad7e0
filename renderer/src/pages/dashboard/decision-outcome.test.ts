import { describe, expect, it } from 'vitest';
import { decisionTone } from './decision-outcome';

const run = (outcome: string, message = '') => ({ connectionId: 'moodle-main', outcome, message });

describe('the outcome of an approved upload', () => {
  it('is green only when every run synced every record', () => {
    expect(decisionTone({ runs: [run('ok', 'Uploaded: 412 created.')] })).toBe('ok');
  });

  it('is a warning, not a tick, when records failed ("12,120 failed") or the plan was held again', () => {
    expect(
      decisionTone({ runs: [run('ok'), run('partial', 'Approved and uploaded: 3 created, 12,120 failed.')] }),
    ).toBe('warning');
    expect(decisionTone({ runs: [run('held')] })).toBe('warning');
  });

  it('is a problem when a run failed as a whole', () => {
    expect(decisionTone({ runs: [run('partial'), run('failed', 'The LMS refused the token.')] })).toBe('problem');
  });
});
