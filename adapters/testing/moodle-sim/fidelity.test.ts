/**
 * Fidelity: replays every recorded request from a real Moodle 5.1+ (recordings/, copied from the
 * reference capture) against a simulator set up like the lab site at that moment, and compares the
 * answer field by field: HTTP status, content type, the same keys in the same order (optional keys
 * present or absent alike), the same value types, and equal values except where the value is data that
 * legitimately differs (timestamps, theme revisions, access keys, ids of newly created records).
 *
 * Every ok_*, err_*, batch_*, debug_* and quirk_* recording is compared. Deliberately skipped:
 * - perf_and_max_input_vars.json: timings and max_input_vars probes, not a single request; its
 *   max_input_vars findings are replayed by max-input-vars.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultSeed, startMoodleSim, type MoodleSim, type SimSeed } from './index';
import { encodePairs, post } from './test-support';
import { COHORT_FUNCTIONS } from './functions/cohorts';

const RECORDINGS = join(import.meta.dirname, 'recordings');
const LAB_URL = 'http://127.0.0.1:8080';
const LIMITED_TOKEN = 'limited0limited0limited0limited0';

interface Recording {
  name: string;
  request: { method: string; url: string; form: string[] };
  http_status: number;
  content_type: string;
  body: unknown;
}

interface Case {
  /** Start the simulator in Moodle's developer debug mode (the debug_* recordings). */
  debug?: boolean;
  /** Put the simulator in the situation the recording was made in. */
  setup?: (sim: MoodleSim) => void | Promise<void>;
  /** Keys whose values are data in this recording (compared by type only). */
  dataKeys?: string[];
}

/** Values that differ between any two sites: clocks, theme caches, per-user keys. */
const ALWAYS_DATA = new Set([
  'timecreated',
  'timemodified',
  'cacherev',
  'gradedategraded',
  'timecompleted',
  'lastmodified',
  'userpictureurl',
  'profileimageurl',
  'profileimageurlsmall',
  'modicon',
  'userprivateaccesskey',
]);

/** The lab site's front page, and its service as recorded (without core_group_get_course_groups). */
function asLabSite(sim: MoodleSim): void {
  const site = sim.state.courses.get(1);
  if (site)
    Object.assign(site, {
      fullname: 'Acceptance Moodle (lab)',
      shortname: 'acclab',
      summary: 'Real Moodle acceptance target',
    });
  sim.revokeFunction(sim.token, 'core_group_get_course_groups');
  sim.revokeFunction(sim.token, 'core_course_duplicate_course'); // not in the lab's service when recorded
  for (const fn of COHORT_FUNCTIONS) sim.revokeFunction(sim.token, fn.name); // nor were the cohort functions
  for (const fn of ['core_role_assign_roles', 'core_role_unassign_roles']) sim.revokeFunction(sim.token, fn); // nor these
}

const deleteUsers = (sim: MoodleSim, ids: number[]): void => ids.forEach((id) => sim.state.users.delete(id));

