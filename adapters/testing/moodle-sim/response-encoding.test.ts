import { describe, expect, it } from 'vitest';
import { OPTIONAL_NULL, phpJsonEncode } from './response-encoding';

// PHP's json_encode of a cleaned return value (webservice/rest/locallib.php): what the JSON answers look like.
describe('phpJsonEncode', () => {
  it('leaves out optional keys set to null (clean_returnvalue skips them) and undefined keys, at any depth', () => {
    const value = {
      a: 1,
      skipped: OPTIONAL_NULL,
      gone: undefined,
      nested: [{ b: null, c: OPTIONAL_NULL, d: [1, undefined, OPTIONAL_NULL] }],
    };
    expect(phpJsonEncode(value)).toBe('{"a":1,"nested":[{"b":null,"d":[1,null,null]}]}');
  });

  it('escapes slashes and non-ASCII as PHP does without flags', () => {
    expect(phpJsonEncode({ url: 'https://m.test/a', name: 'Aroha Ngātā – 1' })).toBe(
      '{"url":"https:\\/\\/m.test\\/a","name":"Aroha Ng\\u0101t\\u0101 \\u2013 1"}',
    );
    expect(phpJsonEncode(undefined)).toBe('null');
  });
});
