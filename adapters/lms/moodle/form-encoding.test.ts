import { describe, expect, it } from 'vitest';
import { encodeForm, toFormBody, varsPerItem } from './form-encoding';

describe('PHP bracket-notation form encoding', () => {
  it('encodes lists of objects, nested lists, booleans as 1/0, and leaves out null and undefined', () => {
    const pairs = encodeForm({
      users: [
        {
          username: 'jdoe',
          firstname: 'J',
          customfields: [{ type: 'house', value: 'Red' }],
          suspended: true,
          idnumber: undefined,
        },
        { username: 'ann', auth: null },
      ],
      options: { ids: [3, 4] },
      courseid: 7,
    });
    expect(pairs).toEqual([
      ['users[0][username]', 'jdoe'],
      ['users[0][firstname]', 'J'],
      ['users[0][customfields][0][type]', 'house'],
      ['users[0][customfields][0][value]', 'Red'],
      ['users[0][suspended]', '1'],
      ['users[1][username]', 'ann'],
      ['options[ids][0]', '3'],
      ['options[ids][1]', '4'],
      ['courseid', '7'],
    ]);
    expect(toFormBody(pairs)).toContain('users%5B0%5D%5Busername%5D=jdoe');
  });

  it('counts the form variables one item costs', () => {
    expect(varsPerItem({ a: 1, b: 'x', c: undefined, d: [1, 2] })).toBe(4);
  });
});
