import { randomBytes } from 'node:crypto';
import {
  PARTICIPANTS_PER_PAGE,
  RECORDS_PER_WRITE,
  ROLE_SEARCH_COURSES,
  ROLE_SEARCH_PARTICIPANTS,
  valuesPerLookup,
  varBudget,
} from './batch-sizes';
import {
  LmsError,
  type BatchResult,
  type ItemOutcome,
  type LmsActivityCompletion,
  type LmsAdapter,
  type LmsCategoryRecord,
  type LmsConnectionOptions,
  type LmsCourseRecord,
  type LmsCourseUpdate,
  type LmsCourseCopy,
  type DescribeOptions,
  type LmsDiagnosis,
  type LmsRoleId,
  type LmsEnrolledUser,
  type LmsEnrolment,
  type LmsFamily,
  type LmsGradebook,
  type LmsGroupMember,
  type LmsGroupRecord,
  type LmsSiteInfo,
  type LmsUnenrolment,
  type LmsUser,
  type LmsUserContextRole,
  type LmsUserUpdate,
  type NewLmsCourse,
  type NewLmsGroup,
  type NewLmsUser,
  type UserLookupField,
  type LmsCohortMember,
  type LmsCohortRecord,
  type NewLmsCohort,
} from '../../contract';
import { runBatches, type BatchSpec } from './batch-runner';
import { capabilityLabel, probeCapabilities, type ProbeReport } from './capability-probes';
import { MoodleCohorts } from './cohorts';
import { copyCourse } from './course-copy';
import { diagnose } from './features';
import type { FormValue } from './form-encoding';
import { RoleResolver } from './role-resolver';
import {
  chunk,
  courseFields,
  mergeOutcomes,
  ok,
  toCourse,
  toGradeItem,
  toGroup,
  toUser,
  userFields,
  withWarnings,
} from './records';
import * as S from './schemas';
import { sendUserContextRoles, type UserContextRoleDeps } from './user-context-roles';
import { MoodleTransport, transportSettings } from './transport';

export interface MoodleAdapterOptions extends LmsConnectionOptions {
  /** Role shortname → id, where the admin set them (otherwise learnt from course participants). */
  roleIds?: Record<string, number>;
  /** Role ids an earlier run of this connection learnt or verified (LmsAdapter.knownRoleIds). */
  knownRoles?: readonly LmsRoleId[];
}

/** Moodle's auth plugins that keep a password (is_internal): create_users needs one, or createpassword. */
const INTERNAL_AUTHS = new Set(['manual', 'email', 'nologin', 'none']);

/**
 * A manual account created without an emailed password still needs one (create_users refuses it
 * otherwise): a random one nobody is told, meeting Moodle's default password policy (8+ characters,
 * a digit, lower and upper case, a symbol). The person uses "Forgotten password" or the admin sets one.
 */
function unknownPassword(u: NewLmsUser): string | undefined {
  if (u.createPassword || !INTERNAL_AUTHS.has(u.auth ?? 'manual')) return undefined;
  return `${randomBytes(18).toString('base64url')}aA1#`;
}

/**
 * A refused create of an account with another sign-in than manual: production Moodle answers only
 * "Invalid parameter value detected" (§9), and an auth plugin the site has not installed is refused so
 * ("Invalid authentication type"). Every such account fails alike, so the fix names the sign-in method.
 */
function withAuthFix(error: LmsError, user: NewLmsUser | undefined): LmsError {
  const auth = user?.auth ?? 'manual';
  if (error.kind !== 'invalid-parameter' || auth === 'manual') return error;
  return new LmsError(error.kind, error.message, {
    ...error.details,
    fix: `If every new account fails like this, the site may not have the "${auth}" authentication plugin installed: check Site administration › Plugins › Authentication › Manage authentication, or choose another sign-in method in the connection's mapping. Otherwise: ${error.details.fix ?? 'correct the record in the SMS.'}`,
  });
}

