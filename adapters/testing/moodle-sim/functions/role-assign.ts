/**
 * core_role_assign_roles and core_role_unassign_roles (core_role_external in enrol/externallib.php, listed in
 * lib/db/services.php with capabilities moodle/role:assign, type write), as Moodle 5.x runs them:
 *
 * - params `assignments[i]` / `unassignments[i]` {roleid PARAM_INT, userid PARAM_INT, contextid PARAM_INT
 *   optional, contextlevel PARAM_ALPHA optional, instanceid PARAM_INT optional}; unknown keys refused;
 * - one delegated transaction per call (T): any failing item rolls the whole call back;
 * - per item: external_api::get_context_from_params — a non-empty contextid wins (context::instance_by_id,
 *   IGNORE_MISSING); else contextlevel + instanceid (\core\context_helper::parse_external_level: a level
 *   name; anything else is invalid_parameter_exception "Invalid context level = X"); else
 *   "Missing parameters, please provide either context level with instance id or contextid";
 * - validate_context: a missing context (context_user::instance of an unknown or deleted user) is
 *   invalid_parameter_exception "Context does not exist";
 * - require_capability('moodle/role:assign', $context): required_capability_exception nopermissions;
 * - get_assignable_roles($context): only roles whose role_context_levels include the context's level (no
 *   standard role has the user level: a "Parent" role is made by the admin with "Context types where this
 *   role may be assigned: User"); otherwise invalid_parameter_exception whose debuginfo quotes
 *   `$assignment['contextid']`, which is empty when the item gave contextlevel + instanceid
 *   ("Can not assign roleid=9 in contextid=");
 * - role_assign(): an unknown or deleted assignee is coding_exception "User ID does not exist or is
 *   deleted!"; an existing assignment is returned, not duplicated (idempotent);
 * - role_unassign(): role_unassign_all for that role, user and context: a missing assignment is a no-op.
 * Both return null.
 *
 * The simulator models the user and course context levels; the others (system, coursecat, module, block)
 * are valid level names Moodle accepts but no role here is assignable in them.
 */
import { codingError, invalidParameter } from '../errors';
import { multiple, optional, single, value } from '../param-validation';
import { rowsWhere, takeId, type SimRole, type SimState } from '../state';
import {
  asInt,
  asString,
  can,
  records,
  requireCapability,
  type CallContext,
  type FunctionDefinition,
} from './call-context';

/** A role assigned in a user's context (role_assignments with a CONTEXT_USER contextid). */
export interface SimUserContextRole {
  /** The assignee (the parent). */
  userid: number;
  /** The user whose context it is (the child): context_user's instanceid. */
  contextUserId: number;
  roleid: number;
}

/** Context level names Moodle's parse_external_level knows (context_helper::get_all_levels). */
const LEVELS = new Set(['system', 'user', 'coursecat', 'course', 'module', 'block']);

type ResolvedContext =
  | { level: 'user'; userid: number; contextid: number }
  | { level: 'course'; courseid: number; contextid: number }
  | { level: 'other'; name: string };

/** The user context's id, made on first use as context_user::instance() does for an existing user. */
function userContextId(state: SimState, userid: number): number {
  const contexts = state.userContexts ?? (state.userContexts = new Map());
  let id = contexts.get(userid);
  if (id === undefined) {
    id = takeId(state, 'context');
    contexts.set(userid, id);
  }
  return id;
}

/** A user context exists for a user that exists and is not deleted. */
function liveUser(state: SimState, userid: number): boolean {
  const user = state.users.get(userid);
  return user !== undefined && !user.deleted;
}

/** get_context_from_params + validate_context's "Context does not exist". */
function contextOf(ctx: CallContext, item: Record<string, unknown>): ResolvedContext {
  const state = ctx.state;
  const contextid = item.contextid === undefined ? 0 : asInt(item.contextid as number);
  if (contextid !== 0) {
    for (const [userid, id] of state.userContexts ?? []) {
      if (id === contextid && liveUser(state, userid)) return { level: 'user', userid, contextid };
    }
    for (const course of state.courses.values()) {
      if (course.contextid === contextid) return { level: 'course', courseid: course.id, contextid };
    }
    throw invalidParameter('Context does not exist');
  }
  const level = item.contextlevel === undefined ? '' : asString(item.contextlevel as string);
  if (level !== '' && item.instanceid !== undefined) {
    if (!LEVELS.has(level)) throw invalidParameter(`Invalid context level = ${level}`);
    const instanceid = asInt(item.instanceid as number);
    if (level === 'user') {
      if (!liveUser(state, instanceid)) throw invalidParameter('Context does not exist');
      return { level: 'user', userid: instanceid, contextid: userContextId(state, instanceid) };
    }
    if (level === 'course') {
      const course = state.courses.get(instanceid);
      if (!course) throw invalidParameter('Context does not exist');
      return { level: 'course', courseid: course.id, contextid: course.contextid };
    }
    return { level: 'other', name: level };
  }
  throw invalidParameter('Missing parameters, please provide either context level with instance id or contextid');
}

