import {
  LmsError,
  type LmsAdapter,
  type LmsCourseRecord,
  type LmsGroupRecord,
  type LmsUser,
  type LmsUserUpdate,
  type NewLmsCourse,
  type NewLmsGroup,
  type NewLmsUser,
} from '../../../../adapters/contract';
import { checkUsername, MAX_USERNAME_LENGTH, type AppliedPerson } from '../plan';

/**
 * Look up before create: a record a create is about to make may already be in the LMS (an earlier
 * apply created it and stopped before journalling the id, or an admin made it by hand). Linking it
 * instead of creating it is what makes a resumed apply free of duplicates.
 */
export type Existing<T> = { found: T } | { conflict: LmsError };

/** Why an LMS account is never linked or changed (see protectedReason). */
export type ProtectedReason = 'web-service-user' | 'site-admin' | 'other-auth';

/**
 * An existing user, or the account ClassBridge found but may not take over on its own: the admin
 * decides (Link / Create with another username / Skip). `linkable` is false for protected accounts.
 */
export type ExistingUser =
  | { found: LmsUser }
  | { conflict: LmsError }
  | { undecided: LmsUser; reason: 'no-idnumber' | ProtectedReason; linkable: boolean };

/** What decides whether a found account may be taken over. */
export interface AdoptionRules {
  /** The connection's linkExistingAccounts: an empty-idnumber username match with the same email is linked. */
  linkExisting: boolean;
  /** Why this account is never adopted or changed; undefined when it may be. */
  protectedReason(user: LmsUser, wanted: NewLmsUser): Promise<ProtectedReason | undefined>;
}

/** An LMS user that takes the planned username but belongs to someone else (another idnumber). */
function usernameTaken(wanted: NewLmsUser, user: LmsUser): LmsError {
  return new LmsError(
    'conflict',
    `The username "${wanted.username}" is already used by another LMS user (id ${user.id}, idnumber "${user.idnumber}").`,
    {
      operation: 'core_user_create_users',
      fix: 'Change the username in the SMS, or free it in the LMS, then run the upload again.',
    },
  );
}

/** Moodle refuses a second account with an email another account has (allowaccountssameemail off, the default). */
function emailTaken(wanted: NewLmsUser, user: LmsUser): LmsError {
  return new LmsError(
    'conflict',
    `The email address "${wanted.email}" is already used by another LMS account (${user.username}, id ${user.id}, ${`${user.firstname} ${user.lastname}`.trim()}), so the LMS would refuse to create ${wanted.username}.`,
    {
      operation: 'core_user_create_users',
      fix: `Give this person their own email address in the SMS, or change the email of LMS account ${user.username}, then run the upload again. (A Moodle site that allows accounts with the same email — allowaccountssameemail — would accept it, but ClassBridge cannot see that setting.)`,
    },
  );
}

const sameEmail = (a: string, b: string): boolean => a !== '' && a.toLowerCase() === b.toLowerCase();

/**
 * Existing LMS users for users about to be created, by the id an interrupted apply recorded, then by
 * idnumber, then by username; and emails other accounts already use (a per-record error found here,
 * rather than a refused batch). A found account is taken over only when it is safe:
 * - the id an interrupted apply journalled is ClassBridge's own create: linked;
 * - the same idnumber: linked, unless the account is protected (the web-service user, an admin, another
 *   auth method), which is left for the admin, not linkable;
 * - the same username and no idnumber: linked only with linkExistingAccounts and the same email (and
 *   not protected); otherwise left for the admin (a hand-made staff account `jsmith` is not student `jsmith`);
 * - the same username and another idnumber: a conflict.
 */