const COMPLETION_STATES = ['incomplete', 'complete', 'pass', 'fail'] as const;
const TRACKING = ['none', 'manual', 'automatic'] as const;

/** The LmsAdapter for Moodle and for Totara's Moodle-compatible ("legacy") web services. */
export class MoodleAdapter implements LmsAdapter {
  private readonly transport: MoodleTransport;
  private readonly roles: RoleResolver;
  private readonly batchSize: number;
  private readonly varBudget: number;
  private readonly maxAttempts: number;
  private functions: Set<string> | undefined;
  private site: LmsSiteInfo | undefined;
  /** Other courses are searched for role ids once per adapter (one run), not once per batch. */
  private searchedOtherCourses = false;
  /** Cohorts (cohorts.ts), on this adapter's transport and batch runner. */
  private readonly cohorts = new MoodleCohorts({
    read: (fn, params) => this.read(fn, params),
    write: (fn, params, idempotent, items) => this.write(fn, params, idempotent, items),
    batch: (spec) => this.batch(spec),
    functions: () => this.knownFunctions(),
  });

  constructor(options: MoodleAdapterOptions) {
    this.transport = new MoodleTransport(transportSettings(options));
    this.roles = new RoleResolver(options.roleIds, options.knownRoles);
    this.batchSize = options.batchSize ?? RECORDS_PER_WRITE;
    this.varBudget = varBudget(options.maxInputVars);
    this.maxAttempts = options.maxAttempts ?? 4;
  }

  // ─── Describe ───────────────────────────────────────────────────────────────────────────────

  async siteInfo(): Promise<LmsSiteInfo> {
    const op = 'core_webservice_get_site_info';
    const info = S.parseAnswer(S.SiteInfoSchema, await this.read(op, {}), op);
    const functions = info.functions.map((f) => f.name);
    this.functions = new Set(functions);
    this.site = {
      family: detectFamily(info.release ?? '', functions),
      siteName: info.sitename,
      siteUrl: info.siteurl,
      release: info.release ?? 'unknown',
      version: info.version ?? 'unknown',
      userId: info.userid,
      username: info.username,
      isSiteAdmin: info.userissiteadmin ?? false,
      functions,
    };
    return this.site;
  }

  async describe(options: DescribeOptions = {}): Promise<LmsDiagnosis> {
    const diagnosis = diagnose(await this.siteInfo());
    if (options.roles && options.roles.length > 0) {
      if (this.functions?.has('core_enrol_get_enrolled_users')) await this.resolveRoles(options.roles, []);
      else this.roles.assumeDefaults(options.roles);
      diagnosis.roles = options.roles.map((r) => this.roles.describe(r));
    }
    if (options.probe && options.probe.length > 0) {
      const usable = new Set(diagnosis.features.filter((f) => f.available).map((f) => f.feature));
      const reports = await probeCapabilities(
        this.probeContext(),
        options.probe.filter((f) => usable.has(f)),
      );
      applyProbes(diagnosis, reports);
    }
    return diagnosis;
  }

  knownRoleIds(): LmsRoleId[] {
    return this.roles.known();
  }

  // ─── Courses ────────────────────────────────────────────────────────────────────────────────

  async listCourses(): Promise<LmsCourseRecord[]> {
    const functions = await this.knownFunctions();
    if (functions.has('core_course_get_courses_by_field')) {
      const op = 'core_course_get_courses_by_field';
      const answer = S.parseAnswer(S.CoursesByFieldSchema, await this.read(op, { field: '', value: '' }), op);
      return answer.courses.filter((c) => c.format !== 'site').map(toCourse);
    }
    // Older sites and early Totara: get_courses also lists the front page, which is not a course.
    const op = 'core_course_get_courses';
    return S.parseAnswer(S.CoursesSchema, await this.read(op, {}), op)
      .filter((c) => c.format !== 'site')
      .map(toCourse);
  }

