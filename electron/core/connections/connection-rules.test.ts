import { describe, expect, it } from 'vitest';
import { connectionRuleBreak } from './connection-rules';

const kamar = { id: 'kamar', kind: 'sms', name: 'KAMAR' } as const;
const moodle = { id: 'moodle', kind: 'lms', name: 'Moodle' } as const;

describe('connection rules (Api save and config import alike)', () => {
  it('lets an SMS be saved again under its own id, and any number of LMS', () => {
    expect(connectionRuleBreak([kamar, moodle], [kamar, { ...moodle, id: 'moodle-2' }])).toBeUndefined();
  });

  it('refuses a second SMS, naming the one set up', () => {
    const broken = connectionRuleBreak([kamar], [{ id: 'vettrak', kind: 'sms', name: 'VETtrak' }]);
    expect(broken?.message).toContain('"KAMAR" (kamar) is already configured');
    expect(broken?.field).toBe('id');
  });

  it('refuses two SMS in one save (a config file)', () => {
    const broken = connectionRuleBreak([], [kamar, { id: 'vettrak', kind: 'sms', name: 'VETtrak' }]);
    expect(broken?.field).toBe('connections');
  });

  it('keeps an id to one kind', () => {
    expect(connectionRuleBreak([kamar], [{ ...moodle, id: 'kamar' }])?.message).toBe(
      '"kamar" is already an SMS connection; choose another id.',
    );
  });
});
