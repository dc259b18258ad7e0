/**
 * What the engine needs from each side, and nothing about how a given system provides it. The engine
 * depends on these interfaces; adapters implement them and never import the engine or the UI.
 *
 * LMS writes are batched by the adapter. Every batch method returns one outcome per input item, in
 * input order: the adapter isolates bad records itself (Moodle rejects a whole batch for one bad
 * item), so one bad record never blocks the others.
 */

import type { SmsSnapshot } from '../electron/core/model/sms-snapshot';

// ─── Logging ────────────────────────────────────────────────────────────────────────────────────

/** The slice of a pino logger adapters use. Adapters never log a token, password or secret. */
export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: AdapterLogger = { debug() {}, info() {}, warn() {}, error() {} };

// ─── Errors ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Why an LMS call failed, in terms the engine can act on.
 * - invalid-token: the token was deleted or regenerated (or expired and removed): stop, ask the admin.
 * - access: the token or its service was changed on the LMS side (function removed from the service,
 *   service disabled, user no longer authorised, token expired, rest:use removed).
 * - no-permission: a capability is missing for this operation.
 * - require-login: the token user cannot see that course or category.
 * - invalid-parameter: the LMS rejected the data (bad or duplicate value); a data error.
 * - not-found: a record the call refers to does not exist.
 * - conflict: a unique value is taken (course shortname/idnumber, username).
 * - maintenance: the site is in maintenance mode: retry later.
 * - web-services-disabled: web services or the REST protocol are switched off site-wide.
 * - server: HTTP 5xx, an HTML page or a body that is not JSON: the site or a proxy failed.
 * - network: could not connect, or the connection dropped.
 * - timeout: no answer in time.
 * - truncated: the LMS answered for fewer items than were sent (PHP max_input_vars).
 * - unexpected: an answer the adapter does not understand.
 */
export type LmsErrorKind =
  | 'invalid-token'
  | 'access'
  | 'no-permission'
  | 'require-login'
  | 'invalid-parameter'
  | 'not-found'
  | 'conflict'
  | 'maintenance'
  | 'web-services-disabled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'truncated'
  | 'unexpected';

