/**
 * What a simulated function sees while it runs: the state (a working copy for all-or-nothing functions),
 * the calling user and their capabilities, and site settings. Also the access checks Moodle functions
 * share (require_capability, validate_context).
 */
import { capabilityName, moduleViewCapability } from '../capabilities';
import {
  invalidParameter,
  missingRecord,
  MoodleException,
  moodleException,
  noPermissions,
  requireLogin,
} from '../errors';
import type { Desc, Validated } from '../param-validation';
import { rowsWhere, type SimCourse, type SimModule, type SimState, type SimUser } from '../state';

export interface SiteIdentity {
  url: string;
  release: string;
  version: string;
  family: 'moodle' | 'totara';
  debug: boolean;
}

export interface CallContext {
  state: SimState;
  caller: SimUser;
  site: SiteIdentity;
  /** The functions the caller's service allows (site_info lists them). */
  serviceFunctions: string[];
  now: number;
}

export type Transaction = 'read' | 'all-or-nothing' | 'per-item';

export interface FunctionDefinition {
  name: string;
  params: Desc;
  /** The array parameter whose elements count as items for the latency model. */
  mainArray?: string;
  /** all-or-nothing: Moodle's delegated transaction; the run gets a copy of the state that is kept only on success. */
  transaction: Transaction;
  run(params: Record<string, Validated>, ctx: CallContext): unknown;
}

export function can(ctx: CallContext, capability: string): boolean {
  return ctx.caller.siteAdmin || ctx.caller.capabilities.has(capability);
}

export function requireCapability(ctx: CallContext, capability: string): void {
  if (!can(ctx, capability)) throw noPermissions(capabilityName(capability));
}

/** get_record('course', …, MUST_EXIST). */
export function courseOrMissing(ctx: CallContext, courseid: number, fields = '*'): SimCourse {
  const course = ctx.state.courses.get(courseid);
  if (!course) throw missingRecord('course', `SELECT ${fields} FROM {course} WHERE id = ?`, [courseid]);
  return course;
}

/** get_record('user', …, MUST_EXIST), deleted users included as in Moodle. */
export function userOrMissing(ctx: CallContext, userid: number): SimUser {
  const user = ctx.state.users.get(userid);
  if (!user) throw missingRecord('user', 'SELECT * FROM {user} WHERE id = ?', [userid]);
  return user;
}

/**
 * external_api::validate_context for a course: a missing context is invalid_parameter_exception
 * "Context does not exist" (debug_err_enrol_nonexistent_course); a course the caller may not enter is
 * require_login_exception. The token user is never enrolled, so entering needs moodle/course:view, and a
 * hidden course also moodle/course:viewhiddencourses.
 */
export function validateCourseContext(ctx: CallContext, courseid: number): SimCourse {
  const course = ctx.state.courses.get(courseid);
  if (!course) throw invalidParameter('Context does not exist');
  if (course.id === ctx.state.siteCourseId) return course;
  if (!can(ctx, 'moodle/course:view')) throw requireLogin('Not enrolled');
  if (!course.visible && !can(ctx, 'moodle/course:viewhiddencourses')) throw requireLogin('Course is hidden');
  return course;
}

/** The context errors course functions wrap (webservice errorcoursecontextnotvalid). */
export function validateCourseContextWrapped(ctx: CallContext, courseid: number): SimCourse {
  try {
    return validateCourseContext(ctx, courseid);
  } catch (e) {
    if (!(e instanceof MoodleException)) throw e;
    const message = e.messageFor(ctx.site.debug);
    throw moodleException(
      'errorcoursecontextnotvalid',
      `You cannot execute functions in the course context (course id:${courseid}). The context error message was: ${message}`,
    );
  }
}

/**
 * Whether the caller sees an activity: hidden activities need viewhiddenactivities, and §9 found that
 * without the module's view capability Moodle silently leaves the activity out (quirk_no_mod_view_caps_*).
 */
export function callerSeesModule(ctx: CallContext, module: SimModule): boolean {
  if (!can(ctx, moduleViewCapability(module.modname))) return false;
  return module.visible === 1 || can(ctx, 'moodle/course:viewhiddenactivities');
}

/** Modules of a course in display order (section by section, each section's sequence). */
export function courseModulesInOrder(ctx: CallContext, courseid: number): SimModule[] {
  const sections = [...ctx.state.sections.values()]
    .filter((s) => s.courseid === courseid)
    .sort((a, b) => a.section - b.section);
  return sections.flatMap((s) =>
    s.sequence.map((cmid) => ctx.state.modules.get(cmid)).filter((m): m is SimModule => m !== undefined),
  );
}

export function fullname(user: SimUser): string {
  return `${user.firstname} ${user.lastname}`;
}

export function profileImageUrls(ctx: CallContext): { profileimageurlsmall: string; profileimageurl: string } {
  const base = `${ctx.site.url}/theme/image.php/${ctx.state.site.theme}/core/${ctx.state.site.themeRevision}/u`;
  return { profileimageurlsmall: `${base}/f2`, profileimageurl: `${base}/f1` };
}

/** Course ids the user has an enrolment in (any status) through an enabled or disabled instance. */
export function enrolmentsOf(
  state: SimState,
  userid: number,
  courseid: number,
): { status: number; timestart: number; timeend: number; instanceStatus: number }[] {
  const result = [];
  for (const ue of rowsWhere(state.userEnrolments, 'userid', userid)) {
    const instance = state.enrolInstances.get(ue.enrolid);
    if (instance?.courseid === courseid) result.push({ ...ue, instanceStatus: instance.status });
  }
  return result;
}

/** An active enrolment: user enrolment active, instance enabled, inside its dates. */
export function isActivelyEnrolled(state: SimState, userid: number, courseid: number, now: number): boolean {
  return enrolmentsOf(state, userid, courseid).some(
    (e) =>
      e.status === 0 &&
      e.instanceStatus === 0 &&
      (e.timestart === 0 || e.timestart <= now) &&
      (e.timeend === 0 || e.timeend > now),
  );
}

export function isEnrolled(state: SimState, userid: number, courseid: number): boolean {
  return enrolmentsOf(state, userid, courseid).length > 0;
}

/** Narrowing helpers for validated parameters. */
export const asInt = (v: Validated | undefined): number => (typeof v === 'number' ? v : 0);
export const asString = (v: Validated | undefined): string =>
  typeof v === 'string' ? v : v === undefined ? '' : String(v);
export const asList = (v: Validated | undefined): Validated[] => (Array.isArray(v) ? v : []);
export const asRecord = (v: Validated | undefined): Record<string, Validated> =>
  v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : {};
export const records = (v: Validated | undefined): Record<string, Validated>[] => asList(v).map(asRecord);
