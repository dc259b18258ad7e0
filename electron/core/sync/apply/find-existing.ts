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
import type { AppliedPerson } from '../plan';

/**
 * Look up before create: a record a create is about to make may already be in the LMS (an earlier
 * apply created it and stopped before journalling the id, or an admin made it by hand). Linking it
 * instead of creating it is what makes a resumed apply free of duplicates.
 */
export type Existing<T> = { found: T } | { conflict: LmsError };

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

/**
 * Existing LMS users for users about to be created, by the id an interrupted apply recorded, then by
 * idnumber, then by username (a username match with a different idnumber is a conflict, not a match).
 */
export async function findExistingUsers(
  adapter: LmsAdapter,
  users: readonly { key: string; record: NewLmsUser; candidate: number | undefined }[],
): Promise<Map<string, Existing<LmsUser>>> {
  const out = new Map<string, Existing<LmsUser>>();
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
      if (found) out.set(u.key, { found });
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
  const byIdnumber = new Map(foundByIdnumber.map((u) => [u.idnumber, u]));
  for (const u of withIdnumber) {
    const match = byIdnumber.get(u.record.idnumber);
    if (match) out.set(u.key, { found: match });
  }
  const byUsername = new Map(foundByUsername.map((u) => [u.username, u]));
  for (const u of open()) {
    const match = byUsername.get(u.record.username);
    if (!match) continue;
    const sameOwner = match.idnumber === '' || match.idnumber === u.record.idnumber;
    out.set(u.key, sameOwner ? { found: match } : { conflict: usernameTaken(u.record, match) });
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
