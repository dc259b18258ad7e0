import type { OneRosterVersion } from './options';
import type { TableSpec } from './csv-table';

/**
 * Column names per file and version, from section E.1 (names [C] from the catalyst / oat-sa samples;
 * which are required is [I] from spec knowledge). status and dateLastModified are optional columns in a
 * bulk file; a delta file needs status (E.1), which readRoster enforces.
 *
 * `required` are the columns ClassBridge needs (ids, references it resolves, names, roles, the dates it
 * uses): missing from a file with rows → refused. `expected` are columns E.1 requires but ClassBridge does
 * not use (org names and types, session titles and school years, class types, org and term references):
 * missing → a warning, so a real export is not refused for what would be thrown away.
 */
export type RosterFile =
  'orgs' | 'academicSessions' | 'courses' | 'classes' | 'users' | 'roles' | 'userProfiles' | 'enrollments';

const BASE = ['status', 'dateLastModified'];

interface Columns {
  required: string[];
  expected: string[];
  optional: string[];
}

const COMMON: Record<Exclude<RosterFile, 'users' | 'roles' | 'userProfiles'>, Columns> = {
  orgs: { required: ['sourcedId'], expected: ['name', 'type'], optional: [...BASE, 'identifier', 'parentSourcedId'] },
  academicSessions: {
    required: ['sourcedId', 'startDate', 'endDate'],
    expected: ['title', 'type', 'schoolYear'],
    optional: [...BASE, 'parentSourcedId'],
  },
  courses: {
    required: ['sourcedId', 'title'],
    expected: ['orgSourcedId'],
    optional: [...BASE, 'schoolYearSourcedId', 'courseCode', 'grades', 'subjects', 'subjectCodes'],
  },
  classes: {
    required: ['sourcedId', 'title', 'courseSourcedId'],
    expected: ['classType', 'schoolSourcedId', 'termSourcedIds'],
    optional: [...BASE, 'grades', 'classCode', 'location', 'subjects', 'subjectCodes', 'periods'],
  },
  enrollments: {
    required: ['sourcedId', 'classSourcedId', 'userSourcedId', 'role'],
    expected: ['schoolSourcedId'],
    optional: [...BASE, 'primary', 'beginDate', 'endDate'],
  },
};

const USER_OPTIONAL = [
  ...BASE,
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
  'userIds',
];

const USERS: Record<OneRosterVersion, Columns> = {
  '1.1': {
    required: ['sourcedId', 'enabledUser', 'role', 'username', 'givenName', 'familyName'],
    expected: ['orgSourcedIds'],
    optional: USER_OPTIONAL,
  },
  '1.2': {
    required: ['sourcedId', 'enabledUser', 'username', 'givenName', 'familyName'],
    expected: [],
    optional: [
      ...USER_OPTIONAL,
      'userMasterIdentifier',
      'preferredGivenName',
      'preferredMiddleName',
      'preferredFamilyName',
      'primaryOrgSourcedId',
      'pronouns',
    ],
  },
};

const ONLY_1_2: Record<'roles' | 'userProfiles', Columns> = {
  roles: {
    required: ['sourcedId', 'userSourcedId', 'roleType', 'role'],
    expected: ['orgSourcedId'],
    optional: [...BASE, 'beginDate', 'endDate', 'userProfileSourcedId'],
  },
  // Not kept at all (LMS logins are ClassBridge's): only the ids are checked.
  userProfiles: {
    required: ['sourcedId'],
    expected: ['userSourcedId', 'profileType', 'vendorId', 'credentialType', 'username'],
    optional: [...BASE, 'applicationId', 'description', 'password'],
  },
};

export function fileName(file: RosterFile): string {
  return `${file}.csv`;
}

export function tableSpec(file: RosterFile, version: OneRosterVersion): TableSpec {
  const columns =
    file === 'users' ? USERS[version] : file === 'roles' || file === 'userProfiles' ? ONLY_1_2[file] : COMMON[file];
  return { file: fileName(file), required: columns.required, expected: columns.expected, optional: columns.optional };
}

/** The files this adapter reads, in the order that lets every reference be checked as it streams past. */
export function readOrder(version: OneRosterVersion): RosterFile[] {
  const users: RosterFile[] = version === '1.2' ? ['users', 'roles', 'userProfiles'] : ['users'];
  return ['orgs', 'academicSessions', 'courses', 'classes', ...users, 'enrollments'];
}
