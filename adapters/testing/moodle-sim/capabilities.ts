/**
 * Capabilities the simulated functions check, with the names Moodle puts in nopermissions messages
 * ("Sorry, but you do not currently have permissions to do that (Create users)."). Names marked in the
 * recordings are verbatim; the others come from Moodle's language strings as remembered.
 */
export const CAPABILITY_NAMES: Readonly<Record<string, string>> = {
  'webservice/rest:use': 'Use REST protocol',
  'moodle/course:view': 'View courses without participation',
  'moodle/course:viewhiddencourses': 'View hidden courses',
  'moodle/course:viewhiddenactivities': 'View hidden activities',
  'moodle/course:create': 'Create courses', // err_missing_capability_create_courses
  'moodle/course:update': 'Update course settings',
  'moodle/course:visibility': 'Hide/show courses',
  'moodle/course:changefullname': 'Change course full name',
  'moodle/course:changeshortname': 'Change course short name',
  'moodle/course:changeidnumber': 'Change course ID number',
  'moodle/course:changesummary': 'Change course summary',
  'moodle/course:changecategory': 'Change course category',
  'moodle/category:manage': 'Manage course categories',
  'moodle/category:viewhiddencategories': 'See hidden categories',
  'moodle/user:create': 'Create users', // err_missing_capability_create_users
  'moodle/user:update': 'Update user profiles',
  'moodle/user:viewdetails': 'View user profiles',
  'moodle/user:viewhiddendetails': 'View hidden details of users',
  'moodle/course:useremail': 'Enable/disable email address',
  'enrol/manual:enrol': 'Enrol users', // err_missing_capability_enrol
  'enrol/manual:unenrol': 'Unenrol users from the course',
  'moodle/role:assign': 'Assign roles to users',
  'moodle/role:review': 'Review permissions for others',
  'moodle/course:enrolreview': 'Review course enrolments',
  'moodle/course:viewparticipants': 'View participants',
  'moodle/course:viewsuspendedusers': 'View suspended users',
  'moodle/site:accessallgroups': 'Access all groups',
  'moodle/course:managegroups': 'Manage groups',
  // lang/en/role.php backup:backupcourse, backup:configure, restore:restorecourse (core_course_duplicate_course)
  'moodle/backup:backupcourse': 'Backup courses',
  'moodle/backup:configure': 'Configure backup options',
  'moodle/restore:restorecourse': 'Restore courses',
  // lang/en/role.php cohort:manage, cohort:assign, cohort:view
  'moodle/cohort:manage': 'Create, delete and move cohorts',
  'moodle/cohort:assign': 'Add and remove cohort members',
  'moodle/cohort:view': 'View site-wide cohorts',
  'gradereport/user:view': 'View user report', // err_missing_capability_grade_items
  'moodle/grade:viewall': 'View grades of other users',
  'moodle/grade:viewhidden': 'View hidden grades for owner',
  'report/progress:view': 'View activity completion reports', // err_undeclared_capability_report_progress_view
  'report/completion:view': 'View course completion report',
  'mod/assign:view': 'View assignment',
  'mod/quiz:view': 'View quiz information',
  'mod/page:view': 'View page content',
  'mod/forum:viewdiscussion': 'View discussions',
  'mod/resource:view': 'View file',
  'mod/url:view': 'View URL',
};

/**
 * Every capability above: what the connector's system role holds in the §7 checklist, plus the activity
 * view capabilities §9 found necessary. moodle/site:maintenanceaccess is deliberately not among them, so
 * maintenance mode blocks the connector as it would on a real site.
 */
export const ALL_CAPABILITIES: readonly string[] = Object.keys(CAPABILITY_NAMES);

/** The capability that lets the caller see an activity of this type (the quirk_no_mod_view_caps_* recordings). */
export function moduleViewCapability(modname: string): string {
  return modname === 'forum' ? 'mod/forum:viewdiscussion' : `mod/${modname}:view`;
}

export function capabilityName(capability: string): string {
  return CAPABILITY_NAMES[capability] ?? capability;
}
