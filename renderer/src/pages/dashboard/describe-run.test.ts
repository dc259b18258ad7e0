import { describe, expect, it } from 'vitest';
import { runCounts } from './describe-run';

describe('runCounts', () => {
  it('keeps the engine order, drops zeroes and names each count', () => {
    expect(runCounts({ planned: 40, created: 30, updated: 0, unchanged: 10 })).toEqual([
      { key: 'planned', value: 40, label: 'planned' },
      { key: 'created', value: 30, label: 'created' },
      { key: 'unchanged', value: 10, label: 'unchanged' },
    ]);
  });

  it('shows a count it has no words for under its own name', () => {
    expect(runCounts({ suspendUsers: 2 })).toEqual([{ key: 'suspendUsers', value: 2, label: 'suspend users' }]);
  });
});
