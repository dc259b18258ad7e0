import { LmsError, type LmsFeature, type LmsSiteInfo } from '../../contract';
import type { FormValue } from './form-encoding';

/**
 * Capability probes. Site info lists every function of the service even when the token's role lacks the
 * capabilities those functions check (reference §10), so the only way to know is a call. Each probe is a
 * read, or a write Moodle refuses *after* its capability check and *before* it changes anything:
 *
 * - create_users with the web-service account's own username ("Username already exists");
 * - create_courses with a blank full name (errorinvalidparam);
 * - enrol/unenrol on the front page, which can never hold a manual enrolment instance (wsnoinstance);
 *   the enrol probe also proves the student role id is one the token may assign.
 *
 * An answer the probe does not expect is reported as "not checked", never as granted.
 */

/** Moodle's display names, which are what its nopermissions message carries ("(Create users)"). */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'moodle/user:create': 'Create users',
  'moodle/user:update': 'Update user profiles',
  'moodle/course:create': 'Create courses',
  'enrol/manual:enrol': 'Enrol users',
  'enrol/manual:unenrol': 'Unenrol users from the course',
  'moodle/role:assign': 'Assign roles to users',
  'moodle/course:viewparticipants': 'View participants',
  'moodle/course:managegroups': 'Manage groups',
  'gradereport/user:view': 'View user report',
  'moodle/grade:viewall': 'View grades of other users',
};

export type ProbeFinding =
  | { result: 'granted'; detail: string }
  | { result: 'missing'; capabilities: string[]; detail: string }
  | { result: 'unchecked'; detail: string };

export interface ProbeContext {
  site: LmsSiteInfo;
  /** One attempt, no retries: the answer is the finding. */
  call(fn: string, params: Record<string, FormValue>): Promise<unknown>;
  /** A course the token can read (not the front page), or undefined on a site with none yet. */
  someCourseId(): Promise<number | undefined>;
  someCategoryId(): Promise<number | undefined>;
  /** The id the next enrolment would use for this shortname, if one is known or assumed. */
  roleId(shortname: string): number | undefined;
}

interface Probe {
  feature: LmsFeature;
  /** The capabilities this probe can find missing, in the order Moodle checks them. */
  capabilities: string[];
  /** What stops without them, for the admin. */
  stops: string;
  run(ctx: ProbeContext): Promise<ProbeFinding>;
}

/** The site course (front page): SITEID is 1 on every Moodle. */
const SITE_COURSE_ID = 1;

const PROBES: readonly Probe[] = [
  {
    feature: 'create-users',
    capabilities: ['moodle/user:create'],
    stops: 'new students and staff are not created in the LMS',
    run: (ctx) =>
      refusedAfterCheck(
        ctx,
        'core_user_create_users',
        {
          users: [
            {
              username: ctx.site.username,
              firstname: 'ClassBridge',
              lastname: 'capability check',
              email: 'classbridge-capability-check@invalid.invalid',
              createpassword: 1,
            },
          ],
        },
        ['invalidparameter'],
        ['moodle/user:create'],
      ),
  },
  {
    feature: 'update-users',
    capabilities: ['moodle/user:update'],
    stops: 'profile changes and suspensions are not written',
    // Moodle checks the capability before it looks at the rows; id 0 is no user, so nothing is written.
    run: (ctx) =>
      grantedUnlessRefused(
        ctx,
        'core_user_update_users',
        { users: [{ id: 0 }] },
        ['moodle/user:update'],
        ['invaliduserid', 'invalidparameter'],
      ),
  },
  {
    feature: 'create-courses',
    capabilities: ['moodle/course:create'],
    stops: 'SMS courses are not created in the LMS',
    run: async (ctx) => {
      const categoryId = await ctx.someCategoryId();
      if (categoryId === undefined) return { result: 'unchecked', detail: 'the token cannot see any course category' };
      return refusedAfterCheck(
        ctx,
        'core_course_create_courses',
        { courses: [{ fullname: ' ', shortname: 'classbridge-capability-check', categoryid: categoryId }] },
        ['errorinvalidparam'],
        ['moodle/course:create'],
      );
    },
  },
  {
    feature: 'enrol',
    capabilities: ['enrol/manual:enrol', 'moodle/role:assign'],
    stops: 'nobody is enrolled in the LMS',
    run: async (ctx) => {
      const roleid = ctx.roleId('student');
      if (roleid === undefined) return { result: 'unchecked', detail: 'the student role id is not known yet' };
      return refusedAfterCheck(
        ctx,
        'enrol_manual_enrol_users',
        { enrolments: [{ roleid, userid: ctx.site.userId, courseid: SITE_COURSE_ID }] },
        ['wsnoinstance'],
        ['enrol/manual:enrol'],
        { wsusercannotassign: ['moodle/role:assign'] },
      );
    },
  },
  {
    feature: 'unenrol',
    capabilities: ['enrol/manual:unenrol'],
    stops: 'leavers cannot be unenrolled',
    run: (ctx) =>
      refusedAfterCheck(
        ctx,
        'enrol_manual_unenrol_users',
        { enrolments: [{ userid: ctx.site.userId, courseid: SITE_COURSE_ID }] },
        ['wsnoinstance'],
        ['enrol/manual:unenrol'],
      ),
  },
  {
    feature: 'list-enrolled-users',
    capabilities: ['moodle/course:viewparticipants'],
    stops: 'ClassBridge cannot check who is enrolled, so it cannot resume safely or learn role ids',
    run: (ctx) =>
      readOnSomeCourse(
        ctx,
        'core_enrol_get_enrolled_users',
        (courseid) => ({ courseid, options: [{ name: 'limitnumber', value: 1 }] }),
        ['moodle/course:viewparticipants'],
      ),
  },
  {
    feature: 'groups',
    capabilities: ['moodle/course:managegroups'],
    stops: 'classes are not made into groups',
    run: (ctx) =>
      readOnSomeCourse(ctx, 'core_group_get_course_groups', (courseid) => ({ courseid }), [
        'moodle/course:managegroups',
      ]),
  },
  {
    feature: 'gradebook',
    capabilities: ['gradereport/user:view', 'moodle/grade:viewall'],
    stops: 'results are not read from the LMS',
    run: (ctx) =>
      readOnSomeCourse(ctx, 'gradereport_user_get_grade_items', (courseid) => ({ courseid, userid: 0 }), [
        'gradereport/user:view',
        'moodle/grade:viewall',
      ]),
  },
];