  async findCourses(
    field: 'idnumber' | 'shortname' | 'id',
    values: readonly (string | number)[],
  ): Promise<LmsCourseRecord[]> {
    if (values.length === 0) return [];
    const functions = await this.knownFunctions();
    const wanted = new Set(values.map(String));
    // get_courses_by_field takes one value per call (or an id list); for many values one full list is cheaper.
    if (!functions.has('core_course_get_courses_by_field') || (field !== 'id' && values.length > 5)) {
      return (await this.listCourses()).filter((c) => wanted.has(String(c[field])));
    }
    const op = 'core_course_get_courses_by_field';
    if (field === 'id') {
      const answer = await this.read(op, { field: 'ids', value: values.join(',') });
      return S.parseAnswer(S.CoursesByFieldSchema, answer, op).courses.map(toCourse);
    }
    const answers = await Promise.all(values.map((value) => this.read(op, { field, value: String(value) })));
    return answers.flatMap((a) => S.parseAnswer(S.CoursesByFieldSchema, a, op).courses.map(toCourse));
  }

  createCourses(courses: readonly NewLmsCourse[]): Promise<BatchResult<{ id: number; shortname: string }>> {
    const op = 'core_course_create_courses';
    const encode = (c: NewLmsCourse): FormValue => courseFields(c);
    return this.batch({
      operation: op,
      items: courses,
      encode,
      send: async (chunk) => {
        const created = S.parseAnswer(
          S.CreatedCoursesSchema,
          await this.write(op, { courses: chunk.map(encode) }, false, chunk.length),
          op,
        );
        const byShortname = new Map(created.map((c) => [c.shortname, c]));
        return chunk.map((c) => ok(byShortname.get(c.shortname)));
      },
      reconcile: async (chunk) => {
        const found = await this.findCourses(
          'shortname',
          chunk.map((c) => c.shortname),
        );
        const byShortname = new Map(found.map((c) => [c.shortname, { id: c.id, shortname: c.shortname }]));
        return chunk.map((c) => byShortname.get(c.shortname));
      },
    });
  }

  updateCourses(courses: readonly LmsCourseUpdate[]): Promise<BatchResult<null>> {
    const op = 'core_course_update_courses';
    const encode = (c: LmsCourseUpdate): FormValue => ({ id: c.id, ...courseFields(c) });
    return this.batch({
      operation: op,
      items: courses,
      encode,
      send: async (chunk) => {
        const answer = S.parseAnswer(
          S.WarningsSchema,
          await this.write(op, { courses: chunk.map(encode) }, true, chunk.length),
          op,
        );
        return withWarnings(
          chunk.map((c) => c.id),
          answer?.warnings ?? [],
          op,
        );
      },
    });
  }

  /** One course copied from a template (course-copy.ts: core_course_duplicate_course). */
  copyCourse(copy: LmsCourseCopy): Promise<{ id: number; shortname: string }> {
    return copyCourse(
      {
        write: (fn, params, idempotent, items) => this.write(fn, params, idempotent, items),
        functions: () => this.knownFunctions(),
        findCourses: (field, values) => this.findCourses(field, values),
      },
      copy,
    );
  }

  async listCategories(): Promise<LmsCategoryRecord[]> {
    const op = 'core_course_get_categories';
    return S.parseAnswer(S.CategoriesSchema, await this.read(op, {}), op).map((c) => ({
      id: c.id,
      name: c.name,
      idnumber: c.idnumber ?? '',
      parent: c.parent,
    }));
  }

  // ─── Users ──────────────────────────────────────────────────────────────────────────────────

  async findUsers(field: UserLookupField, values: readonly (string | number)[]): Promise<LmsUser[]> {
    const op = 'core_user_get_users_by_field';
    const chunks = chunk(values, valuesPerLookup(this.varBudget));
    const answers = await Promise.all(chunks.map((part) => this.read(op, { field, values: part.map(String) })));
    return answers.flatMap((a) => S.parseAnswer(S.UsersSchema, a, op).map(toUser));
  }

