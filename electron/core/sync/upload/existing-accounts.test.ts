import { describe, expect, it } from 'vitest';
import type { Store } from '../../store/store';
import type { PreviewRecords, RecordRow } from '../plan/preview-records';
import { withLinkDecisions } from './existing-accounts';

const create = (key: string): RecordRow => ({ key, name: key, status: 'create', detail: `username ${key}` });
const records = (people: RecordRow[]): PreviewRecords => ({ people, courses: [], enrolments: [], classes: [] });

/** Only what withLinkDecisions reads of the store: the admin's decision per person. */
function storeWith(decisions: Record<string, { state: string; username?: string; appliedAt?: string }>): Store {
  const forPerson = (_connectionId: string, smsId: string) => {
    const d = decisions[smsId];
    return d
      ? {
          state: d.state,
          username: d.username ?? null,
          appliedAt: d.appliedAt ?? null,
          lmsUserId: 40,
          lms: { username: 'hand.made' },
        }
      : undefined;
  };
  return { linkDecisions: { forPerson } } as unknown as Store;
}

describe('withLinkDecisions (the admin’s decisions on existing accounts, in the dry run)', () => {
  it('a decided Link is a link, Skip a skip, an open one waits, Create keeps the create; an applied one is history', () => {
    const store = storeWith({
      S1: { state: 'link' },
      S2: { state: 'skip' },
      S3: { state: 'open' },
      S4: { state: 'create', username: 'S4-2' },
      S5: { state: 'link', appliedAt: '2026-01-01T00:00:00Z' },
    });
    const out = withLinkDecisions(records(['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map(create)), store, 'moodle');
    expect(out.people.map((r) => [r.key, r.status, r.detail])).toEqual([
      ['S1', 'link', 'LMS account hand.made (id 40), as you decided'],
      ['S2', 'skip', 'you chose Skip for LMS account hand.made (id 40)'],
      ['S3', 'skip', 'LMS account hand.made (id 40) already exists: waiting for your decision on the Dashboard'],
      ['S4', 'create', 'new account S4-2, as you decided (LMS account hand.made (id 40) is left as it is)'],
      ['S5', 'create', 'username S5'],
      ['S6', 'create', 'username S6'],
    ]);
  });
});
