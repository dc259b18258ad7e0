/**
 * Moodle's exceptions as the REST server reports them: HTTP 200 with {exception, errorcode, message}
 * (webservice/rest/locallib.php generate_error). In developer debug mode moodle_exception appends the
 * debuginfo to the message in parentheses and the server adds a debuginfo key (see the debug_* recordings).
 *
 * Class names are those Moodle 5.1 reports: the core exceptions moved to the core\exception namespace, the
 * webservice and dml ones did not (err_function_not_in_service, err_enrol_nonexistent_user).
 */

const CORE = 'core\\exception\\';

export class MoodleException extends Error {
  constructor(
    readonly exception: string,
    readonly errorcode: string,
    /** The message without debuginfo, as production mode shows it. */
    readonly baseMessage: string,
    readonly debuginfo?: string,
    /** Some exceptions change code and message with debugging on (dml_missing_record_exception). */
    readonly debugVariant?: { errorcode: string; message: string; debuginfo: string },
  ) {
    super(baseMessage);
  }

  /** What getMessage() returns in PHP, which nested errors and warnings quote. */
  messageFor(debug: boolean): string {
    if (debug && this.debugVariant) return `${this.debugVariant.message} (${this.debugVariant.debuginfo})`;
    return debug && this.debuginfo ? `${this.baseMessage} (${this.debuginfo})` : this.baseMessage;
  }

  errorcodeFor(debug: boolean): string {
    return debug && this.debugVariant ? this.debugVariant.errorcode : this.errorcode;
  }

  toBody(debug: boolean): { exception: string; errorcode?: string; message: string; debuginfo?: string } {
    const errorcode = this.errorcodeFor(debug);
    // generate_error() writes errorcode only when the exception has one (isset): a PHP engine error has none.
    const body: { exception: string; errorcode?: string; message: string; debuginfo?: string } = {
      exception: this.exception,
      ...(errorcode === '' ? {} : { errorcode }),
      message: this.messageFor(debug),
    };
    const debuginfo = this.debugVariant?.debuginfo ?? this.debuginfo;
    if (debug && debuginfo) body.debuginfo = debuginfo;
    return body;
  }
}

/**
 * A PHP engine error (Error, TypeError, …) thrown inside a web-service function: a bug in Moodle, not a
 * moodle_exception. The REST server's exception handler sends it like any other, with the PHP class as
 * `exception`, PHP's own message, and no errorcode or debuginfo (the class has neither property), debugging
 * on or off. Seen on Moodle 5.1 for a deleted course in get_courses_by_field's id list (reference §10).
 */
export function phpError(message: string, phpClass = 'Error'): MoodleException {
  return new MoodleException(phpClass, '', message);
}

/** invalid_parameter_exception: the message is always "Invalid parameter value detected"; the reason is debuginfo only. */
export function invalidParameter(debuginfo: string): MoodleException {
  return new MoodleException(
    `${CORE}invalid_parameter_exception`,
    'invalidparameter',
    'Invalid parameter value detected',
    debuginfo,
  );
}

export function moodleException(errorcode: string, message: string, debuginfo?: string): MoodleException {
  return new MoodleException(`${CORE}moodle_exception`, errorcode, message, debuginfo);
}

export const invalidToken = (): MoodleException => moodleException('invalidtoken', 'Invalid token - token not found');

/** webservice_access_exception: production shows only "Access control exception" for every cause (§9). */
export function accessException(debuginfo: string): MoodleException {
  return new MoodleException('webservice_access_exception', 'accessexception', 'Access control exception', debuginfo);
}

export function functionNotAllowed(fn: string): MoodleException {
  // Verbatim from debug_err_function_not_in_service, whitespace included.
  return accessException(
    `Access to the function ${fn}() is not allowed.
                     There could be multiple reasons for this:
                     1. The service linked to the user token does not contain the function.
                     2. The service is user-restricted and the user is not listed.
                     3. The service is IP-restricted and the user IP is not listed.
                     4. The service is time-restricted and the time has expired.
                     5. The token is time-restricted and the time has expired.
                     6. The service requires a specific capability which the user does not have.
                     7. The function is called with username/password (no user token is sent)
                     and none of the services has the function to allow the user.
                     These settings can be found in Administration > Site administration
                     > Server > Web services > External services and Manage tokens.`,
  );
}

/** required_capability_exception: the capability's human name in parentheses, never debuginfo (debug_err_missing_capability_enrol). */
export function noPermissions(capabilityName: string): MoodleException {
  return new MoodleException(
    `${CORE}required_capability_exception`,
    'nopermissions',
    `Sorry, but you do not currently have permissions to do that (${capabilityName}).`,
  );
}

export function requireLogin(debuginfo: string): MoodleException {
  return new MoodleException(
    `${CORE}require_login_exception`,
    'requireloginerror',
    'Course or activity not accessible.',
    debuginfo,
  );
}

/**
 * dml_missing_record_exception. In production Moodle reports the generic invalidrecordunknown (every err_*
 * recording); with debugging on the code names the table and debuginfo holds the SQL (debug_err_enrol_nonexistent_user).
 */
export function missingRecord(table: string, sql: string, params: (string | number)[]): MoodleException {
  const exported = params.map((p, i) => `  ${i} => ${typeof p === 'string' ? `'${p}'` : p},\n`).join('');
  const debuginfo = `${sql}\n[array (\n${exported})]`;
  const variants: Record<string, [string, string]> = {
    user: ['invaliduser', 'Invalid user'],
    course: ['invalidrecord', "Can't find data record in database table course."],
    course_modules: ['invalidcoursemodule', 'Invalid course module ID'],
  };
  const [errorcode, message] = variants[table] ?? [
    'invalidrecord',
    `Can't find data record in database table ${table}.`,
  ];
  return new MoodleException(
    'dml_missing_record_exception',
    'invalidrecordunknown',
    "Can't find data record in database.",
    undefined,
    { errorcode, message, debuginfo },
  );
}

export function codingError(detail: string): MoodleException {
  return new MoodleException(
    `${CORE}coding_exception`,
    'codingerror',
    'Coding error detected, it must be fixed by a programmer: ' + detail,
  );
}