/** get_assignable_roles($context): roles with the context's level, if the caller may assign roles at all. */
function assignable(ctx: CallContext, context: ResolvedContext, roleid: number): boolean {
  if (!can(ctx, 'moodle/role:assign')) return false;
  const role: SimRole | undefined = ctx.state.roles.get(roleid);
  if (!role) return false;
  if (context.level === 'user') return role.assignableInUser === true;
  if (context.level === 'course') return role.assignableInCourse;
  return false;
}

const ITEM = single({
  roleid: value('int'),
  userid: value('int'),
  contextid: optional(value('int')),
  contextlevel: optional(value('alpha')),
  instanceid: optional(value('int')),
});

/**
 * What both functions check per item, in Moodle's order: the context, the capability, then whether the
 * role may be (un)assigned there ("Can not assign roleid=N in contextid=…", empty when a level was given).
 */
function checkedItem(ctx: CallContext, item: Record<string, unknown>, verb: 'assign' | 'unassign') {
  const roleid = asInt(item.roleid as number);
  const userid = asInt(item.userid as number);
  const context = contextOf(ctx, item);
  requireCapability(ctx, 'moodle/role:assign');
  if (!assignable(ctx, context, roleid))
    throw invalidParameter(
      `Can not ${verb} roleid=${roleid} in contextid=${item.contextid === undefined ? '' : asInt(item.contextid as number)}`,
    );
  return { roleid, userid, context };
}

export const assignRoles: FunctionDefinition = {
  name: 'core_role_assign_roles',
  params: single({ assignments: multiple(ITEM) }),
  mainArray: 'assignments',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    for (const a of records(params.assignments)) {
      const { roleid, userid, context } = checkedItem(ctx, a, 'assign');
      // role_assign(): the assignee must exist and not be deleted.
      if (!liveUser(state, userid)) throw codingError('User ID does not exist or is deleted!');
      if (context.level === 'user') {
        const rows = state.userContextRoles ?? [];
        if (!rows.some((r) => r.userid === userid && r.contextUserId === context.userid && r.roleid === roleid))
          state.userContextRoles = [...rows, { userid, contextUserId: context.userid, roleid }];
      } else if (context.level === 'course') {
        const courseid = context.courseid;
        if (
          !rowsWhere(state.roleAssignments, 'userid', userid).some(
            (r) => r.courseid === courseid && r.roleid === roleid,
          )
        )
          state.roleAssignments.push({ userid, courseid, roleid });
      }
    }
    return null;
  },
};

export const unassignRoles: FunctionDefinition = {
  name: 'core_role_unassign_roles',
  params: single({ unassignments: multiple(ITEM) }),
  mainArray: 'unassignments',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    for (const u of records(params.unassignments)) {
      const { roleid, userid, context } = checkedItem(ctx, u, 'unassign');
      // role_unassign_all(): whatever matches goes; nothing matching is not an error.
      if (context.level === 'user') {
        const child = context.userid;
        state.userContextRoles = (state.userContextRoles ?? []).filter(
          (r) => !(r.userid === userid && r.contextUserId === child && r.roleid === roleid),
        );
      } else if (context.level === 'course') {
        const courseid = context.courseid;
        state.roleAssignments = state.roleAssignments.filter(
          (r) => !(r.userid === userid && r.courseid === courseid && r.roleid === roleid),
        );
      }
    }
    return null;
  },
};

/**
 * What an admin does before parents can be linked: a role (archetype none, like Moodle docs' "Parent role")
 * whose context types include User. Returns its id. Test and demo helper, not a web-service function.
 */
export function addParentRole(state: SimState, options: { shortname?: string; id?: number } = {}): number {
  const id = options.id ?? Math.max(0, ...state.roles.keys()) + 1;
  state.roles.set(id, {
    id,
    shortname: options.shortname ?? 'parent',
    name: 'Parent',
    archetype: '',
    sortorder: id,
    assignableInCourse: false,
    assignableInUser: true,
  });
  return id;
}

/** The roles assigned in `childId`'s user context, as [assignee, roleid] (tests read the state with this). */
export function userContextRolesOf(state: SimState, childId: number): { userid: number; roleid: number }[] {
  return (state.userContextRoles ?? [])
    .filter((r) => r.contextUserId === childId)
    .map((r) => ({ userid: r.userid, roleid: r.roleid }));
}