  async createUsers(users: readonly NewLmsUser[]): Promise<BatchResult<{ id: number; username: string }>> {
    const result = await this.createUserBatches(users);
    return {
      ...result,
      outcomes: result.outcomes.map((o, i) => (o.ok ? o : { ok: false, error: withAuthFix(o.error, users[i]) })),
    };
  }

  private createUserBatches(users: readonly NewLmsUser[]): Promise<BatchResult<{ id: number; username: string }>> {
    const op = 'core_user_create_users';
    const encode = (u: NewLmsUser): FormValue => ({
      ...userFields(u),
      password: u.password ?? unknownPassword(u),
      createpassword: u.createPassword,
    });
    return this.batch({
      operation: op,
      items: users,
      encode,
      send: async (chunk) => {
        const created = S.parseAnswer(
          S.CreatedUsersSchema,
          await this.write(op, { users: chunk.map(encode) }, false, chunk.length),
          op,
        );
        const byUsername = new Map(created.map((u) => [u.username, u]));
        return chunk.map((u) => ok(byUsername.get(u.username)));
      },
      reconcile: async (chunk) => {
        const found = await this.findUsers(
          'username',
          chunk.map((u) => u.username),
        );
        const byUsername = new Map(found.map((u) => [u.username, { id: u.id, username: u.username }]));
        return chunk.map((u) => byUsername.get(u.username));
      },
    });
  }

  updateUsers(users: readonly LmsUserUpdate[]): Promise<BatchResult<null>> {
    const op = 'core_user_update_users';
    const encode = (u: LmsUserUpdate): FormValue => ({ id: u.id, ...userFields(u), suspended: u.suspended });
    return this.batch({
      operation: op,
      items: users,
      encode,
      send: async (chunk) => {
        // Moodle ≤ 3.x answers null (and skips bad rows silently); newer releases answer with warnings.
        const answer = S.parseAnswer(
          S.WarningsSchema,
          await this.write(op, { users: chunk.map(encode) }, true, chunk.length),
          op,
        );
        return withWarnings(
          chunk.map((u) => u.id),
          answer?.warnings ?? [],
          op,
        );
      },
    });
  }

  suspendUsers(userIds: readonly number[]): Promise<BatchResult<null>> {
    return this.updateUsers(userIds.map((id) => ({ id, suspended: true })));
  }

  // ─── Enrolments ─────────────────────────────────────────────────────────────────────────────

  async enrol(enrolments: readonly LmsEnrolment[]): Promise<BatchResult<null>> {
    const op = 'enrol_manual_enrol_users';
    await this.resolveRoles(
      enrolments.map((e) => e.roleShortname),
      [...new Set(enrolments.map((e) => e.courseId))],
    );
    const notes: string[] = [];
    // A role id assumed from Moodle's defaults is tried on one enrolment and checked before the rest.
    const canaries = new Map<number, ItemOutcome<null>>();
    for (const shortname of new Set(enrolments.map((e) => e.roleShortname))) {
      if (!this.roles.isUnverifiedDefault(shortname)) continue;
      const index = enrolments.findIndex((e) => e.roleShortname === shortname);
      const outcome = await this.enrolCanary(enrolments[index] as LmsEnrolment, shortname, notes);
      if (outcome) canaries.set(index, outcome);
    }
    const resolved: ItemOutcome<{ roleid: number }>[] = enrolments.map((e) => {
      try {
        return { ok: true, value: { roleid: this.roles.idOf(e.roleShortname, op) } };
      } catch (err) {
        return { ok: false, error: err as LmsError };
      }
    });
    const sendable = enrolments
      .map((e, i) => ({ e, i, roleid: resolved[i]?.ok ? resolved[i].value.roleid : 0 }))
      .filter(({ i }) => resolved[i]?.ok && !canaries.has(i));
    const result = await this.sendEnrolments(sendable);
    const merged = mergeOutcomes(
      enrolments.length,
      resolved,
      sendable.map((s) => s.i),
      result,
    );
    for (const [i, outcome] of canaries) merged.outcomes[i] = outcome;
    merged.notes.push(...notes);
    return merged;
  }