const CASES: Record<string, Case> = {
  ok_core_completion_get_activities_completion_status: {},
  ok_core_course_create_categories: {
    setup: (sim) => [2, 3].forEach((id) => sim.state.categories.delete(id)),
    dataKeys: ['id'],
  },
  ok_core_course_create_courses: {
    setup: (sim) => [2, 3, 4].forEach((id) => sim.state.courses.delete(id)),
    dataKeys: ['id'],
  },
  ok_core_course_get_categories: {},
  ok_core_course_get_categories_by_idnumber: {},
  ok_core_course_get_contents: {},
  ok_core_course_get_courses: {},
  ok_core_course_get_courses_all: {
    // Recorded before ok_core_course_update_courses renamed BIO110.
    setup: (sim) => {
      asLabSite(sim);
      const bio = sim.state.courses.get(3);
      if (bio) Object.assign(bio, { fullname: 'Biology 110', summary: '' });
    },
  },
  ok_core_course_get_courses_by_field: {},
  ok_core_course_update_courses: {},
  ok_core_enrol_get_enrolled_users: {},
  ok_core_enrol_get_enrolled_users_after_unenrol: {
    setup: (sim) => {
      sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => !(ue.userid === 14 && ue.enrolid === 7));
      sim.state.roleAssignments = sim.state.roleAssignments.filter((ra) => !(ra.userid === 14 && ra.courseid === 4));
    },
  },
  ok_core_group_add_group_members: {},
  ok_core_group_create_groups: { setup: (sim) => sim.state.groups.clear(), dataKeys: ['id'] },
  ok_core_user_create_users: {
    setup: (sim) => deleteUsers(sim, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]),
    dataKeys: ['id'],
  },
  ok_core_user_get_users_by_field: {},
  ok_core_user_get_users_by_field_idnumber: {},
  ok_core_user_update_users: {},
  ok_core_webservice_get_site_info: { setup: asLabSite },
  ok_create_user_createpassword_no_password: { dataKeys: ['id'] },
  ok_enrol_already_enrolled_is_idempotent: {},
  ok_enrol_manual_enrol_users: {},
  ok_enrol_manual_unenrol_users: {},
  ok_get_courses_by_field_no_match: {},
  ok_get_courses_nonexistent_id_empty: {},
  ok_gradereport_user_get_grade_items: {},
  ok_gradereport_user_get_grade_items_oneuser: {},
  ok_limited_after_restore: { setup: asLabSite },
  ok_limited_token_still_reads_courses: {},
  ok_unenrol_not_enrolled_user: {},
  ok_update_courses_nonexistent_id_warning: {},
  ok_update_users_nonexistent_id_warning: {},

  err_bad_rest_format_xml_default: { setup: asLabSite },
  err_course_not_found_get_contents: {},
  err_duplicate_category_idnumber: {},
  err_duplicate_course_idnumber: {},
  err_duplicate_course_shortname: {},
  err_duplicate_username: {},
  err_empty_token: {},
  err_enrol_nonexistent_course: {},
  err_enrol_nonexistent_user: {},
  err_function_does_not_exist: {},
  err_function_not_in_service: {},
  err_group_add_member_not_enrolled: {},
  err_group_duplicate_name: {},
  err_invalid_param_missing_required: {},
  err_invalid_param_missing_top_level: {},
  err_invalid_param_unexpected_key: {},
  err_invalid_param_unknown_field: {},
  err_invalid_param_wrong_type: {},
  err_invalid_token: {},
  err_missing_capability_create_courses: {},
  err_missing_capability_create_users: {},
  err_missing_capability_enrol: {},
  err_missing_capability_grade_items: {},
  err_password_policy: {},
  err_revoked_expire: { setup: (sim) => sim.expireToken(LIMITED_TOKEN) },
  err_revoked_expire_second_call: {
    setup: async (sim) => {
      sim.expireToken(LIMITED_TOKEN);
      await post(
        sim,
        encodePairs([
          ['wstoken', LIMITED_TOKEN],
          ['wsfunction', 'core_webservice_get_site_info'],
          ['moodlewsrestformat', 'json'],
        ]),
      );
    },
  },
  err_revoked_norestuse: { setup: (sim) => sim.revokeCapability(LIMITED_TOKEN, 'webservice/rest:use') },
  err_revoked_service_disabled: { setup: (sim) => sim.disableService(sim.token) },
  err_revoked_suspend: { setup: (sim) => sim.suspendTokenUser(LIMITED_TOKEN) },
  err_revoked_unassignrole: { setup: (sim) => sim.state.users.get(4)?.capabilities.clear() },
  err_revoked_unauthorise: {
    setup: (sim) => {
      sim.state.services.get(1)?.authorisedUsers.delete(4);
    },
  },
  err_undeclared_capability_report_progress_view: {
    setup: (sim) => sim.revokeCapability(sim.token, 'report/progress:view'),
  },
  err_unenrol_nonexistent_course: {},
  err_webservices_disabled: { setup: (sim) => sim.setWebServicesEnabled(false) },

  batch_create_courses_one_duplicate: {},
  batch_create_groups_one_duplicate: {},
  batch_create_users_one_duplicate: {},
  batch_enrol_one_bad_course: {},
  batch_group_members_one_not_enrolled: {},
  batch_unenrol_bad_course_first: {},
  batch_unenrol_one_bad_course: {},
  batch_update_users_one_duplicate_username: {},
  batch_update_users_one_missing: {},

  debug_batch_create_users_one_duplicate: { debug: true },
  debug_err_duplicate_username: { debug: true },
  debug_err_enrol_nonexistent_course: { debug: true },
  debug_err_enrol_nonexistent_user: { debug: true },
  debug_err_function_not_in_service: { debug: true },
  debug_err_group_add_member_not_enrolled: { debug: true },
  debug_err_group_duplicate_name: { debug: true },
  debug_err_group_missing_description: { debug: true },
  debug_err_invalid_param_missing_required: { debug: true },
  debug_err_invalid_param_wrong_type: { debug: true },
  debug_err_missing_capability_enrol: { debug: true },
  debug_err_password_policy: { debug: true },
  debug_err_username_uppercase: { debug: true },

  quirk_no_mod_view_caps_core_course_get_contents: { setup: withoutActivityViewCapabilities },
  quirk_no_mod_view_caps_gradereport_user_get_grade_items: { setup: withoutActivityViewCapabilities },
  quirk_no_mod_view_caps_gradereport_user_get_grade_items_oneuser: { setup: withoutActivityViewCapabilities },
};

