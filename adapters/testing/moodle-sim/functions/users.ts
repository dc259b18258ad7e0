/** User functions (user/externallib.php): get_users_by_field, create_users, update_users. */
import { invalidParameter, MoodleException, moodleException } from '../errors';
import { multiple, optional, single, value, withDefault, INSTALLED_THEMES, type Validated } from '../param-validation';
import { takeId, type SimState, type SimUser } from '../state';
import { asInt, asList, asString, can, records, requireCapability, type FunctionDefinition } from './call-context';
import { passwordPolicyError } from './password-policy';
import { userRecord } from './user-details';
import { seedUser } from '../seed';

/** Auth plugins the simulator knows and whether each keeps passwords (is_internal). */
const AUTH_PLUGINS: Record<string, { internal: boolean }> = {
  manual: { internal: true },
  email: { internal: true },
  nologin: { internal: true },
  none: { internal: true },
  ldap: { internal: false },
  db: { internal: false },
  cas: { internal: false },
  oauth2: { internal: false },
  saml2: { internal: false },
  shibboleth: { internal: false },
  lti: { internal: false },
  mnet: { internal: false },
  webservice: { internal: true },
};

/** Moodle 5.1's core auth plugins (auth/ in a standard install); saml2 is an add-on (auth_saml2). */
export const DEFAULT_AUTH_PLUGINS: readonly string[] = [
  'cas',
  'db',
  'email',
  'ldap',
  'lti',
  'manual',
  'mnet',
  'nologin',
  'none',
  'oauth2',
  'shibboleth',
  'webservice',
];

/**
 * create_users: `auth` must be an installed plugin, minus mnet (it would need an mnethostid) and
 * webservice, which the function unsets from the list before checking (reference §3.2).
 */
function creatableAuth(state: SimState, auth: string): { internal: boolean } | undefined {
  if (auth === 'mnet' || auth === 'webservice') return undefined;
  if (!(state.site.authPlugins ?? DEFAULT_AUTH_PLUGINS).includes(auth)) return undefined;
  return AUTH_PLUGINS[auth] ?? { internal: false };
}

/**
 * customfields[j]{type=<shortname>, value} as create_users / update_users save them: each becomes
 * profile_field_<type> on the user and profile_save_data() saves the site's defined fields only, so a
 * shortname the site does not have is dropped without an error or warning. (The reference is silent
 * on unknown shortnames; this follows Moodle's code path, user/externallib.php + user/profile/lib.php.)
 */
function saveCustomFields(state: SimState, user: SimUser, input: Record<string, Validated>): void {
  if (input.customfields === undefined) return;
  const defined = new Set((state.site.profileFields ?? []).map((f) => f.shortname));
  for (const field of records(input.customfields)) {
    const type = asString(field.type);
    if (!defined.has(type)) continue;
    user.customfields = { ...user.customfields, [type]: asString(field.value) };
  }
}

/** validate_email(), close enough: local part, @, a dotted domain. */
export const isValidEmail = (email: string): boolean =>
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]{2,}$/.test(email);

function emailTaken(state: SimState, email: string, exceptId: number): boolean {
  // Moodle compares case-insensitively (sql_equal(..., false)).
  const wanted = email.toLowerCase();
  return [...state.users.values()].some((u) => u.id !== exceptId && !u.deleted && u.email.toLowerCase() === wanted);
}

export const getUsersByField: FunctionDefinition = {
  name: 'core_user_get_users_by_field',
  params: single({ field: value('alpha'), values: multiple(value('raw')) }),
  mainArray: 'values',
  transaction: 'read',
  run(params, ctx) {
    const field = asString(params.field);
    if (!['id', 'idnumber', 'username', 'email'].includes(field)) {
      throw invalidParameter(`The search field '${field}' is not supported, look at the web service documentation`);
    }
    const wanted = new Set(asList(params.values).map((v) => asString(v)));
    // Values that match nobody are left out, not reported (ok_core_user_get_users_by_field).
    const found = [...ctx.state.users.values()]
      .filter(
        (u) =>
          !u.deleted &&
          wanted.has(field === 'id' ? String(u.id) : String(u[field as 'idnumber' | 'username' | 'email'])),
      )
      .sort((a, b) => a.id - b.id);
    if (!can(ctx, 'moodle/user:viewdetails')) return [];
    return found.map((u) => userRecord(ctx, u));
  },
};