export async function findExistingUsers(
  adapter: LmsAdapter,
  users: readonly { key: string; record: NewLmsUser; candidate: number | undefined }[],
  rules: AdoptionRules,
): Promise<Map<string, ExistingUser>> {
  const out = new Map<string, ExistingUser>();
  const open = () => users.filter((u) => !out.has(u.key));

  const candidates = open().filter((u) => u.candidate !== undefined);
  if (candidates.length > 0) {
    const byId = new Map(
      (
        await adapter.findUsers(
          'id',
          candidates.map((u) => u.candidate!),
        )
      ).map((u) => [u.id, u]),
    );
    for (const u of candidates) {
      const found = byId.get(u.candidate!);
      // Journalled by ClassBridge's own create; still checked, so an id reused by another idnumber is not taken.
      if (found && (found.idnumber === '' || found.idnumber === u.record.idnumber)) out.set(u.key, { found });
    }
  }
  // Both look-ups at once (a round trip less per batch); the idnumber match still wins over the username's.
  const withIdnumber = open().filter((u) => u.record.idnumber !== '');
  const byUsernameWanted = open();
  const [foundByIdnumber, foundByUsername] = await Promise.all([
    withIdnumber.length > 0
      ? adapter.findUsers(
          'idnumber',
          withIdnumber.map((u) => u.record.idnumber),
        )
      : [],
    byUsernameWanted.length > 0
      ? adapter.findUsers(
          'username',
          byUsernameWanted.map((u) => u.record.username),
        )
      : [],
  ]);
  const judge = async (u: (typeof users)[number], match: LmsUser, sameIdnumber: boolean): Promise<ExistingUser> => {
    const reason = await rules.protectedReason(match, u.record);
    if (reason) return { undecided: match, reason, linkable: false };
    if (sameIdnumber) return { found: match };
    if (rules.linkExisting && sameEmail(u.record.email, match.email)) return { found: match };
    return { undecided: match, reason: 'no-idnumber', linkable: true };
  };
  const byIdnumber = new Map(foundByIdnumber.map((u) => [u.idnumber, u]));
  for (const u of withIdnumber) {
    const match = byIdnumber.get(u.record.idnumber);
    if (match) out.set(u.key, await judge(u, match, true));
  }
  const byUsername = new Map(foundByUsername.map((u) => [u.username, u]));
  for (const u of open()) {
    const match = byUsername.get(u.record.username);
    if (!match) continue;
    if (match.idnumber !== '' && match.idnumber !== u.record.idnumber)
      out.set(u.key, { conflict: usernameTaken(u.record, match) });
    else out.set(u.key, await judge(u, match, match.idnumber !== ''));
  }
  // Left to create: an email another account holds would make the LMS refuse the whole batch. Asked
  // after the others, for only these: one more round trip per batch, which the pipelined batches hide.
  // Moodle finds emails as stored (case-sensitive on PostgreSQL), so the person's and its lower case are asked.
  const emails = [
    ...new Set(open().flatMap((u) => (u.record.email === '' ? [] : [u.record.email, u.record.email.toLowerCase()]))),
  ];
  const foundByEmail = emails.length > 0 ? await adapter.findUsers('email', emails) : [];
  for (const u of open()) {
    const holder = foundByEmail.find((e) => sameEmail(u.record.email, e.email));
    if (holder) out.set(u.key, { conflict: emailTaken(u.record, holder) });
  }
  return out;
}

/**
 * The username rule's next free name for each person whose username an account they may not take
 * holds: the username with 2, 3, … appended (jsmith2; after a "-" when it ends in a digit, so
 * jsmith1 gives jsmith1-2, not jsmith12), cut to fit Moodle's 100 characters: the first no LMS account
 * has and no other person in `avoid` is given. One look-up per ten tries for all of them.
 */
export async function nextFreeUsernames(
  adapter: LmsAdapter,
  usernames: readonly string[],
  avoid: ReadonlySet<string> = new Set(),
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const given = new Set(avoid);
  for (let start = 2; start < 102 && out.size < new Set(usernames).size; start += 10) {
    const tries = new Map<string, string[]>();
    for (const username of usernames) {
      if (out.has(username) || tries.has(username)) continue;
      const names: string[] = [];
      for (let n = start; n < start + 10; n++) {
        const suffix = /\d$/.test(username) ? `-${n}` : String(n);
        const check = checkUsername(`${username.slice(0, MAX_USERNAME_LENGTH - suffix.length)}${suffix}`);
        if (check.ok) names.push(check.username);
      }
      tries.set(username, names);
    }
    const all = [...new Set([...tries.values()].flat())];
    if (all.length === 0) break;
    const used = new Set((await adapter.findUsers('username', all)).map((u) => u.username));
    for (const [username, names] of tries) {
      const free = names.find((n) => !used.has(n) && !given.has(n));
      if (free === undefined) continue;
      out.set(username, free);
      given.add(free);
    }
  }
  return out;
}