  private sendEnrolments(items: readonly { e: LmsEnrolment; roleid: number }[]): Promise<BatchResult<null>> {
    const op = 'enrol_manual_enrol_users';
    // Moodle resets what is left out (dates to 0, suspend to active), so every field is sent.
    const encode = ({ e, roleid }: { e: LmsEnrolment; roleid: number }): FormValue => ({
      roleid,
      userid: e.userId,
      courseid: e.courseId,
      timestart: e.timeStart ?? 0,
      timeend: e.timeEnd ?? 0,
      suspend: e.suspended ?? false,
    });
    return this.batch({
      operation: op,
      items,
      encode,
      send: async (chunk) => {
        S.parseAnswer(S.NullSchema, await this.write(op, { enrolments: chunk.map(encode) }, true, chunk.length), op);
        return chunk.map(() => ok(null));
      },
    });
  }

  /**
   * Enrols one person with a role id assumed from Moodle's defaults, then reads the course's participants
   * to see which role Moodle actually gave. Undefined when reading the course settled the id first (the
   * caller then sends this enrolment with the others).
   */
  private async enrolCanary(
    e: LmsEnrolment,
    shortname: string,
    notes: string[],
  ): Promise<ItemOutcome<null> | undefined> {
    const op = 'enrol_manual_enrol_users';
    let before: LmsEnrolledUser[];
    try {
      before = await this.listEnrolledUsers(e.courseId);
    } catch {
      notes.push(
        `The "${shortname}" role was assumed to have Moodle's default id ${String(this.roles.describe(shortname).id)}; ` +
          'it could not be checked because the token cannot read course participants.',
      );
      this.roles.confirm(shortname);
      return undefined;
    }
    if (!this.roles.isUnverifiedDefault(shortname)) return undefined;
    const roleid = this.roles.idOf(shortname, op);
    const sent = await this.sendEnrolments([{ e, roleid }]);
    const outcome = sent.outcomes[0] ?? { ok: false, error: new LmsError('unexpected', `${op}: no answer`) };
    if (!outcome.ok) return outcome;
    const after = await this.listEnrolledUsers(e.courseId).catch(() => undefined);
    const given = after?.find((u) => u.id === e.userId)?.roles ?? [];
    if (given.some((r) => r.roleId === roleid && r.shortname === shortname)) {
      this.roles.confirm(shortname);
      return outcome;
    }
    const actually = given.find((r) => r.roleId === roleid)?.shortname ?? 'not a role this person was given';
    this.roles.refute(shortname, actually);
    // Undo the one enrolment ClassBridge just made with the wrong role; someone enrolled before is left alone.
    if (!before.some((u) => u.id === e.userId)) await this.unenrol([{ userId: e.userId, courseId: e.courseId }]);
    else
      notes.push(
        `User ${e.userId} in course ${e.courseId} was given role id ${roleid} ("${actually}") by mistake; remove it in Moodle.`,
      );
    try {
      this.roles.idOf(shortname, op);
    } catch (err) {
      return { ok: false, error: err as LmsError };
    }
    return undefined;
  }

  async unenrol(unenrolments: readonly LmsUnenrolment[]): Promise<BatchResult<null>> {
    const op = 'enrol_manual_unenrol_users';
    const withRole = unenrolments.filter((u) => u.roleShortname !== undefined);
    if (withRole.length > 0)
      await this.resolveRoles(
        withRole.map((u) => u.roleShortname as string),
        [...new Set(withRole.map((u) => u.courseId))],
      );
    // A role to take away must be known by id; one that is not is that record's error, not the batch's.
    const resolved: ItemOutcome<{ roleid?: number }>[] = unenrolments.map((u) => {
      if (u.roleShortname === undefined) return { ok: true, value: {} };
      try {
        return { ok: true, value: { roleid: this.roles.idOf(u.roleShortname, op) } };
      } catch (err) {
        return { ok: false, error: err as LmsError };
      }
    });
    const sendable = unenrolments
      .map((u, i) => ({ u, i, roleid: resolved[i]?.ok ? resolved[i].value.roleid : undefined }))
      .filter(({ i }) => resolved[i]?.ok);
    // With roleid Moodle unassigns only that role and keeps the enrolment (reference §3.3).
    const encode = ({ u, roleid }: { u: LmsUnenrolment; roleid: number | undefined }): FormValue => ({
      userid: u.userId,
      courseid: u.courseId,
      roleid,
    });
    const result = await this.batch({
      operation: op,
      items: sendable,
      encode,
      send: async (chunk) => {
        S.parseAnswer(S.NullSchema, await this.write(op, { enrolments: chunk.map(encode) }, true, chunk.length), op);
        return chunk.map(() => ok(null));
      },
    });
    return mergeOutcomes(
      unenrolments.length,
      resolved,
      sendable.map((s) => s.i),
      result,
    );
  }

