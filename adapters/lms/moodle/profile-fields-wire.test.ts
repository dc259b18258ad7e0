/** Profile fields in create/update_users' wire shape (reference §1.1 and §3.2). */
import { describe, expect, it } from 'vitest';
import { encodeForm } from './form-encoding';
import { userFields } from './records';

describe('userFields', () => {
  it('sends standard fields as keys of the user and custom ones as customfields[j]{type=<shortname>, value}', () => {
    const fields = userFields({
      username: 'jdoe',
      auth: 'oauth2',
      profileFields: { department: '10', profile_field_house: 'Red', profile_field_nsn: '123' },
    });
    expect(encodeForm({ users: [fields] })).toEqual([
      ['users[0][username]', 'jdoe'],
      ['users[0][auth]', 'oauth2'],
      ['users[0][department]', '10'],
      ['users[0][customfields][0][type]', 'house'],
      ['users[0][customfields][0][value]', 'Red'],
      ['users[0][customfields][1][type]', 'nsn'],
      ['users[0][customfields][1][value]', '123'],
    ]);
  });

  it('sends no customfields key when only standard fields are mapped', () => {
    expect(userFields({ profileFields: { city: 'Nelson' } })).not.toHaveProperty('customfields');
  });
});
