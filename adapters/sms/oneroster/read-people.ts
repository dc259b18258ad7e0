import { SmsImportError, type SmsPerson } from '../../contract';
import { checkReference, type ReadContext, type UserRecord } from './roster-data';
import { eachRow, type RowVisit } from './table-rows';
import { boolean, list, required } from './values';

/**
 * users.csv (1.1 and 1.2) and, for 1.2, roles.csv and userProfiles.csv (E.1). Names, username, email and
 * the identifiers an LMS can use are kept; password, phone and sms are not. `ext_*` / `metadata.*` columns
 * go to SmsPerson.extra under their own names.
 */
const EXTRA_COLUMNS = [
  'identifier',
  'middleName',
  'preferredGivenName',
  'preferredMiddleName',
  'preferredFamilyName',
  'userMasterIdentifier',
  'grades',
  'userIds',
  'orgSourcedIds',
  'primaryOrgSourcedId',
  'pronouns',
];

export async function readUsers(ctx: ReadContext): Promise<void> {
  const users = new Map<string, UserRecord>();
  ctx.data.users = users;
  const v11 = ctx.data.version === '1.1';
  const rows = await eachRow(ctx, 'users', (row) => {
    if (row.status === 'tobedeleted' && row.delta) {
      users.set(row.sourcedId, { status: row.status, person: deletedPerson(row.sourcedId) });
      return;
    }
    const person = personFrom(row);
    const record: UserRecord = { status: row.status, person };
    if (v11) {
      record.oneRosterRole = required(row, 'role');
      const orgs = list(required(row, 'orgSourcedIds'));
      for (const org of orgs) checkReference(ctx, row.file, row.row.line, 'orgSourcedIds', 'orgs', org);
    } else {
      const primaryOrg = row.row.get('primaryOrgSourcedId');
      if (primaryOrg) checkReference(ctx, row.file, row.row.line, 'primaryOrgSourcedId', 'orgs', primaryOrg);
    }
    users.set(row.sourcedId, record);
  });
  if (rows === 0 && ctx.data.modes.get('users') === 'bulk') {
    throw new SmsImportError('empty', 'users.csv has no users', { file: 'users.csv', expected: 'at least one user' });
  }
}

function personFrom(row: RowVisit): SmsPerson {
  const enabled = boolean(row, 'enabledUser');
  const extra: Record<string, string> = {};
  for (const column of EXTRA_COLUMNS) {
    const value = row.row.get(column);
    if (value) extra[column] = value;
  }
  for (const [name, value] of row.row.extensions()) extra[name] = value;
  const email = row.row.get('email');
  const person: SmsPerson = {
    smsId: row.sourcedId,
    role: 'student',
    givenName: required(row, 'givenName'),
    familyName: required(row, 'familyName'),
    username: required(row, 'username'),
    active: enabled && row.status === 'active',
    extra,
  };
  if (email) person.email = email;
  return person;
}

function deletedPerson(smsId: string): SmsPerson {
  return { smsId, role: 'student', givenName: '', familyName: '', active: false };
}

/** 1.2 roles.csv: a person's role is their primary role, or their first secondary one when none is primary. */
export async function readRoles(ctx: ReadContext): Promise<void> {
  const roles = new Map<string, { role: string; primary: boolean }>();
  ctx.data.roles = roles;
  await eachRow(ctx, 'roles', (row) => {
    if (row.status === 'tobedeleted') return;
    const line = row.row.line;
    const userSourcedId = required(row, 'userSourcedId');
    checkReference(ctx, row.file, line, 'userSourcedId', 'users', userSourcedId);
    checkReference(ctx, row.file, line, 'orgSourcedId', 'orgs', required(row, 'orgSourcedId'));
    const roleType = required(row, 'roleType').toLowerCase();
    if (roleType !== 'primary' && roleType !== 'secondary') {
      throw new SmsImportError('format', 'bad roleType', {
        file: row.file,
        line,
        field: 'roleType',
        expected: 'primary or secondary',
        found: roleType,
      });
    }
    const role = required(row, 'role');
    const primary = roleType === 'primary';
    const current = roles.get(userSourcedId);
    if (!current || (primary && !current.primary)) roles.set(userSourcedId, { role, primary });
  });
}

/** 1.2 userProfiles.csv: checked (ids unique, users exist) but not kept — LMS logins are ClassBridge's own. */
export async function readUserProfiles(ctx: ReadContext): Promise<void> {
  await eachRow(ctx, 'userProfiles', (row) => {
    if (row.status === 'tobedeleted') return;
    checkReference(ctx, row.file, row.row.line, 'userSourcedId', 'users', required(row, 'userSourcedId'));
    for (const field of ['profileType', 'vendorId', 'credentialType', 'username']) required(row, field);
  });
}
