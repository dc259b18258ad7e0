/** Enrolment functions: enrol_manual_enrol_users, enrol_manual_unenrol_users (enrol/manual/externallib.php), core_enrol_get_enrolled_users. */
import { invalidParameter, moodleException } from '../errors';
import { multiple, optional, single, value, withDefault } from '../param-validation';
import {
  positionsWhere,
  rowsWhere,
  type SimEnrolInstance,
  type SimState,
  type SimUser,
  type SimUserEnrolment,
} from '../state';
import {
  asInt,
  asString,
  can,
  courseOrMissing,
  isActivelyEnrolled,
  records,
  requireCapability,
  userOrMissing,
  validateCourseContext,
  validateCourseContextWrapped,
  type CallContext,
  type FunctionDefinition,
} from './call-context';
import { profileFields } from './user-details';

function manualInstance(state: SimState, courseid: number, enabledOnly: boolean): SimEnrolInstance | undefined {
  return [...state.enrolInstances.values()].find(
    (e) => e.courseid === courseid && e.enrol === 'manual' && (!enabledOnly || e.status === 0),
  );
}

/** manualInstance() for every course at once: course id → its first (enabled) manual instance. */
function manualInstances(state: SimState, enabledOnly: boolean): Map<number, SimEnrolInstance> {
  const byCourse = new Map<number, SimEnrolInstance>();
  for (const e of state.enrolInstances.values()) {
    if (e.enrol === 'manual' && (!enabledOnly || e.status === 0) && !byCourse.has(e.courseid))
      byCourse.set(e.courseid, e);
  }
  return byCourse;
}

/** get_assignable_roles() in a course: roles with the course context level, if the caller may assign roles at all. */
function assignableRoleIds(ctx: CallContext): Set<number> {
  if (!can(ctx, 'moodle/role:assign')) return new Set();
  return new Set([...ctx.state.roles.values()].filter((r) => r.assignableInCourse).map((r) => r.id));
}

export const enrolUsers: FunctionDefinition = {
  name: 'enrol_manual_enrol_users',
  params: single({
    enrolments: multiple(
      single({
        roleid: value('int'),
        userid: value('int'),
        courseid: value('int'),
        timestart: optional(value('int')),
        timeend: optional(value('int')),
        suspend: optional(value('int')),
      }),
    ),
  }),
  mainArray: 'enrolments',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    // Looked up once per call: the roles the caller may assign and each course's manual instance.
    const assignable = assignableRoleIds(ctx);
    const instances = manualInstances(state, true);
    for (const e of records(params.enrolments)) {
      const courseid = asInt(e.courseid);
      const userid = asInt(e.userid);
      const roleid = asInt(e.roleid);
      // A missing course fails validate_context: invalidparameter "Context does not exist" (err_enrol_nonexistent_course).
      validateCourseContext(ctx, courseid);
      requireCapability(ctx, 'enrol/manual:enrol');
      if (!assignable.has(roleid)) {
        throw moodleException(
          'wsusercannotassign',
          `You don't have the permission to assign this role (${roleid}) to this user (${userid}) in this course(${courseid}).`,
        );
      }
      const instance = instances.get(courseid);
      // Moodle passes the course id where the link goes, so the placeholder stays unreplaced.
      if (!instance)
        throw moodleException(
          'wsnoinstance',
          "Manual enrolment plugin instance doesn't exist or is disabled for the course (id = {$a->courseid})",
        );
      // enrol_user() loads the user with MUST_EXIST (err_enrol_nonexistent_user).
      userOrMissing(ctx, userid);
      // Left-out values become 0 and active: a re-enrolment resets dates and reactivates (§3.3).
      const timestart = e.timestart === undefined ? 0 : asInt(e.timestart);
      const timeend = e.timeend === undefined ? 0 : asInt(e.timeend);
      const status = e.suspend !== undefined && asInt(e.suspend) !== 0 ? 1 : 0;
      const rows = state.userEnrolments;
      const existing = positionsWhere(rows, 'userid', userid).find((i) => rows[i]?.enrolid === instance.id);
      // Copy-on-write: the row may be shared with the live state (see inTransaction).
      if (existing !== undefined)
        rows[existing] = { ...(rows[existing] as SimUserEnrolment), timestart, timeend, status };
      else rows.push({ enrolid: instance.id, userid, status, timestart, timeend });
      if (
        !rowsWhere(state.roleAssignments, 'userid', userid).some(
          (ra) => ra.courseid === courseid && ra.roleid === roleid,
        )
      ) {
        state.roleAssignments.push({ userid, courseid, roleid });
      }
    }
    return null;
  },
};