/** Profile fields shared by create_users and update_users. */
const profileParams = {
  maildisplay: optional(value('int')),
  city: optional(value('notags')),
  country: optional(value('alpha')),
  timezone: optional(value('timezone')),
  description: optional(value('raw')),
  firstnamephonetic: optional(value('notags')),
  lastnamephonetic: optional(value('notags')),
  middlename: optional(value('notags')),
  alternatename: optional(value('notags')),
  interests: optional(value('text')),
  institution: optional(value('text')),
  department: optional(value('text')),
  phone1: optional(value('notags')),
  phone2: optional(value('notags')),
  address: optional(value('text')),
};
const extraParams = {
  calendartype: optional(value('plugin')),
  theme: optional(value('plugin')),
  mailformat: optional(value('int')),
  customfields: optional(multiple(single({ type: value('alphanumext'), value: value('raw') }))),
  preferences: optional(multiple(single({ type: value('raw'), value: value('raw') }))),
};

const STRING_FIELDS = [
  'username',
  'firstname',
  'lastname',
  'email',
  'idnumber',
  'auth',
  'city',
  'country',
  'timezone',
  'description',
  'interests',
  'institution',
  'department',
  'phone1',
  'phone2',
  'address',
  'lang',
  'calendartype',
  'theme',
] as const;

function applyUserFields(user: SimUser, input: Record<string, Validated>): void {
  for (const key of STRING_FIELDS) if (input[key] !== undefined) user[key] = asString(input[key]);
  if (input.mailformat !== undefined) user.mailformat = asInt(input.mailformat);
  if (input.maildisplay !== undefined) user.maildisplay = asInt(input.maildisplay);
  if (input.suspended !== undefined) user.suspended = input.suspended === true;
  if (input.password !== undefined) user.password = asString(input.password);
}

