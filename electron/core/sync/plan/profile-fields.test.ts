/** The mapping's profile fields and sign-in method as the planner sends them (issue 15, items 2 and 3). */
import { describe, expect, it } from 'vitest';
import { MappingSchema, type Snapshot } from '../../model';
import { accountExamples } from './account-examples';
import { preview } from './preview';
import { firstUpload, mapping, nonZeroCounts, planSchool, school } from '../../../test-support/plan-fixtures';

/** The tiny school with year level, house and NSN in each person's extra, as the SMS adapters give them. */
function schoolWithExtras(): Snapshot {
  const s = school();
  const extras: Record<string, Record<string, string>> = {
    S1: { yearLevel: '10', house: 'Rata', nsn: '123456789' },
    S2: { yearLevel: '11', house: 'Kowhai' },
    S3: { yearLevel: '10' },
    T1: {},
  };
  for (const p of s.people) p.extra = extras[p.smsId];
  return s;
}

const fieldsMapping = mapping({
  profileFields: { department: 'yearLevel', profile_field_house: 'house', profile_field_nsn: 'nsn' },
});

describe('profile fields', () => {
  it('are sent on create with the values the person has; a person without a value is not sent that field', () => {
    const p = planSchool(schoolWithExtras(), { mapping: fieldsMapping });
    const byKey = new Map(p.createUsers.map((u) => [u.key, u.record.profileFields]));
    expect(byKey.get('S1')).toEqual({ department: '10', profile_field_house: 'Rata', profile_field_nsn: '123456789' });
    expect(byKey.get('S2')).toEqual({ department: '11', profile_field_house: 'Kowhai' });
    expect(byKey.get('S3')).toEqual({ department: '10' });
    expect(byKey.get('T1')).toBeUndefined();
    expect(p.errors).toEqual([]);
  });

  it('a second plan with the same SMS values changes nothing; a changed house is an update of just that field', () => {
    const applied = firstUpload(schoolWithExtras(), { mapping: fieldsMapping });
    expect(nonZeroCounts(planSchool(schoolWithExtras(), { mapping: fieldsMapping, applied }))).toEqual({});

    const moved = schoolWithExtras();
    moved.people[0]!.extra = { ...moved.people[0]!.extra, house: 'Totara' };
    const p = planSchool(moved, { mapping: fieldsMapping, applied });
    expect(nonZeroCounts(p)).toEqual({ updateUsers: 1 });
    expect(p.updateUsers[0]).toMatchObject({
      key: 'S1',
      changed: ['profile_field_house'],
      record: { id: applied.links.people.S1, profileFields: { profile_field_house: 'Totara' } },
    });
    expect(p.updateUsers[0]?.record).not.toHaveProperty('username');
  });

  it('mapping a field after the first upload sends it once to everyone who has a value', () => {
    const applied = firstUpload(schoolWithExtras());
    const p = planSchool(schoolWithExtras(), {
      mapping: mapping({ profileFields: { profile_field_house: 'house' } }),
      applied,
    });
    expect(p.updateUsers.map((u) => [u.key, u.record.profileFields])).toEqual([
      ['S1', { profile_field_house: 'Rata' }],
      ['S2', { profile_field_house: 'Kowhai' }],
    ]);
  });

  it('an SMS field no person has is one error listing the fields the SMS gives, and that LMS field is not sent', () => {
    const p = planSchool(schoolWithExtras(), {
      mapping: mapping({ profileFields: { profile_field_house: 'hosue', department: 'yearLevel' } }),
    });
    expect(p.errors).toEqual([
      expect.objectContaining({
        field: 'profileFields.profile_field_house',
        message:
          'The SMS field "hosue" mapped to the LMS field profile_field_house is in no person\'s SMS record. The SMS gives: house, nsn, yearLevel.',
      }),
    ]);
    expect(p.createUsers).toHaveLength(4);
    expect(p.createUsers[0]?.record.profileFields).toEqual({ department: '10' });
  });
});

describe('sign-in method of new accounts', () => {
  it('manual with an emailed password by default', () => {
    expect(planSchool().createUsers[0]?.record).toMatchObject({ auth: 'manual', createPassword: true });
  });

  it('manual without an emailed password: no createpassword (the adapter sets a password nobody is told)', () => {
    const record = planSchool(school(), { mapping: mapping({ signIn: { auth: 'manual', emailPassword: false } }) })
      .createUsers[0]?.record;
    expect(record?.auth).toBe('manual');
    expect(record).not.toHaveProperty('createPassword');
    expect(record).not.toHaveProperty('password');
  });

  it('an external auth (oauth2) is sent with no password; existing accounts are never updated to it', () => {
    const applied = firstUpload();
    const sso = mapping({ signIn: { auth: 'oauth2', emailPassword: true } });
    const fresh = planSchool(school(), { mapping: sso }).createUsers[0]?.record;
    expect(fresh).toMatchObject({ auth: 'oauth2' });
    expect(fresh).not.toHaveProperty('createPassword');
    // Changing the sign-in method later applies to new accounts only: nothing to do for the existing ones.
    expect(nonZeroCounts(planSchool(school(), { mapping: sso, applied }))).toEqual({});
  });
});

describe('mapping validation', () => {
  it('an unknown standard field is an error naming it and the fields that exist', () => {
    const r = MappingSchema.safeParse({ profileFields: { house: 'house' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['profileFields', 'house']);
    expect(r.error?.issues[0]?.message).toContain('"house" is not a Moodle user field');
    expect(r.error?.issues[0]?.message).toContain('profile_field_<shortname>');
  });

  it('custom fields take a Moodle shortname; mnet and webservice sign-in are refused', () => {
    expect(MappingSchema.safeParse({ profileFields: { 'profile_field_house colour': 'house' } }).success).toBe(false);
    expect(MappingSchema.safeParse({ profileFields: { profile_field_house: '' } }).success).toBe(false);
    expect(MappingSchema.safeParse({ signIn: { auth: 'webservice' } }).error?.issues[0]?.message).toContain(
      'mnet or webservice',
    );
    expect(MappingSchema.parse({ signIn: { auth: 'saml2' } }).signIn).toEqual({ auth: 'saml2', emailPassword: true });
    expect(MappingSchema.parse({}).signIn).toEqual({ auth: 'manual', emailPassword: true });
  });
});

describe('dry run', () => {
  it('shows the sign-in method and the profile fields of the first people; nothing with the default mapping', () => {
    expect(accountExamples(schoolWithExtras(), mapping())).toBeUndefined();
    const shown = accountExamples(
      schoolWithExtras(),
      mapping({ signIn: { auth: 'saml2', emailPassword: true }, profileFields: { profile_field_house: 'house' } }),
      2,
    );
    expect(shown).toEqual({
      signIn: 'saml2 (no password is kept in Moodle)',
      people: [
        { key: 'S1', name: 'Aroha Ngata', fields: { profile_field_house: 'Rata' } },
        { key: 'S2', name: 'Ben Lee', fields: { profile_field_house: 'Kowhai' } },
      ],
    });
    // The plan's samples carry the same on the records it would create.
    const p = planSchool(schoolWithExtras(), {
      mapping: mapping({
        signIn: { auth: 'saml2', emailPassword: true },
        profileFields: { profile_field_house: 'house' },
      }),
    });
    expect(preview(p, 1).samples.createUsers?.[0]?.record).toMatchObject({
      auth: 'saml2',
      profileFields: { profile_field_house: 'Rata' },
    });
  });
});