export const unenrolUsers: FunctionDefinition = {
  name: 'enrol_manual_unenrol_users',
  params: single({
    enrolments: multiple(single({ userid: value('int'), courseid: value('int'), roleid: optional(value('int')) })),
  }),
  mainArray: 'enrolments',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    for (const e of records(params.enrolments)) {
      const courseid = asInt(e.courseid);
      const userid = asInt(e.userid);
      // context_course::instance() with MUST_EXIST: dml_missing_record_exception (err_unenrol_nonexistent_course).
      courseOrMissing(ctx, courseid, 'id,category');
      validateCourseContext(ctx, courseid);
      requireCapability(ctx, 'enrol/manual:unenrol');
      const instance = manualInstance(state, courseid, false);
      if (!instance)
        throw moodleException(
          'wsnoinstance',
          "Manual enrolment plugin instance doesn't exist or is disabled for the course (id = {$a->courseid})",
        );
      if (!state.users.has(userid)) throw invalidParameter(`User id not exist: ${userid}`);
      if (e.roleid !== undefined) {
        // With roleid only that role goes; the enrolment stays.
        state.roleAssignments = state.roleAssignments.filter(
          (ra) => !(ra.userid === userid && ra.courseid === courseid && ra.roleid === asInt(e.roleid)),
        );
        continue;
      }
      const before = state.userEnrolments.length;
      state.userEnrolments = state.userEnrolments.filter((ue) => !(ue.enrolid === instance.id && ue.userid === userid));
      // Not enrolled: a silent no-op (ok_unenrol_not_enrolled_user).
      if (state.userEnrolments.length === before) continue;
      if (enrolmentCount(state, userid, courseid) === 0) forgetCourseData(state, userid, courseid);
    }
    return null;
  },
};

function enrolmentCount(state: SimState, userid: number, courseid: number): number {
  return state.userEnrolments.filter(
    (ue) => ue.userid === userid && state.enrolInstances.get(ue.enrolid)?.courseid === courseid,
  ).length;
}

/** What leaving a course's last enrolment takes with it: roles, group memberships, grades and completion (§3.3). */
function forgetCourseData(state: SimState, userid: number, courseid: number): void {
  state.roleAssignments = state.roleAssignments.filter((ra) => !(ra.userid === userid && ra.courseid === courseid));
  // Copy-on-write: the groups may be shared with the live state (see inTransaction).
  for (const group of state.groups.values())
    if (group.courseid === courseid && group.members.includes(userid))
      state.groups.set(group.id, { ...group, members: group.members.filter((m) => m !== userid) });
  const items = new Set([...state.gradeItems.values()].filter((i) => i.courseid === courseid).map((i) => i.id));
  state.grades = state.grades.filter((g) => !(g.userid === userid && items.has(g.itemid)));
  const cms = new Set([...state.modules.values()].filter((m) => m.courseid === courseid).map((m) => m.id));
  state.completions = state.completions.filter((c) => !(c.userid === userid && cms.has(c.cmid)));
}

const DEFAULT_ENROLLED_FIELDS = [
  'id',
  'username',
  'firstname',
  'lastname',
  'fullname',
  'email',
  'address',
  'phone1',
  'phone2',
  'department',
  'institution',
  'idnumber',
  'interests',
  'firstaccess',
  'lastaccess',
  'lastcourseaccess',
  'description',
  'descriptionformat',
  'city',
  'country',
  'profileimageurlsmall',
  'profileimageurl',
  'customfields',
  'groups',
  'roles',
  'preferences',
  'enrolledcourses',
];

