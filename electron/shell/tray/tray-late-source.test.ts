import { describe, expect, it } from 'vitest';
import { NOW, status } from '../../test-support/status-fixtures';
import { trayView } from './tray-state';

const lateSource = {
  source: 'KAMAR full push',
  lastAt: '2026-03-09T09:14:00.000Z',
  everyHours: 24,
  learnt: true,
  words: 'No KAMAR full push since Monday 22:14 — usually every night.',
  fix: 'Check KAMAR.',
};

describe('tray: a late SMS source', () => {
  it('is a problem, in the words of the dashboard', () => {
    const view = trayView({ status: status({ lateSource }), now: NOW, timeZone: 'Pacific/Auckland', locale: 'en-NZ' });
    expect(view.icon).toBe('problem');
    expect(view.statusLine).toBe('Problem: No KAMAR full push since Monday 22:14 — usually every night.');
    expect(view.tooltip).toMatch(/^ClassBridge — SMS data late/);
  });

  it('shows nothing of it when the source is on time', () => {
    const view = trayView({ status: status({ lateSource: null }), now: NOW, timeZone: 'UTC', locale: 'en-NZ' });
    expect(view.icon).toBe('ok');
  });
});
