import { SmsImportError, type SmsPerson } from '../../contract';
import { checkReference, noteReference, type ReadContext, type UserRecord } from './roster-data';
import { eachRow, type RowVisit } from './table-rows';
import { boolean, list, optionalName, required, requiredName, wanted } from './values';

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
  const intern = interner();
  const rows = await eachRow(ctx, 'users', (row) => {
    if (row.status === 'tobedeleted' && row.delta) {
      users.set(row.sourcedId, { status: row.status, person: deletedPerson(row.sourcedId) });
      return;
    }
    const person = personFrom(row, intern);
    const record: UserRecord = { status: row.status, person };
    // Parents and guardians (build-guardians.ts): the links, read on every user.
    const agents = list(row.row.get('agentSourcedIds') ?? '');
    if (agents.length > 0) record.agents = agents;
    if (v11) {
      record.oneRosterRole = intern(required(row, 'role'));
      // Orgs are not kept (ClassBridge serves one school per connection): a missing one is a warning.
      const orgs = list(wanted(row, 'orgSourcedIds'));
      for (const org of orgs) noteReference(ctx, row.file, row.row.line, 'orgSourcedIds', 'orgs', org);
    } else {
      const primaryOrg = row.row.get('primaryOrgSourcedId');
      if (primaryOrg) noteReference(ctx, row.file, row.row.line, 'primaryOrgSourcedId', 'orgs', primaryOrg);
    }
    users.set(row.sourcedId, record);
  });
  if (rows === 0 && ctx.data.modes.get('users') === 'bulk') {
    throw new SmsImportError('empty', 'users.csv has no users', { file: 'users.csv', expected: 'at least one user' });
  }
}

/**
 * Columns whose values repeat across a school (a year level, the school's org id, a role): 200,000
 * people share one string per value instead of each keeping its own copy.
 */
const REPEATING = new Set(['grades', 'orgSourcedIds', 'primaryOrgSourcedId', 'pronouns']);
const MAX_INTERNED = 10_000;

function interner(): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    const found = known.get(value);
    if (found !== undefined) return found;
    if (known.size < MAX_INTERNED) known.set(value, value);
    return value;
  };
}

function personFrom(row: RowVisit, intern: (value: string) => string): SmsPerson {
  const enabled = boolean(row, 'enabledUser');
  const extra: Record<string, string> = {};
  for (const column of EXTRA_COLUMNS) {
    const value = row.row.get(column);
    if (value) extra[column] = REPEATING.has(column) ? intern(value) : value;
  }
  for (const [name, value] of row.row.extensions()) extra[name] = value;
  const email = optionalName(row, 'email');
  const person: SmsPerson = {
    smsId: row.sourcedId,
    role: 'student',
    givenName: requiredName(row, 'givenName'),
    familyName: requiredName(row, 'familyName'),
    username: requiredName(row, 'username'),
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
  const intern = interner();
  const shared = new Map<string, { role: string; primary: boolean }>();
  await eachRow(ctx, 'roles', (row) => {
    if (row.status === 'tobedeleted') return;
    const line = row.row.line;
    const userSourcedId = required(row, 'userSourcedId');
    checkReference(ctx, row.file, line, 'userSourcedId', 'users', userSourcedId);
    const org = wanted(row, 'orgSourcedId');
    if (org) noteReference(ctx, row.file, line, 'orgSourcedId', 'orgs', org);
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
    const role = intern(required(row, 'role'));
    const primary = roleType === 'primary';
    const current = roles.get(userSourcedId);
    if (current && (!primary || current.primary)) return;
    // Keyed by the users map's own id string, and one shared { role, primary } per pair: 200,000 rows
    // then add no strings or objects of their own.
    const id = ctx.data.users?.get(userSourcedId)?.person.smsId ?? userSourcedId;
    const pair = `${primary ? 'p' : 's'}${role}`;
    let value = shared.get(pair);
    if (!value) shared.set(pair, (value = { role, primary }));
    roles.set(id, value);
  });
}

/**
 * 1.2 userProfiles.csv: not kept (LMS logins are ClassBridge's own), so only its ids must be sound; an
 * empty field or a user that is not there is a warning.
 */
export async function readUserProfiles(ctx: ReadContext): Promise<void> {
  await eachRow(ctx, 'userProfiles', (row) => {
    if (row.status === 'tobedeleted') return;
    const user = wanted(row, 'userSourcedId');
    if (user) noteReference(ctx, row.file, row.row.line, 'userSourcedId', 'users', user);
    for (const field of ['profileType', 'vendorId', 'credentialType', 'username']) wanted(row, field);
  });
}
