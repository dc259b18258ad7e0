/** Group functions (group/externallib.php): create_groups, add_group_members, get_course_groups. */
import { invalidParameter, missingRecord, moodleException } from '../errors';
import { multiple, optional, single, value, withDefault } from '../param-validation';
import { takeId, type SimGroup } from '../state';
import {
  asInt,
  asString,
  courseOrMissing,
  isEnrolled,
  records,
  requireCapability,
  userOrMissing,
  validateCourseContextWrapped,
  type FunctionDefinition,
} from './call-context';

const groupRecord = (g: SimGroup): Record<string, unknown> => ({
  id: g.id,
  courseid: g.courseid,
  name: g.name,
  description: g.description,
  descriptionformat: g.descriptionformat,
  enrolmentkey: g.enrolmentkey,
  idnumber: g.idnumber,
  visibility: g.visibility,
  participation: g.participation,
});

export const createGroups: FunctionDefinition = {
  name: 'core_group_create_groups',
  params: single({
    groups: multiple(
      single({
        courseid: value('int'),
        name: value('text'),
        // Required, unlike what one would expect (debug_err_group_missing_description).
        description: value('raw'),
        descriptionformat: withDefault(value('int'), 1),
        enrolmentkey: optional(value('raw')),
        idnumber: optional(value('raw')),
        visibility: optional(value('int')),
        participation: optional(value('bool')),
      }),
    ),
  }),
  mainArray: 'groups',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    const created = [];
    for (const input of records(params.groups)) {
      const courseid = asInt(input.courseid);
      const name = asString(input.name);
      if (name.trim() === '') throw invalidParameter('Invalid group name');
      if ([...state.groups.values()].some((g) => g.courseid === courseid && g.name === name)) {
        throw invalidParameter('Group with the same name already exists in the course');
      }
      validateCourseContextWrapped(ctx, courseid);
      requireCapability(ctx, 'moodle/course:managegroups');
      const idnumber = input.idnumber === undefined ? '' : asString(input.idnumber);
      if (
        idnumber !== '' &&
        [...state.groups.values()].some((g) => g.courseid === courseid && g.idnumber === idnumber)
      ) {
        throw moodleException('idnumbertaken', 'This ID number is already taken');
      }
      const group: SimGroup = {
        id: takeId(state, 'group'),
        courseid,
        name,
        description: asString(input.description),
        descriptionformat: asInt(input.descriptionformat),
        enrolmentkey: input.enrolmentkey === undefined ? '' : asString(input.enrolmentkey),
        idnumber,
        visibility: input.visibility === undefined ? 0 : asInt(input.visibility),
        participation: input.participation === undefined ? true : input.participation === true,
        members: [],
      };
      state.groups.set(group.id, group);
      created.push(groupRecord(group));
    }
    return created;
  },
};

export const addGroupMembers: FunctionDefinition = {
  name: 'core_group_add_group_members',
  params: single({ members: multiple(single({ groupid: value('int'), userid: value('int') })) }),
  mainArray: 'members',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    for (const m of records(params.members)) {
      const groupid = asInt(m.groupid);
      const userid = asInt(m.userid);
      const group = state.groups.get(groupid);
      if (!group) throw missingRecord('groups', 'SELECT * FROM {groups} WHERE id = ?', [groupid]);
      const user = userOrMissing(ctx, userid);
      validateCourseContextWrapped(ctx, group.courseid);
      requireCapability(ctx, 'moodle/course:managegroups');
      // Any enrolment counts, active or not (is_enrolled without onlyactive).
      if (!isEnrolled(state, user.id, group.courseid))
        throw invalidParameter('Only enrolled users may be members of groups');
      // Copy-on-write: the group may be shared with the live state (see inTransaction).
      if (!group.members.includes(userid)) state.groups.set(groupid, { ...group, members: [...group.members, userid] });
    }
    return null;
  },
};

export const getCourseGroups: FunctionDefinition = {
  name: 'core_group_get_course_groups',
  params: single({ courseid: value('int') }),
  transaction: 'read',
  run(params, ctx) {
    const course = courseOrMissing(ctx, asInt(params.courseid));
    validateCourseContextWrapped(ctx, course.id);
    requireCapability(ctx, 'moodle/course:managegroups');
    return [...ctx.state.groups.values()]
      .filter((g) => g.courseid === course.id)
      .sort((a, b) => a.id - b.id)
      .map(groupRecord);
  },
};
