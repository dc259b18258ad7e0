import type { OneRosterVersion } from './options';
import type { TableSpec } from './csv-table';

/**
 * Column names per file and version, from section E.1 (names [C] from the catalyst / oat-sa samples;
 * which are required is [I] from spec knowledge). status and dateLastModified are optional columns in a
 * bulk file and required in a delta file (E.1), which readRoster enforces.
 */
export type RosterFile =
  'orgs' | 'academicSessions' | 'courses' | 'classes' | 'users' | 'roles' | 'userProfiles' | 'enrollments';

const BASE = ['status', 'dateLastModified'];

const COMMON: Record<
  Exclude<RosterFile, 'users' | 'roles' | 'userProfiles'>,
  { required: string[]; optional: string[] }
> = {
  orgs: { required: ['sourcedId', 'name', 'type'], optional: [...BASE, 'identifier', 'parentSourcedId'] },
  academicSessions: {
    required: ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
    optional: [...BASE, 'parentSourcedId'],
  },
  courses: {
    required: ['sourcedId', 'title', 'orgSourcedId'],
    optional: [...BASE, 'schoolYearSourcedId', 'courseCode', 'grades', 'subjects', 'subjectCodes'],
  },
  classes: {
    required: ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds'],
    optional: [...BASE, 'grades', 'classCode', 'location', 'subjects', 'subjectCodes', 'periods'],
  },
  enrollments: {
    required: ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
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

const USERS: Record<OneRosterVersion, { required: string[]; optional: string[] }> = {
  '1.1': {
    required: ['sourcedId', 'enabledUser', 'orgSourcedIds', 'role', 'username', 'givenName', 'familyName'],
    optional: USER_OPTIONAL,
  },
  '1.2': {
    required: ['sourcedId', 'enabledUser', 'username', 'givenName', 'familyName'],
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

const ONLY_1_2 = {
  roles: {
    required: ['sourcedId', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'],
    optional: [...BASE, 'beginDate', 'endDate', 'userProfileSourcedId'],
  },
  userProfiles: {
    required: ['sourcedId', 'userSourcedId', 'profileType', 'vendorId', 'credentialType', 'username'],
    optional: [...BASE, 'applicationId', 'description', 'password'],
  },
};

export function fileName(file: RosterFile): string {
  return `${file}.csv`;
}

export function tableSpec(file: RosterFile, version: OneRosterVersion): TableSpec {
  const columns =
    file === 'users' ? USERS[version] : file === 'roles' || file === 'userProfiles' ? ONLY_1_2[file] : COMMON[file];
  return { file: fileName(file), required: columns.required, optional: columns.optional };
}

/** The files this adapter reads, in the order that lets every reference be checked as it streams past. */
export function readOrder(version: OneRosterVersion): RosterFile[] {
  const users: RosterFile[] = version === '1.2' ? ['users', 'roles', 'userProfiles'] : ['users'];
  return ['orgs', 'academicSessions', 'courses', 'classes', ...users, 'enrollments'];
}