export class LmsError extends Error {
  override readonly name = 'LmsError';
  constructor(
    readonly kind: LmsErrorKind,
    message: string,
    readonly details: {
      /** The LMS function or operation that failed, e.g. core_user_create_users. */
      operation?: string;
      /** The LMS's own error code, when it sent one. */
      code?: string;
      /** What an administrator can do about it, in plain words. */
      fix?: string;
      /** Whether the failure is transient (the same request may succeed later). */
      retryable?: boolean;
      /** The request provably never reached the LMS (e.g. connection refused), so even a create may be resent. */
      notSent?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
  get operation(): string | undefined {
    return this.details.operation;
  }
  get code(): string | undefined {
    return this.details.code;
  }
  get fix(): string | undefined {
    return this.details.fix;
  }
  get retryable(): boolean {
    return this.details.retryable ?? false;
  }
}

// ─── Describe / capabilities ────────────────────────────────────────────────────────────────────

export type LmsFamily = 'moodle' | 'totara';

export interface LmsSiteInfo {
  family: LmsFamily;
  siteName: string;
  siteUrl: string;
  /** Human release, e.g. "5.1+ (Build: 20251017)" or a Totara release. */
  release: string;
  /** Numeric version string, e.g. "2025100600.02". */
  version: string;
  userId: number;
  username: string;
  isSiteAdmin: boolean;
  /** Every web-service function the token's service allows. */
  functions: string[];
}

/** What the engine may ask an LMS adapter to do. */
export type LmsFeature =
  | 'site-info'
  | 'list-courses'
  | 'create-courses'
  | 'update-courses'
  | 'categories'
  | 'find-users'
  | 'create-users'
  | 'update-users'
  | 'enrol'
  | 'unenrol'
  | 'list-enrolled-users'
  | 'groups'
  | 'gradebook'
  | 'activity-completion';

export interface LmsFeatureStatus {
  feature: LmsFeature;
  /** For the admin, e.g. "Create users". */
  label: string;
  available: boolean;
  /** Functions this feature needs that the token's service does not allow. */
  missingFunctions: string[];
  /** When available only through a fallback, which one (e.g. "core_course_get_courses"). */
  via?: string;
  /**
   * Capabilities a probe found missing (ids such as moodle/user:create). The service can allow a function
   * while the token's role lacks what the function checks; site info cannot tell, only a call can.
   */
  missingCapabilities?: string[];
  /** Set when this feature was probed: what the probe found, in the admin's words. */
  probe?: { result: 'granted' | 'missing' | 'unchecked'; detail: string };
}

/** Where a role id came from: the admin's mapping, an earlier run, course participants, or Moodle's default. */
export type LmsRoleSource = 'configured' | 'cached' | 'learnt' | 'verified' | 'default';

export interface LmsRoleId {
  shortname: string;
  /** null: not found on this site. */
  id: number | null;
  source: LmsRoleSource | 'unknown';
}

export interface DescribeOptions {
  /** Features to probe with harmless calls (capabilities site info does not show). */
  probe?: readonly LmsFeature[];
  /** Role shortnames to resolve to ids now, so the admin sees them at setup. */
  roles?: readonly string[];
}

export interface LmsDiagnosis {
  site: LmsSiteInfo;
  features: LmsFeatureStatus[];
  /** True when every feature ClassBridge uses is available. */
  ok: boolean;
  /** One line per problem with the steps an administrator can follow; empty when ok. */
  fixes: string[];
  /** Things that cannot be checked remotely but should be (capabilities, PHP settings). */
  notes: string[];
  /** The roles asked for in DescribeOptions.roles, with the id found and where it came from. */
  roles?: LmsRoleId[];
}

// ─── Records ────────────────────────────────────────────────────────────────────────────────────

export interface LmsCourseRecord {
  id: number;
  shortname: string;
  fullname: string;
  /** '' when the course has none. */
  idnumber: string;
  categoryId: number;
  visible: boolean;
}

export interface NewLmsCourse {
  fullname: string;
  shortname: string;
  categoryId: number;
  idnumber?: string;
  summary?: string;
  visible?: boolean;
  /** Unix seconds. */
  startDate?: number;
  endDate?: number;
}

export type LmsCourseUpdate = { id: number } & Partial<NewLmsCourse>;

/**
 * A new course made as a copy of an existing one (the mapping's course templates): its sections,
 * activities and gradebook, no people. The copy has no idnumber and the template's dates; the caller sets
 * those afterwards with updateCourses. Moodle: core_course_duplicate_course.
 */
export interface LmsCourseCopy {
  templateCourseId: number;
  fullname: string;
  shortname: string;
  categoryId: number;
  /** Default true. */
  visible?: boolean;
}

export interface LmsCategoryRecord {
  id: number;
  name: string;
  idnumber: string;
  parent: number;
}

export interface LmsUser {
  id: number;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  suspended: boolean;
  auth: string;
  /** Custom profile fields the account has a value in, where the LMS says (Moodle's customfields). */
  profileFields?: { shortname: string; name: string }[];
}

export interface NewLmsUser {
  /** Lower-case, as Moodle requires. */
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  /** Default 'manual'. External auths (ldap, oauth2, saml2, db) need no password. */
  auth?: string;
  /** For manual auth: a password, or createPassword to have the LMS generate and email one. */
  password?: string;
  createPassword?: boolean;
  /**
   * Other user fields by name: a standard one (institution, department, city, …) or
   * `profile_field_<shortname>` for a custom profile field (the adapter sends Moodle's customfields).
   */
  profileFields?: Readonly<Record<string, string>>;
}

export type LmsUserUpdate = { id: number } & Partial<Omit<NewLmsUser, 'password' | 'createPassword'>> & {
    suspended?: boolean;
  };

export type UserLookupField = 'idnumber' | 'username' | 'email' | 'id';

/** The full desired state of one enrolment: Moodle resets what is left out, so send it all. */
export interface LmsEnrolment {
  userId: number;
  courseId: number;
  /** Looked up to a role id by shortname on the site, never hard-coded. */
  roleShortname: string;
  /** Unix seconds, 0 = none. */
  timeStart?: number;
  timeEnd?: number;
  suspended?: boolean;
}

export interface LmsUnenrolment {
  userId: number;
  courseId: number;
  /**
   * With a role, only that role is unassigned and the enrolment stays (a role the SMS no longer gives,
   * the person keeping another); without, the person is unenrolled.
   */
  roleShortname?: string;
}

/**
 * A role in one user's own context (Moodle's parent / mentor pattern): `userId` (the parent) holds
 * `roleId` in the user context of `contextUserId` (the child), and so sees that child's profile, grades
 * and activity. The role must be one whose context types include User.
 */
export interface LmsUserContextRole {
  roleId: number;
  userId: number;
  contextUserId: number;
}

export interface LmsEnrolledUser {
  id: number;
  username: string;
  fullname: string;
  idnumber: string;
  email: string;
  roles: { roleId: number; shortname: string }[];
  groups: { id: number; name: string }[];
}

export interface NewLmsGroup {
  courseId: number;
  name: string;
  idnumber?: string;
  description?: string;
}

export interface LmsGroupRecord {
  id: number;
  courseId: number;
  name: string;
  idnumber: string;
}

export interface LmsGroupMember {
  groupId: number;
  userId: number;
}

/** A cohort to create (site-wide, or in a course category's context). Moodle: core_cohort_create_cohorts. */
export interface NewLmsCohort {
  /** Unique on the site; ClassBridge's start with "classbridge:" (sync/plan/cohorts.ts). */
  idnumber: string;
  name: string;
  /** Absent: the system context. */
  categoryId?: number;
  description?: string;
}

export interface LmsCohortRecord {
  id: number;
  idnumber: string;
  name: string;
}

export interface LmsCohortMember {
  cohortId: number;
  userId: number;
}

export type GradeItemType = 'course' | 'category' | 'mod' | 'manual';

export interface LmsGradeItem {
  id: number;
  name: string;
  type: GradeItemType;
  /** For mod items: assign, quiz, … */
  module: string | null;
  cmid: number | null;
  /** Hidden from the student (item or grade hidden, or hidden until a future date). */
  hidden: boolean;
  gradeMin: number | null;
  gradeMax: number | null;
  /** null = not graded. */
  raw: number | null;
  formatted: string | null;
  /** 0–100 from raw and the range; falls back to the LMS's own percentage text. */
  percentage: number | null;
}

export interface LmsUserGrades {
  userId: number;
  userIdnumber: string;
  fullname: string;
  items: LmsGradeItem[];
}

export interface LmsGradebook {
  courseId: number;
  users: LmsUserGrades[];
}

export type CompletionState = 'incomplete' | 'complete' | 'pass' | 'fail';

export interface LmsActivityCompletion {
  cmid: number;
  module: string;
  state: CompletionState;
  /** Unix seconds, 0 = not completed. */
  timeCompleted: number;
  tracking: 'none' | 'manual' | 'automatic';
}

// ─── Batches ────────────────────────────────────────────────────────────────────────────────────

export type ItemOutcome<T> = { ok: true; value: T } | { ok: false; error: LmsError };

export interface BatchResult<T> {
  /** One per input item, same order. */
  outcomes: ItemOutcome<T>[];
  /** What the adapter had to do that an admin may want to know (e.g. a batch shrunk after truncation). */
  notes: string[];
}

// ─── The adapter ────────────────────────────────────────────────────────────────────────────────

export interface LmsAdapter {
  /** Site info plus what this token can and cannot do, with fixes. Throws LmsError when it cannot connect. */
  describe(options?: DescribeOptions): Promise<LmsDiagnosis>;
  /**
   * Role ids known so far that are worth keeping for the next run (configured, learnt or verified; not
   * unverified defaults), so a connection does not have to learn them again.
   */
  knownRoleIds(): LmsRoleId[];

  listCourses(): Promise<LmsCourseRecord[]>;
  findCourses(field: 'idnumber' | 'shortname' | 'id', values: readonly (string | number)[]): Promise<LmsCourseRecord[]>;
  createCourses(courses: readonly NewLmsCourse[]): Promise<BatchResult<{ id: number; shortname: string }>>;
  updateCourses(courses: readonly LmsCourseUpdate[]): Promise<BatchResult<null>>;
  listCategories(): Promise<LmsCategoryRecord[]>;
  /**
   * One course copied from a template (LmsCourseCopy). Optional: without it a course whose rule names a
   * template is not created (sync/apply/course-copies.ts says so). Throws LmsError: `conflict` for a taken
   * shortname, `not-found` for a template that does not exist, `access` / `no-permission` with the fix.
   */
  copyCourse?(copy: LmsCourseCopy): Promise<{ id: number; shortname: string }>;

  findUsers(field: UserLookupField, values: readonly (string | number)[]): Promise<LmsUser[]>;
  createUsers(users: readonly NewLmsUser[]): Promise<BatchResult<{ id: number; username: string }>>;
  updateUsers(users: readonly LmsUserUpdate[]): Promise<BatchResult<null>>;
  suspendUsers(userIds: readonly number[]): Promise<BatchResult<null>>;

  enrol(enrolments: readonly LmsEnrolment[]): Promise<BatchResult<null>>;
  unenrol(unenrolments: readonly LmsUnenrolment[]): Promise<BatchResult<null>>;
  listEnrolledUsers(courseId: number): Promise<LmsEnrolledUser[]>;

  createGroups(groups: readonly NewLmsGroup[]): Promise<BatchResult<LmsGroupRecord>>;
  addGroupMembers(members: readonly LmsGroupMember[]): Promise<BatchResult<null>>;

  /**
   * Parent roles in children's user contexts (the parents rule, electron/core/model/parents.ts). Optional:
   * an adapter without them cannot link parents, and the upload says so instead of failing.
   */
  assignUserContextRoles?(assignments: readonly LmsUserContextRole[]): Promise<BatchResult<null>>;
  unassignUserContextRoles?(assignments: readonly LmsUserContextRole[]): Promise<BatchResult<null>>;

  /**
   * Cohorts (site-wide groups of people). Optional: an adapter without them makes the planned cohort
   * writes a "not supported" note, nothing else (sync/apply/cohorts.ts). A token whose service lacks the
   * functions, or whose role lacks moodle/cohort:manage / :assign, throws LmsError with that fix.
   */
  /** The cohort functions the token's service does not allow (from site info; no write). */
  missingCohortFunctions?(): Promise<string[]>;
  listCohorts?(): Promise<LmsCohortRecord[]>;
  createCohorts?(cohorts: readonly NewLmsCohort[]): Promise<BatchResult<LmsCohortRecord>>;
  /** A membership that already exists counts as done (a resumed run sends it again). */
  addCohortMembers?(members: readonly LmsCohortMember[]): Promise<BatchResult<null>>;
  removeCohortMembers?(members: readonly LmsCohortMember[]): Promise<BatchResult<null>>;

  /** Every grade item for every graded user of a course (or one user). */
  readGradebook(courseId: number, userId?: number): Promise<LmsGradebook>;
  readActivityCompletion(courseId: number, userId: number): Promise<LmsActivityCompletion[]>;
}

export interface LmsConnectionOptions {
  /** The site address (wwwroot), e.g. https://moodle.school.nz. */
  url: string;
  token: string;
  logger?: AdapterLogger;
  /** Items per write call (default 100); the adapter also keeps each call under maxInputVars. */
  batchSize?: number;
  /** PHP max_input_vars on the site (default 1000); requests stay under 80% of it. */
  maxInputVars?: number;
  /** Requests in flight at once (default 4). */
  maxInFlight?: number;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Attempts for a retryable request, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff delay (default 500 ms), doubled each retry with jitter, capped at 30 s. */
  backoffMs?: number;
}

// ═══ SMS side ═══════════════════════════════════════════════════════════════════════════════════

/** The canonical snapshot every SMS importer produces, defined once with its schemas (electron/core/model/sms-snapshot.ts). */
export type { SmsCourse, SmsEnrolment, SmsGroup, SmsPerson, SmsSnapshot } from '../electron/core/model/sms-snapshot';

/** Something odd but not fatal in a source (an unknown column, a skipped record type), with where. */
export interface SmsWarning {
  message: string;
  file?: string;
  line?: number;
  field?: string;
}

export type SmsImportErrorKind =
  | 'format' // a record or field does not match the format
  | 'missing' // a required file, column or field is absent
  | 'reference' // a record refers to one that does not exist (enrolment for a missing client)
  | 'duplicate' // the same id twice
  | 'unsupported-version' // e.g. AVETMISS 7.0, OneRoster 1.0
  | 'empty' // no data at all
  | 'too-large' // over a size limit
  | 'unsafe-archive' // zip with path traversal, a zip bomb, links
  | 'encoding'; // text in an encoding we cannot read

/** Where in a source a problem is: file, line, column or field, expected vs found. */
export interface SmsProblemWhere {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  expected?: string;
  found?: string;
}

/** One thing wrong in a source, with where: what `check` lists (up to MAX_SMS_PROBLEMS of them). */
export interface SmsProblem {
  kind: SmsImportErrorKind;
  message: string;
  where: SmsProblemWhere;
}

/** The most problems one refused import reports: enough to fix an export in one pass, never a flood. */
export const MAX_SMS_PROBLEMS = 100;

/**
 * Why an SMS source was refused, and exactly where: file, line, column or field, expected vs found.
 * Importers are all-or-nothing: after this error there is no partial snapshot.
 */
export class SmsImportError extends Error {
  override readonly name = 'SmsImportError';
  /**
   * Every problem found before the reader gave up, this error's own first (at most MAX_SMS_PROBLEMS).
   * A reader that stops at the first problem leaves just that one.
   */
  readonly problems: readonly SmsProblem[];
  constructor(
    readonly kind: SmsImportErrorKind,
    message: string,
    readonly where: SmsProblemWhere = {},
    more: readonly SmsProblem[] = [],
  ) {
    super(message);
    this.problems = [{ kind, message, where }, ...more].slice(0, MAX_SMS_PROBLEMS);
  }

  /** "NAT00080.txt line 12, field Date of birth: expected DDMMYYYY, found 31022001" */
  describe(): string {
    return describeSmsProblem(this);
  }

  /** The problems beyond the first (for "… and 12 more"). */
  get moreCount(): number {
    return this.problems.length - 1;
  }
}

/** A problem in words, place first: "NAT00080.txt line 12, field Date of birth: …". */
export function describeSmsProblem(problem: { message: string; where: SmsProblemWhere }): string {
  const w = problem.where;
  const place = [
    w.file,
    w.line !== undefined ? `line ${w.line}` : undefined,
    w.column !== undefined ? `column ${w.column}` : undefined,
    w.field !== undefined ? `field ${w.field}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const detail =
    w.expected !== undefined
      ? `: expected ${w.expected}${w.found !== undefined ? `, found ${JSON.stringify(w.found)}` : ''}`
      : '';
  return `${place ? `${place}: ` : ''}${problem.message}${detail}`;
}

/**
 * The first control character in a name or id (NUL, other C0 codes, DEL, C1 codes), named for the admin
 * ("U+0000"), or undefined when there is none. Such a character is never part of a real name: it is a
 * damaged export, and Moodle would store it or refuse the whole batch.
 */
export function controlCharacterIn(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const match = /[\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (!match) return undefined;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Collects record-level problems so a reader can report many at once (`check` lists them), and
 * refuses the source at the end. Structural problems (no header, wrong version) still throw at once.
 */
export class SmsProblemList {
  private readonly items: SmsProblem[] = [];
  /** Counted past the cap, so the admin is told how many there were. */
  total = 0;

  add(kind: SmsImportErrorKind, message: string, where: SmsProblemWhere = {}): void {
    this.total += 1;
    if (this.items.length < MAX_SMS_PROBLEMS) this.items.push({ kind, message, where });
  }

  get size(): number {
    return this.items.length;
  }

  /** Throws an SmsImportError carrying every problem collected (the first as its own), when there is any. */
  throwIfAny(): void {
    const [first, ...rest] = this.items;
    if (!first) return;
    const suffix =
      this.total > this.items.length
        ? ` (${this.total} problems in all; the first ${this.items.length} are listed)`
        : '';
    throw new SmsImportError(first.kind, `${first.message}${suffix}`, first.where, rest);
  }
}

/** How an SMS exchanges data, so the engine and the wizard can offer the right things. */
export interface SmsCapabilities {
  /** ClassBridge calls the SMS's API. */
  pull: boolean;
  /** The SMS sends to ClassBridge's receiver (needs *Get Secret*). */
  push: boolean;
  /** ClassBridge reads an export file or folder. */
  file: boolean;
  /** How results go back: a file the SMS imports, an answer to a push, or an API call. */
  resultsWriteBack: ('file' | 'push-response' | 'api')[];
}

export interface SmsDescription {
  provider: string;
  /** The format version found in the source, when known (e.g. "AVETMISS 8.0", "OneRoster 1.2"). */
  version?: string;
  capabilities: SmsCapabilities;
}

export interface SmsImportResult {
  snapshot: SmsSnapshot;
  warnings: SmsWarning[];
  description: SmsDescription;
}

/** A result to give back to the SMS, per enrolment. */
export interface SmsResultRecord {
  personSmsId: string;
  courseSmsId: string;
  progressPercent: number;
  /** The course grade as the LMS shows it, e.g. "B+" or "72.50". */
  grade: string | null;
  gradePercent: number | null;
  /**
   * gradePercent unrounded, where the LMS gave the raw grade and range: outcomes are decided from it
   * (49.995 % is not 50 %). Absent or null: gradePercent is all that is known.
   */
  gradePercentExact?: number | null;
  completed: boolean;
  /** ISO timestamp of the last change in the LMS. */
  updatedAt: string;
}

/** Where an import reads from: a file, folder or zip on disk, or payloads an SMS pushed to us. */
export type SmsSource = { kind: 'path'; path: string } | { kind: 'payloads'; payloads: readonly unknown[] };

export interface SmsExportReport {
  /** Files written (absolute paths). */
  files: string[];
  records: number;
  warnings: SmsWarning[];
  /**
   * Results the writer could not write into their row now (AVETMISS: an activity not yet started, an
   * outcome code that is not valid): left as the SMS has them, reported per person and unit, and
   * offered again on the next delivery.
   */
  refused?: SmsRefusedResult[];
}

/** One result a writer refused, with the reason and what to do. */
export interface SmsRefusedResult {
  personSmsId: string;
  courseSmsId: string;
  reason: string;
  fix: string;
}

/** What the engine asks of every SMS adapter. */
export interface SmsAdapter {
  describe(): SmsDescription;
  /** Reads the whole source into a snapshot, or throws SmsImportError: never a partial snapshot. */
  import(source: SmsSource): Promise<SmsImportResult>;
  /** Writes results in a form the SMS takes back (absent where the SMS cannot take results). */
  exportResults?(results: readonly SmsResultRecord[], folder: string): Promise<SmsExportReport>;
}
