import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorFromException, isMoodleException, redactToken } from './errors';

// The error bodies recorded from a real Moodle 5.1 (a copy of shared/reference/moodle-real-responses).
const RECORDED = join(__dirname, '../../testing/moodle-sim/recordings');
const recorded = (name: string): unknown =>
  (JSON.parse(readFileSync(join(RECORDED, `${name}.json`), 'utf8')) as { body: unknown }).body;

describe('Moodle exceptions → LmsError kinds', () => {
  const cases: [string, string][] = [
    ['err_invalid_token', 'invalid-token'],
    ['err_function_not_in_service', 'access'],
    ['err_revoked_service_disabled', 'access'],
    ['err_revoked_expire', 'access'],
    ['err_revoked_expire_second_call', 'invalid-token'],
    ['err_revoked_suspend', 'access'],
    ['err_missing_capability_create_users', 'no-permission'],
    ['err_invalid_param_missing_required', 'invalid-parameter'],
    ['err_duplicate_username', 'invalid-parameter'],
    ['err_duplicate_course_shortname', 'conflict'],
    ['err_duplicate_course_idnumber', 'conflict'],
    ['err_course_not_found_get_contents', 'not-found'],
    ['err_function_does_not_exist', 'not-found'],
    ['err_password_policy', 'invalid-parameter'],
  ];
  for (const [file, kind] of cases) {
    it(`${file} → ${kind}, with a fix for the admin`, () => {
      const body = recorded(file);
      expect(isMoodleException(body)).toBe(true);
      if (!isMoodleException(body)) return;
      const error = errorFromException(body, 'some_function');
      expect(error.kind).toBe(kind);
      expect(error.fix).toBeTruthy();
      expect(error.message).toMatch(/^some_function: /);
      expect(error.message).not.toMatch(/<div>/);
    });
  }

  it('every recorded error body is recognised as an exception', () => {
    const files = readdirSync(RECORDED).filter(
      (f) =>
        f.startsWith('err_') && f !== 'err_webservices_disabled.json' && f !== 'err_bad_rest_format_xml_default.json',
    );
    for (const f of files) expect(isMoodleException(recorded(f.replace(/\.json$/, '')))).toBe(true);
    expect(isMoodleException([])).toBe(false);
    expect(isMoodleException(null)).toBe(false);
  });
});

describe('a PHP error inside Moodle (no errorcode) is about no record', () => {
  // §10: get_courses_by_field with a deleted course in its id list. The REST server sends a PHP Error
  // like an exception, but with no errorcode (the class has none).
  const deletedCourseInIds = {
    exception: 'Error',
    message: 'Attempt to assign property "contextvalidated" on null',
  };

  for (const [label, body] of [
    ['without errorcode', deletedCourseInIds],
    ['with errorcode null', { ...deletedCourseInIds, errorcode: null }],
    ['with an empty errorcode', { ...deletedCourseInIds, errorcode: '' }],
  ] as const) {
    it(`${label}: not a data error, no record's fix, not retried`, () => {
      expect(isMoodleException(body)).toBe(true);
      const error = errorFromException(body, 'core_course_get_courses_by_field');
      expect(error.kind).toBe('unexpected');
      expect(error.retryable).toBe(false);
      expect(error.details.code).toBeUndefined();
      expect(error.message).toBe(
        'core_course_get_courses_by_field: PHP Error in Moodle: Attempt to assign property "contextvalidated" on null',
      );
      expect(error.fix).not.toMatch(/username|email|names|this record/i);
      expect(error.fix).toContain('no record needs changing');
      expect(error.fix).toContain('course tracking');
    });
  }

  it('an unknown code that is not HTML stays unexpected, and the HTML code of a password policy stays a data error', () => {
    expect(errorFromException({ exception: 'x', errorcode: 'somethingnew', message: 'm' }, 'f').kind).toBe(
      'unexpected',
    );
    const policy = recorded('err_password_policy');
    if (!isMoodleException(policy)) throw new Error('recording changed');
    expect(errorFromException(policy, 'core_user_create_users').kind).toBe('invalid-parameter');
  });
});

describe('token redaction', () => {
  it('removes the token from URLs and free text', () => {
    const token = 'a1b2c3d4e5f6';
    expect(
      redactToken(`POST https://m.example/webservice/rest/server.php?wstoken=${token}&wsfunction=x failed`, token),
    ).toBe('POST https://m.example/webservice/rest/server.php?wstoken=[redacted]&wsfunction=x failed');
    expect(redactToken(`token ${token} rejected`, token)).toBe('token [redacted] rejected');
  });
});