  listEnrolledUsers(courseId: number): Promise<LmsEnrolledUser[]> {
    return this.readParticipants(courseId, Infinity);
  }

  // ─── Parent roles in user contexts (user-context-roles.ts) ──────────────────────────────────

  assignUserContextRoles(assignments: readonly LmsUserContextRole[]): Promise<BatchResult<null>> {
    return sendUserContextRoles(this.userContextRoleDeps(), 'core_role_assign_roles', assignments);
  }

  unassignUserContextRoles(assignments: readonly LmsUserContextRole[]): Promise<BatchResult<null>> {
    return sendUserContextRoles(this.userContextRoleDeps(), 'core_role_unassign_roles', assignments);
  }

  private userContextRoleDeps(): UserContextRoleDeps {
    return {
      batch: (spec) => this.batch(spec),
      write: (fn, params, idem, items) => this.write(fn, params, idem, items),
    };
  }

  /** Participants of a course, up to `limit` (whole pages), learning role ids from them on the way. */
  private async readParticipants(courseId: number, limit: number): Promise<LmsEnrolledUser[]> {
    const op = 'core_enrol_get_enrolled_users';
    const users: LmsEnrolledUser[] = [];
    const pageSize = Math.min(PARTICIPANTS_PER_PAGE, limit);
    for (let from = 0; from < limit; from += pageSize) {
      const options = [
        { name: 'limitfrom', value: from },
        { name: 'limitnumber', value: pageSize },
      ];
      const page = S.parseAnswer(S.EnrolledUsersSchema, await this.read(op, { courseid: courseId, options }), op);
      for (const u of page) {
        users.push({
          id: u.id,
          username: u.username ?? '',
          fullname: u.fullname ?? `${u.firstname ?? ''} ${u.lastname ?? ''}`.trim(),
          idnumber: u.idnumber ?? '',
          email: u.email ?? '',
          roles: (u.roles ?? []).map((r) => ({ roleId: r.roleid, shortname: r.shortname })),
          groups: (u.groups ?? []).map((g) => ({ id: g.id, name: g.name })),
        });
      }
      if (page.length < pageSize) break;
    }
    this.roles.learnFrom(users);
    return users;
  }

  // ─── Groups ─────────────────────────────────────────────────────────────────────────────────

  createGroups(groups: readonly NewLmsGroup[]): Promise<BatchResult<LmsGroupRecord>> {
    const op = 'core_group_create_groups';
    const encode = (g: NewLmsGroup): FormValue => ({
      courseid: g.courseId,
      name: g.name,
      // Moodle requires a description, even an empty one.
      description: g.description ?? '',
      idnumber: g.idnumber,
    });
    const key = (courseId: number, name: string): string => `${courseId}\u0000${name}`;
    return this.batch({
      operation: op,
      items: groups,
      encode,
      send: async (chunk) => {
        const created = S.parseAnswer(
          S.GroupsSchema,
          await this.write(op, { groups: chunk.map(encode) }, false, chunk.length),
          op,
        );
        const byKey = new Map(created.map((g) => [key(g.courseid, g.name), toGroup(g)]));
        return chunk.map((g) => ok(byKey.get(key(g.courseId, g.name))));
      },
      reconcile: async (chunk) => {
        const courseIds = [...new Set(chunk.map((g) => g.courseId))];
        const existing = (await Promise.all(courseIds.map((id) => this.listGroups(id)))).flat();
        const byKey = new Map(existing.map((g) => [key(g.courseId, g.name), g]));
        return chunk.map((g) => byKey.get(key(g.courseId, g.name)));
      },
    });
  }

