import { DEFAULT_MAX_INPUT_VARS, RECOMMENDED_MAX_INPUT_VARS } from './batch-sizes';
import type { LmsDiagnosis, LmsFeature, LmsFeatureStatus, LmsSiteInfo } from '../../contract';

interface FeatureNeed {
  feature: LmsFeature;
  label: string;
  /** Functions needed; the first alternative that the service fully allows is used. */
  alternatives: string[][];
}

/** Which web-service functions each feature needs, with fallbacks for older sites and Totara. */
export const FEATURE_NEEDS: readonly FeatureNeed[] = [
  { feature: 'site-info', label: 'Check the connection', alternatives: [['core_webservice_get_site_info']] },
  {
    feature: 'list-courses',
    label: 'Read the course list',
    alternatives: [['core_course_get_courses_by_field'], ['core_course_get_courses']],
  },
  { feature: 'create-courses', label: 'Create courses', alternatives: [['core_course_create_courses']] },
  { feature: 'update-courses', label: 'Update courses', alternatives: [['core_course_update_courses']] },
  { feature: 'categories', label: 'Read course categories', alternatives: [['core_course_get_categories']] },
  { feature: 'find-users', label: 'Find users', alternatives: [['core_user_get_users_by_field']] },
  { feature: 'create-users', label: 'Create users', alternatives: [['core_user_create_users']] },
  { feature: 'update-users', label: 'Update and suspend users', alternatives: [['core_user_update_users']] },
  { feature: 'enrol', label: 'Enrol', alternatives: [['enrol_manual_enrol_users']] },
  { feature: 'unenrol', label: 'Unenrol', alternatives: [['enrol_manual_unenrol_users']] },
  {
    feature: 'list-enrolled-users',
    label: 'Read course participants',
    alternatives: [['core_enrol_get_enrolled_users']],
  },
  {
    feature: 'groups',
    label: 'Create groups and add members',
    alternatives: [['core_group_create_groups', 'core_group_add_group_members', 'core_group_get_course_groups']],
  },
  { feature: 'gradebook', label: 'Read gradebooks (results)', alternatives: [['gradereport_user_get_grade_items']] },
  {
    feature: 'activity-completion',
    label: 'Read activity completion',
    alternatives: [['core_completion_get_activities_completion_status']],
  },
];

/** Every function ClassBridge may call: what an admin adds to the ClassBridge external service. */
export const ALL_FUNCTIONS = [...new Set(FEATURE_NEEDS.flatMap((n) => n.alternatives[0] ?? []))];

export function featureStatuses(functions: ReadonlySet<string>): LmsFeatureStatus[] {
  return FEATURE_NEEDS.map((need) => {
    const usable = need.alternatives.find((fns) => fns.every((f) => functions.has(f)));
    const preferred = need.alternatives[0] ?? [];
    const status: LmsFeatureStatus = {
      feature: need.feature,
      label: need.label,
      available: usable !== undefined,
      missingFunctions: usable ? [] : preferred.filter((f) => !functions.has(f)),
    };
    if (usable && usable !== preferred) status.via = usable.join(', ');
    return status;
  });
}

export function diagnose(site: LmsSiteInfo): LmsDiagnosis {
  const features = featureStatuses(new Set(site.functions));
  const missing = features.filter((f) => !f.available);
  const fixes = missing.map(
    (f) =>
      `${f.label} is not possible: the ClassBridge service on the ${site.family === 'totara' ? 'Totara' : 'Moodle'} site does not allow ` +
      `${f.missingFunctions.join(', ')}. Add ${f.missingFunctions.length > 1 ? 'them' : 'it'} under Site administration › Server › ` +
      `Web services › External services › (the ClassBridge service) › Functions.`,
  );
  const notes = [
    "Not every capability can be probed: the token's role also needs the view capability of every activity type in use (mod/assign:view, mod/quiz:view, …) — without them Moodle silently leaves those activities out of gradebooks — and report/progress:view for activity completion.",
    `Set PHP max_input_vars to ${RECOMMENDED_MAX_INPUT_VARS} or more on the LMS server; with the default ${DEFAULT_MAX_INPUT_VARS} ClassBridge sends smaller batches.`,
  ];
  if (site.family === 'totara') {
    notes.push(
      'Totara: ClassBridge uses the Moodle-compatible ("legacy") web services, available in Totara 9–17+. Tokens must be created by an administrator (Totara 10+ has no token endpoint). Totara 17+ also offers an external GraphQL API, which ClassBridge does not use yet.',
    );
  }
  return { site, features, ok: missing.length === 0, fixes, notes };
}
