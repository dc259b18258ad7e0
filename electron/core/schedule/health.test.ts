import { describe, expect, it } from 'vitest';
import { LmsError } from '../../../adapters/contract';
import { duration, partHealth, type RunSummary } from './health';

const MIN = 60_000;
const now = new Date('2025-06-02T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);
const run = (outcome: RunSummary['outcome'], startedMinAgo: number, finishedMinAgo?: number): RunSummary => ({
  outcome,
  startedAt: ago(startedMinAgo).toISOString(),
  finishedAt: finishedMinAgo === undefined ? null : ago(finishedMinAgo).toISOString(),
});

describe('partHealth', () => {
  it('has not run yet', () => {
    expect(partHealth({ running: false, now })).toEqual({ health: 'never-run', words: 'Has not run yet.' });
  });

  it('is ok after a successful run, and says when', () => {
    const h = partHealth({ lastRun: run('ok', 6, 5), lastSuccess: ago(5), running: false, now });
    expect(h).toEqual({ health: 'ok', words: 'OK: last run finished 5 minutes ago.', since: ago(5) });
  });

  it('is running while a run is in progress (given the flag or a run still marked running)', () => {
    expect(partHealth({ lastRun: run('ok', 40, 39), running: true, now }).health).toBe('running');
    expect(partHealth({ lastRun: run('running', 2), running: false, now })).toMatchObject({
      health: 'running',
      words: 'Running now (started 2 minutes ago).',
      since: ago(2),
    });
  });

  it('warns after a recent failure under the threshold, with the diagnosis', () => {
    const h = partHealth({
      lastRun: run('failed', 3, 2),
      lastSuccess: ago(20),
      running: false,
      now,
      lastError: new LmsError('maintenance', 'core_user_create_users: Site is in maintenance'),
      lmsName: 'Moodle',
    });
    expect(h.health).toBe('warning');
    expect(h.words).toMatch(
      /^The last run failed 2 minutes ago; ClassBridge tries again soon\. Moodle is in maintenance/,
    );
    expect(h.since).toEqual(ago(2));
    expect(h.fix).toMatch(/tries again on its own/);
  });

  it('is a problem when nothing succeeded for longer than the threshold and the last run failed', () => {
    const h = partHealth({
      lastRun: run('failed', 2, 1),
      lastSuccess: ago(31),
      running: false,
      now,
      lastError: { kind: 'invalid-token', message: 'core_webservice_get_site_info: Invalid token - token not found' },
    });
    expect(h.health).toBe('problem');
    expect(h.words).toMatch(/^No successful run for 31 minutes\. ClassBridge's key to the LMS/);
    expect(h.since).toEqual(ago(31));
    expect(h.fix).toMatch(/create a new token/);
  });

  it('honours a custom threshold', () => {
    const input = { lastRun: run('failed', 2, 1), lastSuccess: ago(45), running: false, now };
    expect(partHealth({ ...input, problemAfterMinutes: 60 }).health).toBe('warning');
    expect(partHealth({ ...input, problemAfterMinutes: 30 }).health).toBe('problem');
  });

  it('keeps a problem visible while a retry runs', () => {
    const h = partHealth({ lastRun: run('failed', 5, 4), lastSuccess: ago(120), running: true, now });
    expect(h.health).toBe('problem');
    expect(h.words).toBe('No successful run for 2 hours. The last run failed. Trying again now.');
  });

  it('measures a part that never succeeded from when it started failing', () => {
    const input = { lastRun: { ...run('failed', 2, 1), message: 'Could not reach the LMS' }, running: false, now };
    expect(partHealth(input).health).toBe('warning');
    const h = partHealth({ ...input, failingSince: ago(90) });
    expect(h).toMatchObject({ health: 'problem', since: ago(90) });
    expect(h.words).toBe('Has not succeeded yet, failing for 1 hour. Last error: Could not reach the LMS');
  });

  it('is not a problem when the last run succeeded, however long ago the one before failed', () => {
    expect(partHealth({ lastRun: run('ok', 600, 599), lastSuccess: ago(599), running: false, now }).health).toBe('ok');
  });

  it('warns for a partial run and for a plan held for approval', () => {
    const partial = partHealth({ lastRun: run('partial', 10, 8), lastSuccess: ago(8), running: false, now });
    expect(partial).toMatchObject({ health: 'warning', since: ago(8), fix: expect.stringMatching(/Errors/) });
    const held = partHealth({ lastRun: run('held', 200, 199), lastSuccess: ago(500), running: false, now });
    expect(held.health).toBe('warning');
    expect(held.words).toMatch(/^Waiting for your approval/);
  });
});

describe('duration', () => {
  it('reads as an administrator would say it', () => {
    expect([0, 1, 59, 60, 119, 47 * 60, 48 * 60, 24 * 60 * 9].map((m) => duration(m * MIN))).toEqual([
      'less than a minute',
      '1 minute',
      '59 minutes',
      '1 hour',
      '1 hour',
      '47 hours',
      '2 days',
      '9 days',
    ]);
  });
});