  async listGroups(courseId: number): Promise<LmsGroupRecord[]> {
    const op = 'core_group_get_course_groups';
    return S.parseAnswer(S.GroupsSchema, await this.read(op, { courseid: courseId }), op).map(toGroup);
  }

  addGroupMembers(members: readonly LmsGroupMember[]): Promise<BatchResult<null>> {
    const op = 'core_group_add_group_members';
    const encode = (m: LmsGroupMember): FormValue => ({ groupid: m.groupId, userid: m.userId });
    return this.batch({
      operation: op,
      items: members,
      encode,
      send: async (chunk) => {
        S.parseAnswer(S.NullSchema, await this.write(op, { members: chunk.map(encode) }, true, chunk.length), op);
        return chunk.map(() => ok(null));
      },
    });
  }

  // ─── Cohorts (cohorts.ts) ───────────────────────────────────────────────────────────────────

  missingCohortFunctions(): Promise<string[]> {
    return this.cohorts.missingFunctions();
  }

  listCohorts(): Promise<LmsCohortRecord[]> {
    return this.cohorts.list();
  }

  createCohorts(cohorts: readonly NewLmsCohort[]): Promise<BatchResult<LmsCohortRecord>> {
    return this.cohorts.create(cohorts);
  }

  addCohortMembers(members: readonly LmsCohortMember[]): Promise<BatchResult<null>> {
    return this.cohorts.addMembers(members);
  }

  removeCohortMembers(members: readonly LmsCohortMember[]): Promise<BatchResult<null>> {
    return this.cohorts.removeMembers(members);
  }

  // ─── Results ────────────────────────────────────────────────────────────────────────────────

  async readGradebook(courseId: number, userId = 0): Promise<LmsGradebook> {
    const op = 'gradereport_user_get_grade_items';
    const answer = S.parseAnswer(S.GradeItemsSchema, await this.read(op, { courseid: courseId, userid: userId }), op);
    return {
      courseId,
      users: answer.usergrades.map((u) => ({
        userId: u.userid,
        userIdnumber: u.useridnumber ?? '',
        fullname: u.userfullname,
        items: u.gradeitems.map(toGradeItem),
      })),
    };
  }

  async readActivityCompletion(courseId: number, userId: number): Promise<LmsActivityCompletion[]> {
    const op = 'core_completion_get_activities_completion_status';
    const answer = S.parseAnswer(S.CompletionSchema, await this.read(op, { courseid: courseId, userid: userId }), op);
    return answer.statuses.map((s) => ({
      cmid: s.cmid,
      module: s.modname,
      state: COMPLETION_STATES[s.state] ?? 'incomplete',
      timeCompleted: s.timecompleted,
      tracking: TRACKING[s.tracking] ?? 'none',
    }));
  }

  // ─── Plumbing ───────────────────────────────────────────────────────────────────────────────

  private read(fn: string, params: Record<string, FormValue>): Promise<unknown> {
    return this.transport.call(fn, params, { idempotent: true });
  }

  private write(fn: string, params: Record<string, FormValue>, idempotent: boolean, items: number): Promise<unknown> {
    return this.transport.call(fn, params, { idempotent, items });
  }

  private batch<I, R>(spec: Omit<BatchSpec<I, R>, 'batchSize' | 'varBudget' | 'maxAttempts'>): Promise<BatchResult<R>> {
    return runBatches({ ...spec, batchSize: this.batchSize, varBudget: this.varBudget, maxAttempts: this.maxAttempts });
  }

  private async knownFunctions(): Promise<Set<string>> {
    if (!this.functions) await this.siteInfo();
    return this.functions ?? new Set();
  }