/** The update that brings a found LMS user in line with what the plan would have created; undefined when none. */
export function userCorrection(user: LmsUser, wanted: AppliedPerson): LmsUserUpdate | undefined {
  const update: LmsUserUpdate = { id: user.id };
  let changed = false;
  for (const field of ['username', 'firstname', 'lastname', 'email', 'idnumber'] as const) {
    if (user[field] !== wanted[field]) {
      update[field] = wanted[field];
      changed = true;
    }
  }
  if (user.suspended !== wanted.suspended) {
    update.suspended = wanted.suspended;
    changed = true;
  }
  // The mapped profile fields are not in the looked-up account (LmsUser), so they are sent: the applied
  // state records them as sent. Never `auth`: an adopted account keeps its own sign-in method.
  if (wanted.profile && Object.keys(wanted.profile).length > 0) {
    update.profileFields = wanted.profile;
    changed = true;
  }
  return changed ? update : undefined;
}

/** Existing LMS courses for courses about to be created: by recorded id, idnumber, then shortname. */
export async function findExistingCourses(
  adapter: LmsAdapter,
  courses: readonly { key: string; record: NewLmsCourse; candidate: number | undefined }[],
): Promise<Map<string, Existing<LmsCourseRecord>>> {
  const out = new Map<string, Existing<LmsCourseRecord>>();
  const open = () => courses.filter((c) => !out.has(c.key));

  const candidates = open().filter((c) => c.candidate !== undefined);
  if (candidates.length > 0) {
    const byId = new Map(
      (
        await adapter.findCourses(
          'id',
          candidates.map((c) => c.candidate!),
        )
      ).map((c) => [c.id, c]),
    );
    for (const c of candidates) {
      const found = byId.get(c.candidate!);
      if (found) out.set(c.key, { found });
    }
  }
  const withIdnumber = open().filter((c) => (c.record.idnumber ?? '') !== '');
  if (withIdnumber.length > 0) {
    const found = await adapter.findCourses(
      'idnumber',
      withIdnumber.map((c) => c.record.idnumber!),
    );
    const byIdnumber = new Map(found.map((c) => [c.idnumber, c]));
    for (const c of withIdnumber) {
      const match = byIdnumber.get(c.record.idnumber!);
      if (match) out.set(c.key, { found: match });
    }
  }
  const rest = open();
  if (rest.length > 0) {
    const found = await adapter.findCourses(
      'shortname',
      rest.map((c) => c.record.shortname),
    );
    const byShortname = new Map(found.map((c) => [c.shortname, c]));
    for (const c of rest) {
      const match = byShortname.get(c.record.shortname);
      if (!match) continue;
      const sameCourse = match.idnumber === '' || match.idnumber === (c.record.idnumber ?? '');
      out.set(
        c.key,
        sameCourse
          ? { found: match }
          : {
              conflict: new LmsError(
                'conflict',
                `The short name "${c.record.shortname}" is already used by LMS course ${match.id} (idnumber "${match.idnumber}").`,
                {
                  operation: 'core_course_create_courses',
                  fix: 'Rename one of the courses, or mark the existing LMS course Open so ClassBridge uses it, then run the upload again.',
                },
              ),
            },
      );
    }
  }
  return out;
}

/** The Moodle adapter can list a course's groups; the contract does not require it. */
interface GroupLister {
  listGroups(courseId: number): Promise<LmsGroupRecord[]>;
}

export function canListGroups(adapter: LmsAdapter): adapter is LmsAdapter & GroupLister {
  return typeof (adapter as Partial<GroupLister>).listGroups === 'function';
}

/**
 * Existing groups for groups about to be created, matched in their course by recorded id, idnumber,
 * then name. Returns undefined when the adapter cannot list groups (then nothing is looked up).
 */
export async function findExistingGroups(
  adapter: LmsAdapter,
  groups: readonly { key: string; record: NewLmsGroup; candidate: number | undefined }[],
): Promise<Map<string, Existing<LmsGroupRecord>> | undefined> {
  if (!canListGroups(adapter)) return undefined;
  const out = new Map<string, Existing<LmsGroupRecord>>();
  const courseIds = [...new Set(groups.map((g) => g.record.courseId))];
  const listed = await Promise.all(courseIds.map((id) => adapter.listGroups(id)));
  const inCourse = new Map(courseIds.map((id, i) => [id, listed[i] ?? []]));
  for (const g of groups) {
    const existing = inCourse.get(g.record.courseId) ?? [];
    const match =
      existing.find((e) => g.candidate !== undefined && e.id === g.candidate) ??
      existing.find((e) => (g.record.idnumber ?? '') !== '' && e.idnumber === g.record.idnumber) ??
      existing.find((e) => e.name === g.record.name && (e.idnumber === '' || e.idnumber === (g.record.idnumber ?? '')));
    if (match) out.set(g.key, { found: match });
  }
  return out;
}