const SKIPPED = new Set(['perf_and_max_input_vars']);

function withoutActivityViewCapabilities(sim: MoodleSim): void {
  sim.revokeCapability(sim.token, 'mod/assign:view');
  sim.revokeCapability(sim.token, 'mod/quiz:view');
}

/** The lab site plus the limited user's token (wsconnector_limited, id 4, same service). */
function labSeed(): SimSeed {
  const seed = defaultSeed();
  return { ...seed, tokens: [...seed.tokens, { token: LIMITED_TOKEN, userid: 4, serviceid: 1, validuntil: 0 }] };
}

/** Differences between a recorded value and the simulator's, as readable paths. */
function differences(recorded: unknown, actual: unknown, dataKeys: Set<string>, path = '$', key = ''): string[] {
  if (recorded === null || actual === null) {
    return recorded === actual || dataKeys.has(key)
      ? []
      : [`${path}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (recorded.length !== actual.length)
      return [`${path}: expected ${recorded.length} elements, got ${actual.length}`];
    return recorded.flatMap((r, i) => differences(r, actual[i], dataKeys, `${path}[${i}]`, key));
  }
  if (typeof recorded === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const expectedKeys = Object.keys(recorded);
    const actualKeys = Object.keys(actual);
    if (expectedKeys.join() !== actualKeys.join())
      return [`${path}: keys differ\n  recorded: ${expectedKeys.join()}\n  simulated: ${actualKeys.join()}`];
    return expectedKeys.flatMap((k) =>
      differences(
        (recorded as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        dataKeys,
        `${path}.${k}`,
        k,
      ),
    );
  }
  if (typeof recorded !== typeof actual)
    return [`${path}: expected a ${typeof recorded}, got ${JSON.stringify(actual)}`];
  if (dataKeys.has(key)) return [];
  return recorded === actual ? [] : [`${path}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
}

/** The recording with the lab's address replaced by the simulator's. */
function relocate(value: unknown, url: string): unknown {
  if (typeof value === 'string') return value.split(LAB_URL).join(url);
  if (Array.isArray(value)) return value.map((v) => relocate(v, url));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relocate(v, url)]));
  }
  return value;
}

/** Masks the per-site values inside an XML answer. */
const maskXml = (xml: string): string =>
  xml
    .replace(/(\/theme\/image\.php\/\w+\/\w+\/)\d+/g, '$1REV')
    .replace(/(<KEY name="userprivateaccesskey"><VALUE>)[^<]*/g, '$1KEY');

const recordings = readdirSync(RECORDINGS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('the simulator answers like the recorded Moodle 5.1+', () => {
  test('every recording is either compared or skipped with a reason', () => {
    expect(recordings.filter((r) => !(r in CASES) && !SKIPPED.has(r))).toEqual([]);
  });

  test.each(Object.keys(CASES))('%s', async (name) => {
    const recording = JSON.parse(readFileSync(join(RECORDINGS, `${name}.json`), 'utf8')) as Recording;
    const spec = CASES[name] ?? {};
    sim = await startMoodleSim({ seed: labSeed(), debug: spec.debug ?? false });
    await spec.setup?.(sim);
    const token = sim.token;
    const pairs = recording.request.form.map((field): [string, string] => {
      const eq = field.indexOf('=');
      const value = field
        .slice(eq + 1)
        .replace('<limited-token>', LIMITED_TOKEN)
        .replace('<token>', token);
      return [field.slice(0, eq), value];
    });
    const answer = await post(sim, encodePairs(pairs));

    expect(answer.status).toBe(recording.http_status);
    expect(answer.contentType).toBe(recording.content_type);
    const expected = relocate(recording.body, sim.url);
    if (typeof expected === 'string') {
      expect(maskXml(answer.text)).toBe(maskXml(expected));
      return;
    }
    const dataKeys = new Set([...ALWAYS_DATA, ...(spec.dataKeys ?? [])]);
    expect(differences(expected, JSON.parse(answer.text), dataKeys)).toEqual([]);
  });
});
