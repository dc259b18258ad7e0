/**
 * The web-service functions the simulator implements, in the order the lab site's service listed them in
 * core_webservice_get_site_info (ok_core_webservice_get_site_info), plus core_group_get_course_groups.
 */
export const SIMULATED_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_course_get_courses',
  'core_course_get_courses_by_field',
  'core_course_create_courses',
  'core_course_update_courses',
  'core_course_get_categories',
  'core_course_create_categories',
  'core_course_get_contents',
  'core_user_get_users_by_field',
  'core_user_create_users',
  'core_user_update_users',
  'enrol_manual_enrol_users',
  'enrol_manual_unenrol_users',
  'core_enrol_get_enrolled_users',
  'gradereport_user_get_grade_items',
  'core_completion_get_activities_completion_status',
  'core_group_create_groups',
  'core_group_add_group_members',
  'core_group_get_course_groups',
  // course/externallib.php duplicate_course (course-copy.ts)
  'core_course_duplicate_course',
  // enrol/externallib.php core_role_external (functions/role-assign.ts)
  'core_role_assign_roles',
  'core_role_unassign_roles',
  // cohort/externallib.php (functions/cohorts.ts)
  'core_cohort_create_cohorts',
  'core_cohort_get_cohorts',
  'core_cohort_add_cohort_members',
  'core_cohort_delete_cohort_members',
  'core_cohort_get_cohort_members',
] as const;

/**
 * Functions that exist on a real site but that the simulator does not implement: calling one that is in
 * no service gives accessexception, as on Moodle (err_function_not_in_service uses core_user_delete_users).
 */
export const KNOWN_UNIMPLEMENTED_FUNCTIONS = [
  'core_user_delete_users',
  'core_user_get_users',
  'core_course_delete_courses',
  'core_enrol_get_users_courses',
  'core_enrol_get_course_enrolment_methods',
  'core_completion_get_course_completion_status',
  'gradereport_user_get_grades_table',
  'core_group_delete_group_members',
] as const;