export const getEnrolledUsers: FunctionDefinition = {
  name: 'core_enrol_get_enrolled_users',
  params: single({
    courseid: value('int'),
    options: withDefault(multiple(single({ name: value('alphanumext'), value: value('raw') })), []),
  }),
  transaction: 'read',
  run(params, ctx) {
    const state = ctx.state;
    const courseid = asInt(params.courseid);
    validateCourseContextWrapped(ctx, courseid);
    requireCapability(ctx, 'moodle/course:viewparticipants');
    const options = new Map(records(params.options).map((o) => [asString(o.name), asString(o.value)]));
    const onlyActive = options.get('onlyactive') === '1';
    const onlySuspended = options.get('onlysuspended') === '1';
    if (onlyActive) requireCapability(ctx, 'moodle/course:enrolreview');
    const groupId = Number(options.get('groupid') ?? 0);
    if (groupId) requireCapability(ctx, 'moodle/site:accessallgroups');
    const fields = options.has('userfields')
      ? new Set(['id', 'fullname', ...(options.get('userfields') ?? '').split(',').map((f) => f.trim())])
      : new Set(DEFAULT_ENROLLED_FIELDS);

    let userIds = [
      ...new Set(
        state.userEnrolments
          .filter((ue) => state.enrolInstances.get(ue.enrolid)?.courseid === courseid)
          .map((ue) => ue.userid),
      ),
    ];
    if (onlyActive) userIds = userIds.filter((id) => isActivelyEnrolled(state, id, courseid, ctx.now));
    if (onlySuspended) userIds = userIds.filter((id) => !isActivelyEnrolled(state, id, courseid, ctx.now));
    if (groupId) userIds = userIds.filter((id) => state.groups.get(groupId)?.members.includes(id));
    const users = userIds
      .map((id) => state.users.get(id))
      .filter((u): u is SimUser => u !== undefined && !u.deleted)
      .sort((a, b) => a.id - b.id);
    const from = Number(options.get('limitfrom') ?? 0);
    const count = Number(options.get('limitnumber') ?? 0);
    const page = users.slice(from, count > 0 ? from + count : undefined);

    return page.map((user) => {
      const { head, tail } = profileFields(ctx, user);
      const groups = [...state.groups.values()]
        .filter((g) => g.courseid === courseid && g.members.includes(user.id))
        .map((g) => ({ id: g.id, name: g.name, description: g.description, descriptionformat: g.descriptionformat }));
      const roles = state.roleAssignments
        .filter((ra) => ra.userid === user.id && ra.courseid === courseid)
        .map((ra) => state.roles.get(ra.roleid))
        .filter((r) => r !== undefined)
        .map((r) => ({ roleid: r.id, name: r.name, shortname: r.shortname, sortorder: 0 }));
      const record: Record<string, unknown> = {
        ...head,
        lastcourseaccess: 0,
        ...tail,
        // Left out when the user is in no group (ok_core_enrol_get_enrolled_users, user 5).
        groups: groups.length > 0 ? groups : undefined,
        roles,
        enrolledcourses: enrolledCourses(ctx, user),
      };
      // Keep the description order while honouring userfields.
      const ordered: Record<string, unknown> = {};
      for (const key of DEFAULT_ENROLLED_FIELDS)
        if (fields.has(key) && record[key] !== undefined) ordered[key] = record[key];
      return ordered;
    });
  },
};

/**
 * enrol_get_users_courses(onlyactive): visible first, then by course sort order (BIO110 before MATH101 for
 * s1001). A hidden course is listed only if the enrolled user may see it (a teaching role there), which is
 * why s1002's hidden HIST201 is missing in ok_core_enrol_get_enrolled_users.
 */
function enrolledCourses(ctx: CallContext, user: SimUser): { id: number; fullname: string; shortname: string }[] {
  const state = ctx.state;
  const teaching = new Set(
    [...state.roles.values()]
      .filter((r) => ['manager', 'editingteacher', 'teacher'].includes(r.archetype))
      .map((r) => r.id),
  );
  const seesHidden = (courseid: number): boolean =>
    user.siteAdmin ||
    user.capabilities.has('moodle/course:viewhiddencourses') ||
    state.roleAssignments.some((ra) => ra.userid === user.id && ra.courseid === courseid && teaching.has(ra.roleid));
  return [...state.courses.values()]
    .filter((c) => isActivelyEnrolled(state, user.id, c.id, ctx.now))
    .filter((c) => c.visible || seesHidden(c.id))
    .sort((a, b) => b.visible - a.visible || a.sortorder - b.sortorder)
    .map((c) => ({ id: c.id, fullname: c.fullname, shortname: c.shortname }));
}