  /**
   * Role ids for these shortnames: learnt from the participants of the courses being enrolled into, then of
   * other courses the token can read (a bounded number), and on a site where nobody has such a role yet
   * (a fresh site) assumed from Moodle's archetype defaults, which enrol() checks before trusting.
   */
  private async resolveRoles(shortnames: Iterable<string>, courseIds: readonly number[]): Promise<void> {
    const wanted = [...new Set(shortnames)];
    const unknown = (): string[] => wanted.filter((s) => !this.roles.has(s) || this.roles.isUnverifiedDefault(s));
    if (unknown().length === 0) return;
    const tried = new Set<number>();
    for (const courseId of courseIds.slice(0, ROLE_SEARCH_COURSES)) {
      if (unknown().length === 0) return;
      tried.add(courseId);
      await this.readParticipants(courseId, ROLE_SEARCH_PARTICIPANTS).catch(() => undefined);
    }
    if (!this.searchedOtherCourses && unknown().length > 0) {
      this.searchedOtherCourses = true;
      const others = (await this.listCourses().catch(() => [])).filter((c) => !tried.has(c.id));
      for (const course of others.slice(0, ROLE_SEARCH_COURSES)) {
        if (unknown().length === 0) return;
        await this.readParticipants(course.id, ROLE_SEARCH_PARTICIPANTS).catch(() => undefined);
      }
    }
    this.roles.assumeDefaults(unknown());
  }

  private probeContext() {
    const site = this.site;
    if (!site) throw new Error('probeContext before siteInfo');
    let courses: Promise<LmsCourseRecord[]> | undefined;
    let categories: Promise<LmsCategoryRecord[]> | undefined;
    return {
      site,
      call: (fn: string, params: Record<string, FormValue>) => this.transport.call(fn, params, { idempotent: false }),
      someCourseId: async () => {
        courses ??= this.listCourses().catch(() => []);
        return (await courses)[0]?.id;
      },
      someCategoryId: async () => {
        categories ??= this.listCategories().catch(() => []);
        return (await categories)[0]?.id;
      },
      roleId: (shortname: string) => {
        this.roles.assumeDefaults([shortname]);
        return this.roles.describe(shortname).id ?? undefined;
      },
    };
  }
}

/** Folds capability probe findings into the diagnosis: every missing capability named at once, with what it stops. */
function applyProbes(diagnosis: LmsDiagnosis, reports: readonly ProbeReport[]): void {
  const missingLines: string[] = [];
  for (const report of reports) {
    const feature = diagnosis.features.find((f) => f.feature === report.feature);
    if (!feature) continue;
    feature.probe = { result: report.finding.result, detail: report.finding.detail };
    if (report.finding.result !== 'missing') continue;
    feature.available = false;
    feature.missingCapabilities = report.finding.capabilities;
    missingLines.push(`${report.finding.capabilities.map(capabilityLabel).join(' and ')}: ${report.stops}`);
  }
  if (missingLines.length === 0) return;
  diagnosis.ok = false;
  diagnosis.fixes.push(
    `The token's role lacks ${missingLines.length === 1 ? 'a capability' : `${missingLines.length} capabilities`} ClassBridge needs — ` +
      `${missingLines.join('; ')}. Add ${missingLines.length === 1 ? 'it' : 'them'} to the ClassBridge role under Site administration › ` +
      'Users › Permissions › Define roles (the role assigned to the web-service user at system level); for ' +
      'moodle/role:assign also allow that role to assign student and teacher roles (Allow role assignments).',
  );
}

export function createMoodleAdapter(options: MoodleAdapterOptions): MoodleAdapter {
  return new MoodleAdapter(options);
}

/** Totara reports itself in the release string; its own functions carry a totara_ prefix. */
export function detectFamily(release: string, functions: readonly string[]): LmsFamily {
  return /totara/i.test(release) || functions.some((f) => f.startsWith('totara_')) ? 'totara' : 'moodle';
}
