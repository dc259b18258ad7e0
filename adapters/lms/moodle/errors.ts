import { LmsError, type LmsErrorKind } from '../../contract';
import { RECOMMENDED_MAX_INPUT_VARS } from './batch-sizes';

/** Moodle's error body: HTTP 200 with these keys (debuginfo only when site debugging is on). */
export interface MoodleException {
  exception: string;
  /** Absent (or null) for a PHP engine error, which is no moodle_exception. */
  errorcode?: string | null;
  message: string;
  debuginfo?: string;
}

export function isMoodleException(body: unknown): body is MoodleException {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'exception' in body;
}

const KIND_OF_CODE: Record<string, LmsErrorKind> = {
  invalidtoken: 'invalid-token',
  accessexception: 'access',
  wsaccessusersuspended: 'access',
  wsaccessuserdeleted: 'access',
  wsaccessusernologin: 'access',
  wsaccessuserunconfirmed: 'access',
  usernotconfirmed: 'access',
  passwordisexpired: 'access',
  nopermissions: 'no-permission',
  nopermissiontoviewgrades: 'no-permission',
  wscannotenrol: 'no-permission',
  wsusercannotassign: 'no-permission',
  wscannotunenrol: 'no-permission',
  requireloginerror: 'require-login',
  errorcoursecontextnotvalid: 'require-login',
  errorcatcontextnotvalid: 'require-login',
  invalidparameter: 'invalid-parameter',
  errorinvalidparam: 'invalid-parameter',
  invalidrecord: 'not-found',
  invalidrecordunknown: 'not-found',
  shortnametaken: 'conflict',
  courseidnumbertaken: 'conflict',
  categoryidnumbertaken: 'conflict',
  sitemaintenance: 'maintenance',
  wsnoinstance: 'invalid-parameter',
};

/** Fixes an administrator can follow, by kind. Specific codes refine these below. */
export const FIX_OF_KIND: Record<LmsErrorKind, string> = {
  'invalid-token':
    'The web-service token no longer exists on the LMS (deleted, regenerated or expired). Create a new token for the ClassBridge service (Site administration › Server › Web services › Manage tokens) and enter it in ClassBridge.',
  access:
    "The token or its service was changed on the LMS side. Check in Site administration › Server › Web services: the ClassBridge service is enabled and contains this function, the token's user is an authorised user of it, is not suspended and has webservice/rest:use, and the token has not expired.",
  'no-permission':
    "The token's user lacks a capability for this. Add it to the ClassBridge role (see the set-up checklist in the ClassBridge docs) and try again.",
  'require-login':
    "The token's user cannot see this course or category. Give the ClassBridge role moodle/course:view (and viewhiddencourses) at system level.",
  'invalid-parameter':
    'The LMS rejected this record. Check its values in the SMS (username, email, names) and try again.',
  'not-found':
    'A record this refers to does not exist in the LMS any more (deleted by hand?). The next reconcile run repairs the link.',
  conflict:
    'Another LMS record already uses this value. Rename one of them, or link the existing record to the SMS record.',
  maintenance: 'The LMS is in maintenance mode. ClassBridge retries later on its own.',
  'web-services-disabled':
    'Web services or the REST protocol are switched off on the LMS. Turn on Site administration › Advanced features › Enable web services, and enable REST under Server › Web services › Manage protocols.',
  server:
    'The LMS or a proxy in front of it failed (an error page instead of an answer). ClassBridge retries; if it persists, check the LMS server.',
  network:
    'ClassBridge could not reach the LMS. Check the address, this computer’s network connection, and that the LMS is up.',
  timeout: 'The LMS did not answer in time. It may be overloaded; ClassBridge retries with smaller batches.',
  truncated: `The LMS dropped part of a request (PHP max_input_vars is too low). ClassBridge sends smaller batches; raising max_input_vars to ${RECOMMENDED_MAX_INPUT_VARS} in the LMS server's php.ini makes syncs faster.`,
  unexpected:
    'The LMS answered in a way ClassBridge does not understand. Check the LMS version and the ClassBridge log.',
};

const RETRYABLE: ReadonlySet<LmsErrorKind> = new Set(['maintenance', 'server', 'network', 'timeout']);

/**
 * The fix for a PHP error inside Moodle: nothing about the records sent, since none of them caused it.
 * Deleted courses (or users) still asked for by id are the known trigger (reference §10).
 */
export function internalErrorFix(operation: string): string {
  return (
    `Moodle failed inside ${operation} with a PHP error (a fault in Moodle itself, not a value ClassBridge sent, so no record needs changing). ` +
    'A course deleted in Moodle that ClassBridge still asks for causes this: run course tracking (`classbridge sync course-tracking`) so the course is marked Deleted, then run this part again. ' +
    "If it keeps failing, the Moodle administrator finds the details in the web server's PHP error log."
  );
}

export function errorFromException(body: MoodleException, operation: string): LmsError {
  // Every moodle_exception has an errorcode; a body without one (or with null) is a PHP engine error
  // (Error, TypeError, …) that escaped a web-service function: a Moodle bug, about no record in particular.
  if (typeof body.errorcode !== 'string' || body.errorcode === '') {
    return new LmsError('unexpected', `${operation}: PHP ${body.exception} in Moodle: ${stripHtml(body.message)}`, {
      operation,
      fix: internalErrorFix(operation),
      retryable: false,
    });
  }
  const code = body.errorcode;
  // Unknown codes are data errors: a password-policy failure, for one, arrives with HTML as its code.
  const kind: LmsErrorKind = KIND_OF_CODE[code] ?? (code.startsWith('<') ? 'invalid-parameter' : 'unexpected');
  const message = `${operation}: ${stripHtml(body.message)}${body.debuginfo ? ` (${stripHtml(body.debuginfo)})` : ''}`;
  let fix = FIX_OF_KIND[kind];
  if (code === 'wsaccessusersuspended')
    fix =
      "The token's user is suspended on the LMS. Un-suspend it (Site administration › Users) or issue a token for another user.";
  if (code === 'wsnoinstance')
    fix =
      'This course has no enabled "Manual enrolments" method. Add or enable it in the course (Participants › Enrolment methods).';
  // Moodle answers a category id that does not exist the same way as one the token may not see (§3.2).
  if (code === 'errorcatcontextnotvalid')
    fix =
      "The category does not exist in the LMS, or the token's user cannot see it. Check the category id in the connection's mapping (newCourseCategoryId, courseCategories) under Site administration › Courses › Manage courses and categories, and that the ClassBridge role can see that category at system level.";
  if (code === 'wsusercannotassign')
    fix =
      'The ClassBridge role may not assign this role. Allow it under Site administration › Users › Permissions › Define roles › Allow role assignments.';
  return new LmsError(kind, message, { operation, code, fix, retryable: RETRYABLE.has(kind) });
}

export function lmsError(kind: LmsErrorKind, message: string, operation: string, cause?: unknown): LmsError {
  return new LmsError(kind, `${operation}: ${message}`, {
    operation,
    fix: FIX_OF_KIND[kind],
    retryable: RETRYABLE.has(kind),
    cause,
  });
}

function stripHtml(text: string): string {
  return text
    .replace(/<\/div>\s*<div>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/^error\//, '')
    .trim();
}

/** Masks the token wherever it might travel inside text (URLs, error messages from the network stack). */
export function redactToken(text: string, token: string): string {
  let out = text.replace(/([?&]wstoken=)[^&\s#"']+/gi, '$1[redacted]');
  if (token.length >= 4) out = out.split(token).join('[redacted]');
  return out;
}