export const PROBED_FEATURES: readonly LmsFeature[] = PROBES.map((p) => p.feature);

export interface ProbeReport {
  feature: LmsFeature;
  finding: ProbeFinding;
  stops: string;
}

/** Runs the probes for these features (those whose functions the service allows), one after another. */
export async function probeCapabilities(ctx: ProbeContext, features: readonly LmsFeature[]): Promise<ProbeReport[]> {
  const wanted = new Set(features);
  const reports: ProbeReport[] = [];
  for (const probe of PROBES) {
    if (!wanted.has(probe.feature)) continue;
    reports.push({ feature: probe.feature, finding: await safely(() => probe.run(ctx)), stops: probe.stops });
  }
  return reports;
}

async function safely(run: () => Promise<ProbeFinding>): Promise<ProbeFinding> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof LmsError) return { result: 'unchecked', detail: err.message };
    throw err;
  }
}

/** How Moodle's answer to a probe reads: which refusals mean "allowed", and what an accepted call means. */
interface ProbeReading {
  /** Error codes Moodle gives only once the capability check has passed. */
  allowedCodes: readonly string[];
  /** The capabilities the call checks, in order; a nopermissions names one of them. */
  checked: readonly string[];
  /** Error codes that mean a capability other than the call's own check is missing. */
  otherwise?: Readonly<Record<string, string[]>>;
  /** A read: an accepted call is the proof. A write built to be refused must not be accepted. */
  acceptedMeans: 'granted' | 'unexpected';
}

async function probe(
  ctx: ProbeContext,
  fn: string,
  params: Record<string, FormValue>,
  reading: ProbeReading,
): Promise<ProbeFinding> {
  try {
    await ctx.call(fn, params);
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    const code = err.details.code ?? '';
    if (reading.allowedCodes.includes(code)) return { result: 'granted', detail: `${fn}: allowed` };
    const missing =
      reading.otherwise?.[code] ?? (code === 'nopermissions' ? named(err.message, reading.checked) : undefined);
    if (missing) return { result: 'missing', capabilities: missing, detail: err.message };
    return { result: 'unchecked', detail: `${fn} answered ${code || err.kind}: ${err.message}` };
  }
  if (reading.acceptedMeans === 'granted') return { result: 'granted', detail: `${fn}: allowed` };
  // Should not happen (the request is built to be refused); say so rather than call it granted.
  return {
    result: 'unchecked',
    detail: `${fn} accepted a request Moodle normally refuses; check the capability by hand`,
  };
}

/** A write Moodle must refuse with one of `expected` once the capability check has passed. */
function refusedAfterCheck(
  ctx: ProbeContext,
  fn: string,
  params: Record<string, FormValue>,
  expected: readonly string[],
  checked: readonly string[],
  otherwise: Readonly<Record<string, string[]>> = {},
): Promise<ProbeFinding> {
  return probe(ctx, fn, params, { allowedCodes: expected, checked, otherwise, acceptedMeans: 'unexpected' });
}

/** A read (or a write that changes nothing): accepted, or refused only as harmless, is allowed. */
function grantedUnlessRefused(
  ctx: ProbeContext,
  fn: string,
  params: Record<string, FormValue>,
  checked: readonly string[],
  harmless: readonly string[],
): Promise<ProbeFinding> {
  return probe(ctx, fn, params, { allowedCodes: harmless, checked, acceptedMeans: 'granted' });
}

async function readOnSomeCourse(
  ctx: ProbeContext,
  fn: string,
  params: (courseId: number) => Record<string, FormValue>,
  checked: readonly string[],
): Promise<ProbeFinding> {
  const courseId = await ctx.someCourseId();
  if (courseId === undefined)
    return { result: 'unchecked', detail: 'there is no course on the site yet; checked again after the first upload' };
  return grantedUnlessRefused(ctx, fn, params(courseId), checked, []);
}

/** The capabilities among `candidates` that Moodle's message names; all of them if it names none. */
function named(message: string, candidates: readonly string[]): string[] {
  const hit = candidates.filter((c) => {
    const display = DISPLAY_NAMES[c];
    return display !== undefined && message.includes(`(${display})`);
  });
  return hit.length > 0 ? hit : [...candidates];
}

export function capabilityLabel(capability: string): string {
  const display = DISPLAY_NAMES[capability];
  return display ? `${capability} (${display})` : capability;
}