export const createUsers: FunctionDefinition = {
  name: 'core_user_create_users',
  params: single({
    users: multiple(
      single({
        createpassword: optional(value('bool')),
        username: value('username'),
        auth: withDefault(value('plugin'), 'manual'),
        password: optional(value('raw')),
        firstname: value('notags'),
        lastname: value('notags'),
        email: value('raw_trimmed'),
        ...profileParams,
        idnumber: withDefault(value('raw'), ''),
        lang: withDefault(value('lang'), 'en'),
        ...extraParams,
      }),
    ),
  }),
  mainArray: 'users',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    requireCapability(ctx, 'moodle/user:create');
    const state = ctx.state;
    const created = [];
    // Taken usernames (deleted users included) and emails (deleted users excluded), once per call.
    const usernames = new Set([...state.users.values()].map((u) => u.username));
    const emails = new Set([...state.users.values()].filter((u) => !u.deleted).map((u) => u.email.toLowerCase()));
    // Checks in the order create_users makes them; the first failure aborts the whole batch.
    for (const input of records(params.users)) {
      for (const field of ['username', 'firstname', 'lastname'] as const) {
        if (asString(input[field]).trim() === '') throw invalidParameter(`The field ${field} cannot be blank`);
      }
      const username = asString(input.username);
      if (usernames.has(username)) throw invalidParameter(`Username already exists: ${username}`);
      const auth = asString(input.auth);
      const plugin = creatableAuth(state, auth);
      if (!plugin) throw invalidParameter(`Invalid authentication type: ${auth}`);
      if (input.theme !== undefined && asString(input.theme) !== '' && !INSTALLED_THEMES.has(asString(input.theme))) {
        throw invalidParameter(`Invalid theme: ${asString(input.theme)}`);
      }
      const createPassword = input.createpassword === true;
      if (plugin.internal && !createPassword && input.password === undefined) {
        throw invalidParameter('Invalid password: you must provide a password, or set createpassword.');
      }
      const email = asString(input.email);
      if (!isValidEmail(email)) throw invalidParameter(`Email address is invalid: ${email}`);
      // Moodle compares case-insensitively (sql_equal(..., false)).
      if (!state.site.allowAccountsSameEmail && emails.has(email.toLowerCase()))
        throw invalidParameter(`Email address already exists: ${email}`);
      // user_create_user() checks the policy only for a password that was sent to an internal auth.
      if (plugin.internal && !createPassword) {
        const policy = passwordPolicyError(asString(input.password));
        if (policy) throw policy;
      }

      const id = takeId(state, 'user');
      // A new account has the same defaults as a seeded one; only its own values and times differ.
      const user: SimUser = seedUser({
        id,
        username,
        firstname: '',
        lastname: '',
        email,
        auth,
        password: plugin.internal ? (createPassword ? '(generated and emailed)' : '') : 'not cached',
        timecreated: ctx.now,
        timemodified: ctx.now,
        privateAccessKey: `${id.toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
      });
      const { password, ...rest } = input;
      applyUserFields(user, rest);
      saveCustomFields(state, user, rest);
      if (plugin.internal && !createPassword) user.password = asString(password);
      state.users.set(id, user);
      usernames.add(user.username);
      emails.add(user.email.toLowerCase());
      created.push({ id, username });
    }
    return created;
  },
};

export const updateUsers: FunctionDefinition = {
  name: 'core_user_update_users',
  params: single({
    users: multiple(
      single({
        id: value('int'),
        username: optional(value('username')),
        auth: optional(value('plugin')),
        suspended: optional(value('bool')),
        password: optional(value('raw')),
        firstname: optional(value('notags')),
        lastname: optional(value('notags')),
        email: optional(value('raw_trimmed')),
        ...profileParams,
        userpicture: optional(value('int')),
        idnumber: optional(value('raw')),
        lang: optional(value('lang')),
        ...extraParams,
      }),
    ),
  }),
  mainArray: 'users',
  transaction: 'per-item',
  run(params, ctx) {
    requireCapability(ctx, 'moodle/user:update');
    const state = ctx.state;
    const warnings = [];
    // Moodle 4.x+ (MDL-69194): one transaction per user; a failure becomes a warning (batch_update_users_*).
    for (const input of records(params.users)) {
      const id = asInt(input.id);
      try {
        const existing = state.users.get(id);
        if (!existing) throw moodleException('invaliduserid', 'Invalid user ID');
        if (existing.id !== ctx.caller.id && existing.siteAdmin && !ctx.caller.siteAdmin) {
          throw moodleException('useradminodelete', 'You can not update an admin account');
        }
        if (existing.deleted) throw moodleException('usernotexists', 'User does not exist');
        if (existing.username === 'guest')
          throw moodleException('guestnoeditprofileother', 'The guest user profile cannot be edited.');
        const email = input.email === undefined ? undefined : asString(input.email);
        if (email !== undefined && email !== existing.email) {
          if (!isValidEmail(email)) throw moodleException('useremailinvalid', 'Invalid email address');
          if (!state.site.allowAccountsSameEmail && emailTaken(state, email, id)) {
            throw moodleException('useremailduplicate', 'Duplicate address');
          }
        }
        const username = input.username === undefined ? undefined : asString(input.username);
        if (username !== undefined && [...state.users.values()].some((u) => u.id !== id && u.username === username)) {
          // The unique index on (mnethostid, username) refuses the write (batch_update_users_one_duplicate_username).
          throw new MoodleException(
            'dml_write_exception',
            'dmlwriteexception',
            'Error writing to database',
            'ERROR:  duplicate key value violates unique constraint "mdl_user_mneuse_uix"',
          );
        }
        if (input.password !== undefined && AUTH_PLUGINS[asString(input.auth ?? existing.auth)]?.internal) {
          const policy = passwordPolicyError(asString(input.password));
          if (policy) throw policy;
        }
        applyUserFields(existing, input);
        saveCustomFields(state, existing, input);
        existing.timemodified = ctx.now;
      } catch (e) {
        if (!(e instanceof MoodleException)) throw e;
        warnings.push({
          item: 'user',
          itemid: id,
          warningcode: e.errorcodeFor(ctx.site.debug),
          message: e.messageFor(ctx.site.debug),
        });
      }
    }
    return { warnings };
  },
};
