/**
 * What the receiver answers KAMAR (ref A.5). Every answer is JSON under `SMSDirectoryData` with the
 * `error` + `result` pair; HTTP status is 200 as KAMAR's own example listener does ([C]; kamar-listener
 * uses matching HTTP codes, the reference calls 200 + body code the safest).
 */
export const SERVICE_NAME = 'ClassBridge';
export const SERVICE_VERSION = '1.0';

export interface KamarAnswer {
  error: number;
  result: string;
  /** Our own addition: what exactly was wrong, for the admin reading KAMAR's log. */
  detail?: string;
}

export const ANSWERS = {
  ok: { error: 0, result: 'OK' },
  /** ref A.5 [C] KAMAR example / kamar-listener. */
  noCredentials: { error: 401, result: 'No Credentials Provided' },
  authFailed: { error: 403, result: 'Authentication Failed' },
  /** Empty body: KAMAR's example answers 401 "No Data" [C]. */
  noData: { error: 401, result: 'No Data' },
  /** Malformed JSON or envelope: kamar-listener's 422 [C]. */
  malformed: { error: 422, result: 'Request From KAMAR Was Malformed' },
  /** Not in KAMAR's documented set [I]: same shape, HTTP-style codes. */
  tooLarge: { error: 413, result: 'Request Too Large' },
  tooManyFailures: { error: 429, result: 'Too Many Failed Attempts' },
  /**
   * A chunk that reads well but whose push cannot end as a snapshot (ours [I]): 422 like a malformed
   * message, since the push as sent cannot be processed, with a result that says why (the `detail`
   * says what to do). KAMAR is told now because it cannot be told after its request has ended.
   */
  pushSpoiled: { error: 422, result: 'An Earlier Part Of This Push Failed' },
  recentFailure: { error: 422, result: 'A Message Just Before This Push Failed' },
  countMismatch: { error: 422, result: 'Record Count Does Not Match' },
  noFullSync: { error: 422, result: 'No Full Sync Received Yet' },
  notFound: { error: 404, result: 'Not Found' },
  methodNotAllowed: { error: 405, result: 'Method Not Allowed' },
  serverError: { error: 500, result: 'Internal Error' },
  /**
   * The receiver is stopping (ours [I]): the chunk was not taken, so KAMAR's failed-send retry sends
   * it again once ClassBridge is back, and it joins the push kept in the spool.
   */
  stopping: { error: 503, result: 'Service Stopping, Try Again Shortly' },
} as const satisfies Record<string, KamarAnswer>;

export function envelope(answer: KamarAnswer, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    SMSDirectoryData: { ...answer, service: SERVICE_NAME, version: SERVICE_VERSION, ...extra },
  });
}

export interface CheckOptions {
  infoUrl: string;
  privacyStatement: string;
  /** Ask for students' caregivers too (name, email, relationship): only while a parents rule is on. */
  caregivers?: boolean;
}

/** The caregiver fields asked for when a parents rule is on (ref A.5: dotted sub-fields such as caregiver.email). */
export const CAREGIVER_CHECK_FIELDS =
  'caregiver.ref;caregiver.name;caregiver.email;caregiver.relationship;caregiver.status';

export const DEFAULT_PRIVACY_STATEMENT =
  'ClassBridge copies student and staff names, usernames, email addresses, NSNs, year levels and class ' +
  'memberships from KAMAR to the school’s own learning management system, to create accounts and ' +
  'enrol people in their classes. The data is kept on the school’s ClassBridge computer and the ' +
  'school’s LMS, is used for no other purpose and is handled under the Privacy Act 2020.';

/**
 * The reply to `sync: "check"` (ref A.5 [C]): it tells KAMAR what to send. ClassBridge asks for
 * details + class groups of students and staff, and the subject list (for course names); no
 * passwords, photos, timetables (class membership comes from `groups`), attendance, results,
 * pastoral or the rest. KAMAR sends only what is asked for, so the fields list is kept minimal.
 */
export function checkAnswer(options: CheckOptions): string {
  return envelope(ANSWERS.ok, {
    status: 'Ready',
    infourl: options.infoUrl,
    privacystatement: options.privacyStatement,
    countryDataStored: 'New Zealand',
    options: {
      ics: false,
      students: {
        details: true,
        passwords: false,
        photos: false,
        groups: true,
        awards: false,
        timetables: false,
        attendance: false,
        assessments: false,
        pastoral: false,
        recognitions: false,
        classefforts: false,
        learningsupport: false,
        fields: {
          required: 'uniqueid;nsn;firstname;lastname;username',
          optional: `email;yearlevel;tutor;forenames;leavingdate${options.caregivers ? `;${CAREGIVER_CHECK_FIELDS}` : ''}`,
        },
      },
      staff: {
        details: true,
        passwords: false,
        photos: false,
        timetables: false,
        fields: {
          required: 'uniqueid;firstname;lastname;username',
          optional: 'email;title;classification;leavingdate',
        },
      },
      common: { subjects: true, notices: false, calendar: false, bookings: false },
    },
  });
}
