import { describe, expect, it } from 'vitest';
import { LmsConnectionSchema } from '../../../../electron/core/model';
import { newLmsDraft } from './draft';
import { buildLmsConnection } from './validate';

describe('buildLmsConnection', () => {
  it('keeps the mapping settings the wizard does not ask about when it re-saves a connection', () => {
    const existing = LmsConnectionSchema.parse({
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://moodle.example.org',
      mapping: { linkExistingAccounts: true, hiddenTotals: 'recompute' },
    });
    const draft = { ...newLmsDraft(), id: 'moodle-main', name: 'Moodle', url: 'https://moodle.example.org' };
    const saved = buildLmsConnection(draft, existing);
    expect(saved.mapping.linkExistingAccounts).toBe(true);
    expect(saved.mapping.hiddenTotals).toBe('recompute');
    // A new connection gets the safe defaults.
    expect(buildLmsConnection(draft).mapping.linkExistingAccounts).toBe(false);
    expect(buildLmsConnection(draft).mapping.hiddenTotals).toBeUndefined();
  });
});
