import { describe, expect, it } from 'vitest';
import type { AppliedState } from './applied-state';
import { firstUpload, mapping, nonZeroCounts, planSchool, school } from '../../../test-support/plan-fixtures';

describe('usernames', () => {
  it('are lower-cased and trimmed', () => {
    const s = school();
    s.people[0]!.username = '  ANgata ';
    expect(planSchool(s).createUsers[0]?.record.username).toBe('angata');
  });

  it("a username Moodle would not accept is a planning error with the fix, and the person's records wait", () => {
    const s = school();
    s.people[1]!.username = "b.o'lee";
    const p = planSchool(s);
    expect(p.errors).toEqual([
      {
        recordKind: 'person',
        recordKey: 'S2',
        field: 'username',
        message: `The username "b.o'lee" for S2 (Ben Lee) contains "'", which an LMS username may not.`,
        fix: 'Change the username in the SMS to use only lower-case letters, digits and _ - @ . (for example "b.olee").',
      },
    ]);
    expect(p.createUsers.map((u) => u.key)).toEqual(['S1', 'S3', 'T1']);
    expect(p.enrol.some((e) => e.applied.person === 'S2')).toBe(false);
    expect(p.skipped.enrolments['person-not-planned']).toBe(1);
  });

  it('come from the email address or the SMS id when the mapping says so', () => {
    expect(planSchool(school(), { mapping: mapping({ usernameFrom: 'email' }) }).createUsers[0]?.record.username).toBe(
      'aroha@school.nz',
    );
    expect(planSchool(school(), { mapping: mapping({ usernameFrom: 'sms-id' }) }).createUsers[0]?.record.username).toBe(
      's1',
    );
  });

  it('a missing username source is a planning error that says where to fix it', () => {
    const s = school();
    delete s.people[2]!.username;
    const p = planSchool(s);
    expect(p.errors[0]).toMatchObject({ recordKey: 'S3', field: 'username' });
    expect(p.errors[0]?.message).toContain('no username in the SMS');
    expect(p.errors[0]?.fix).toContain('choose another username source');
  });

  it('an invalid username of a person already in the LMS does not suspend them; their enrolments carry on', () => {
    const applied = firstUpload();
    const s = school();
    s.people[1]!.username = 'ben lee';
    s.enrolments.push({ personSmsId: 'S2', courseSmsId: 'C-ENG', role: 'student', active: true });
    const p = planSchool(s, { applied });
    expect(p.errors.map((e) => e.recordKey)).toEqual(['S2']);
    expect(nonZeroCounts(p)).toEqual({ enrol: 1 });
    expect(p.enrol[0]?.record.userId).toBe(applied.links.people.S2);
  });
});

describe('other person fields', () => {
  it('no email when the mapping says none', () => {
    expect(planSchool(school(), { mapping: mapping({ emailFrom: 'none' }) }).createUsers[0]?.record.email).toBe('');
  });

  it('a malformed email and a missing name are planning errors', () => {
    const s = school();
    s.people[0]!.email = 'aroha at school';
    s.people[1]!.givenName = ' ';
    const p = planSchool(s);
    expect(p.errors.map((e) => [e.recordKey, e.field])).toEqual([
      ['S1', 'email'],
      ['S2', 'givenName'],
    ]);
  });

  it('staff are created like students and enrolled with the teacher role', () => {
    const p = planSchool(school());
    expect(p.createUsers.find((u) => u.key === 'T1')?.applied.role).toBe('staff');
    expect(p.enrol.filter((e) => e.applied.person === 'T1').map((e) => e.record.roleShortname)).toEqual([
      'editingteacher',
      'editingteacher',
    ]);
  });

  it('uses the connection auth for new users; external auths get no password', () => {
    const p = planSchool(school(), { options: { newUsers: { auth: 'oauth2' } } });
    expect(p.createUsers[0]?.record).not.toHaveProperty('createPassword');
    expect(p.createUsers[0]?.record.auth).toBe('oauth2');
  });
});

describe('duplicates', () => {
  it('two people with one username are both refused, each naming the other', () => {
    const s = school();
    s.people[2]!.username = 'BLee';
    const p = planSchool(s);
    expect(p.errors).toHaveLength(2);
    for (const [key, other] of [
      ['S2', 'S3'],
      ['S3', 'S2'],
    ] as const) {
      const e = p.errors.find((x) => x.recordKey === key);
      expect(e?.related).toEqual([other]);
      expect(e?.message).toBe('The username "blee" would be shared by S2 (Ben Lee) and S3 (Chloé Martin).');
    }
    expect(p.createUsers.map((u) => u.key)).toEqual(['S1', 'T1']);
  });

  it('two people with one email (any case) are both refused', () => {
    const s = school();
    s.people[3]!.email = 'ARoha@School.nz';
    const p = planSchool(s);
    expect(p.errors.map((e) => [e.recordKey, e.field, e.related])).toEqual([
      ['S1', 'email', ['T1']],
      ['T1', 'email', ['S1']],
    ]);
  });

  it('a username still held by a departed (suspended) LMS user is refused for the newcomer', () => {
    const applied: AppliedState = firstUpload();
    const s = school();
    s.people = s.people.filter((p) => p.smsId !== 'S2');
    s.enrolments = s.enrolments.filter((e) => e.personSmsId !== 'S2');
    s.people.push({
      smsId: 'S9',
      role: 'student',
      givenName: 'Bella',
      familyName: 'Lee',
      username: 'blee',
      active: true,
    });
    const p = planSchool(s, { applied });
    expect(p.errors).toEqual([
      expect.objectContaining({
        recordKey: 'S9',
        related: ['S2'],
        message: expect.stringContaining('S2 (no longer in the SMS, still a user in the LMS)'),
      }),
    ]);
    expect(p.createUsers).toEqual([]);
    expect(p.suspendUsers.map((u) => u.key)).toEqual(['S2']);
  });
});
