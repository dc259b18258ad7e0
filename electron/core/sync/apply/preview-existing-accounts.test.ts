import { describe, expect, it } from 'vitest';
import type { LmsUser } from '../../../../adapters/contract';
import type { PreviewRecords, RecordRow } from '../plan/preview-records';
import { lookUpExistingAccounts } from './preview-existing-accounts';

const create = (key: string, username: string, email = `${username}@school.nz`): RecordRow => ({
  key,
  name: key,
  status: 'create',
  detail: `username ${username}`,
  account: { username, idnumber: key, email },
});
const user = (u: Partial<LmsUser> & Pick<LmsUser, 'id' | 'username'>): LmsUser =>
  ({ firstname: 'Hand', lastname: 'Made', email: '', idnumber: '', auth: 'manual', suspended: false, ...u }) as LmsUser;
const records = (people: RecordRow[]): PreviewRecords => ({ people, courses: [], enrolments: [], classes: [] });

describe('lookUpExistingAccounts (the dry run’s people rows as the upload would find them)', () => {
  it('the same idnumber is a link; a bare username waits for the admin; another idnumber is a clash; no match stays a create', async () => {
    const lms = [
      user({ id: 40, username: 'other', idnumber: 'S1' }),
      user({ id: 41, username: 'blee' }),
      user({ id: 42, username: 'cmartin', idnumber: 'X9' }),
    ];
    const calls: string[] = [];
    const adapter = {
      findUsers: (field: string, values: readonly (string | number)[]) => {
        calls.push(field);
        return Promise.resolve(lms.filter((u) => values.includes(field === 'idnumber' ? u.idnumber : u.username)));
      },
    };
    const out = await lookUpExistingAccounts(
      records([create('S1', 'angata'), create('S2', 'blee'), create('S3', 'cmartin'), create('S4', 'dwu')]),
      adapter as never,
      { linkExisting: false, tokenUserId: () => Promise.resolve(3) },
    );
    expect(out.people.map((r) => [r.key, r.status])).toEqual([
      ['S1', 'link'],
      ['S2', 'skip'],
      ['S3', 'skip'],
      ['S4', 'create'],
    ]);
    expect(out.people[0]!.detail).toBe('LMS account other (id 40), the same idnumber');
    expect(out.people[1]!.detail).toContain('has this username and no idnumber');
    expect(out.people[2]!.detail).toContain('is taken by another LMS user (id 42)');
    // Two look-ups for all the rows, never one per person.
    expect(calls.sort()).toEqual(['idnumber', 'username']);
  });

  it('links a bare username with the same email under linkExistingAccounts; never the token’s own user', async () => {
    const lms = [user({ id: 41, username: 'blee', email: 'BLEE@school.nz' }), user({ id: 7, username: 'ws' })];
    const adapter = {
      findUsers: (field: string, values: readonly (string | number)[]) =>
        Promise.resolve(field === 'username' ? lms.filter((u) => values.includes(u.username)) : []),
    };
    const out = await lookUpExistingAccounts(records([create('S2', 'blee'), create('S5', 'ws')]), adapter as never, {
      linkExisting: true,
      tokenUserId: () => Promise.resolve(7),
    });
    expect(out.people.map((r) => r.status)).toEqual(['link', 'skip']);
    expect(out.people[1]!.detail).toContain('is protected');
  });
});
