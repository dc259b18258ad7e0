/**
 * core_course_duplicate_course as Moodle 5.1 runs it (course/externallib.php duplicate_course, since 2.3,
 * unchanged in substance since; lib/db/services.php: type write, capabilities moodle/backup:backupcourse,
 * moodle/restore:restorecourse, moodle/course:create). It backs the course up and restores the backup into
 * a new course in the same request, so the answer comes once the copy is complete:
 *
 * - courseid, fullname, shortname, categoryid, visible (default 1), options [{name, value}] (default []);
 *   `name` is PARAM_ALPHAEXT, `value` PARAM_RAW cleaned to an int that must be 0 or 1, and only the ten
 *   backup settings of $backupdefaults are names: anything else is moodle_exception invalidextparam.
 * - No course with that id: moodle_exception invalidcourseid (error component) "You are trying to use an
 *   invalid course ID". No such category: context_coursecat::instance(MUST_EXIST) fails with
 *   dml_missing_record_exception on course_categories. validate_context() on the category, then on the
 *   source course (a hidden template needs viewhiddencourses, as any course: require_login_exception).
 * - require_capability moodle/course:create and moodle/restore:restorecourse in the category, then
 *   moodle/backup:backupcourse in the source course (and backup:userinfo / restore:userinfo when the
 *   `users` option is 1): nopermissions.
 * - A course with the shortname already: moodle_exception shortnametaken, whose {$a} is the *full names*
 *   of the courses that have it, joined by "," (create_courses puts the shortname there instead).
 * - backup_check::check_security locks every backup setting when the caller lacks moodle/backup:configure,
 *   and the `users` setting when it lacks moodle/backup:userinfo; setting a locked one (any option sent)
 *   throws base_setting_exception setting_locked_by_permission. With no options the plan's defaults apply:
 *   activities, blocks and filters in, users out for a caller without backup:userinfo. [message inferred:
 *   backup_exception passes no component, so moodle_exception falls back to "error/<code>" with no such string]
 * - The new course (restore_dbops::create_new_course, then the restore) has the source's sections,
 *   activities, gradebook (categories and items, no grades) and course settings (format, summary, start and
 *   end dates, …), the given names and category, `visible` as sent, and no idnumber (restore empties one
 *   already in use, which the source's own is). No people: users is off. Groups come without members.
 *   Enrolment methods are not restored without users; the course gets the defaults a new course gets
 *   (manual on, guest and self off) [inf: what duplicated courses show in the UI].
 * - There is no delegated transaction: a failure after the course was made (a restore precheck error,
 *   backupprecheckerrors) leaves it behind. The simulator fails only before that point, so it keeps nothing.
 * - Answer: {id, shortname}.
 */
import { missingRecord, MoodleException, moodleException } from './errors';
import { multiple, single, value, withDefault } from './param-validation';
import {
  takeId,
  type SimCourse,
  type SimGradeCategory,
  type SimGradeItem,
  type SimModule,
  type SimSection,
  type SimState,
} from './state';
import {
  asInt,
  asString,
  can,
  records,
  requireCapability,
  validateCourseContext,
  type FunctionDefinition,
} from './functions/call-context';

/** duplicate_course's $backupdefaults: the only option names it takes. */
const BACKUP_OPTIONS = [
  'activities',
  'blocks',
  'filters',
  'users',
  'enrolments',
  'role_assignments',
  'comments',
  'userscompletion',
  'logs',
  'grade_histories',
] as const;

/** clean_param(PARAM_INT): PHP's (int) cast of a numeric prefix. */
const phpInt = (s: string): number => Number(/^\s*[+-]?\d+/.exec(s)?.[0] ?? 0);

/** base_setting_exception from a locked backup setting (see the header). */
function settingLocked(): MoodleException {
  return new MoodleException(
    'base_setting_exception',
    'setting_locked_by_permission',
    'error/setting_locked_by_permission',
  );
}

export const duplicateCourse: FunctionDefinition = {
  name: 'core_course_duplicate_course',
  params: single({
    courseid: value('int'),
    fullname: value('text'),
    shortname: value('text'),
    categoryid: value('int'),
    visible: withDefault(value('int'), 1),
    options: withDefault(multiple(single({ name: value('alphaext'), value: value('raw') })), []),
  }),
  // No delegated transaction in duplicate_course; every refusal below comes before anything is written.
  transaction: 'per-item',
  run(params, ctx) {
    const state = ctx.state;
    const source = state.courses.get(asInt(params.courseid));
    if (!source || source.id === state.siteCourseId)
      throw moodleException('invalidcourseid', 'You are trying to use an invalid course ID');
    const categoryid = asInt(params.categoryid);
    const category = state.categories.get(categoryid);
    if (!category)
      throw missingRecord('course_categories', 'SELECT id,parent FROM {course_categories} WHERE id = ?', [categoryid]);
    validateCourseContext(ctx, source.id);

    const settings = new Map<string, number>();
    for (const option of records(params.options)) {
      const name = asString(option.name);
      const v = phpInt(asString(option.value));
      if ((v !== 0 && v !== 1) || !(BACKUP_OPTIONS as readonly string[]).includes(name))
        throw moodleException('invalidextparam', `Invalid external api parameter: ${name}`);
      settings.set(name, v);
    }
    requireCapability(ctx, 'moodle/course:create');
    requireCapability(ctx, 'moodle/restore:restorecourse');
    requireCapability(ctx, 'moodle/backup:backupcourse');
    if (settings.get('users') === 1) {
      requireCapability(ctx, 'moodle/backup:userinfo');
      requireCapability(ctx, 'moodle/restore:userinfo');
    }
    const shortname = asString(params.shortname);
    const taken = [...state.courses.values()].filter((c) => c.shortname === shortname);
    if (taken.length > 0)
      throw moodleException(
        'shortnametaken',
        `Short name is already used for another course (${taken.map((c) => c.fullname).join(',')})`,
      );
    // backup_check::check_security, then the settings loop of duplicate_course.
    if (settings.size > 0 && !can(ctx, 'moodle/backup:configure')) throw settingLocked();
    if (settings.has('users') && !can(ctx, 'moodle/backup:userinfo')) throw settingLocked();

    const course = copyCourse(state, source, {
      fullname: asString(params.fullname),
      shortname,
      category: categoryid,
      visible: asInt(params.visible) === 0 ? 0 : 1,
      now: ctx.now,
      activities: settings.get('activities') !== 0,
    });
    return { id: course.id, shortname: course.shortname };
  },
};

interface CopyTarget {
  fullname: string;
  shortname: string;
  category: number;
  visible: number;
  now: number;
  /** The `activities` backup setting: off, the sections come without their activities. */
  activities: boolean;
}

const nextId = (ids: Iterable<number>): number => Math.max(0, ...ids) + 1;

/** The restore into a new course: the source's settings, sections, activities and gradebook, no people. */
export function copyCourse(state: SimState, source: SimCourse, target: CopyTarget): SimCourse {
  const id = takeId(state, 'course');
  for (const other of state.courses.values())
    if (other.category === target.category) state.courses.set(other.id, { ...other, sortorder: other.sortorder + 1 });
  const course: SimCourse = {
    ...structuredClone(source),
    id,
    category: target.category,
    sortorder: (state.categories.get(target.category)?.sortorder ?? 0) + 1,
    fullname: target.fullname,
    shortname: target.shortname,
    idnumber: '',
    visible: target.visible,
    timecreated: target.now,
    timemodified: target.now,
    cacherev: target.now,
    marker: 0,
    contextid: takeId(state, 'context'),
  };
  state.courses.set(id, course);

  // Activities: new course modules, contexts and instances (one instance table per module type).
  const cmids = new Map<number, number>();
  const instances = new Map<string, number>(); // "modname:old instance" → new instance
  const modules = [...state.modules.values()];
  if (target.activities) {
    for (const m of modules.filter((m) => m.courseid === source.id)) {
      const cmid = nextId(state.modules.keys());
      const instance = nextId(modules.filter((o) => o.modname === m.modname).map((o) => o.instance));
      instances.set(`${m.modname}:${m.instance}`, instance);
      modules.push({ ...m, id: cmid, instance });
      cmids.set(m.id, cmid);
      state.modules.set(cmid, { ...m, id: cmid, courseid: id, instance, contextid: takeId(state, 'context') });
    }
  }
  const sections = [...state.sections.values()].filter((s) => s.courseid === source.id);
  for (const s of sections) {
    const sectionId = takeId(state, 'section');
    const copied: SimSection = {
      ...s,
      id: sectionId,
      courseid: id,
      sequence: s.sequence.flatMap((cm) => (cmids.has(cm) ? [cmids.get(cm)!] : [])),
    };
    state.sections.set(sectionId, copied);
    for (const cm of copied.sequence) {
      const m = state.modules.get(cm) as SimModule;
      state.modules.set(cm, { ...m, sectionid: sectionId });
    }
  }

  // Gradebook: categories (parents first), then items; grades are user data, so none come.
  const categories = new Map<number, number>();
  const sourceCategories = [...state.gradeCategories.values()]
    .filter((c) => c.courseid === source.id)
    .sort((a, b) => (a.parent === null ? -1 : b.parent === null ? 1 : a.id - b.id));
  for (const c of sourceCategories) categories.set(c.id, takeId(state, 'gradeCategory'));
  for (const c of sourceCategories) {
    const copied: SimGradeCategory = {
      ...c,
      id: categories.get(c.id)!,
      courseid: id,
      parent: c.parent === null ? null : (categories.get(c.parent) ?? null),
    };
    state.gradeCategories.set(copied.id, copied);
  }
  for (const item of [...state.gradeItems.values()].filter((i) => i.courseid === source.id)) {
    if (item.itemtype === 'mod' && !target.activities) continue;
    const itemId = takeId(state, 'gradeItem');
    const iteminstance =
      item.itemtype === 'course' || item.itemtype === 'category'
        ? (categories.get(item.iteminstance ?? 0) ?? null)
        : item.itemtype === 'mod'
          ? (instances.get(`${item.itemmodule}:${item.iteminstance}`) ?? itemId)
          : item.iteminstance;
    const copied: SimGradeItem = {
      ...item,
      id: itemId,
      courseid: id,
      iteminstance,
      categoryid: item.categoryid === null ? null : (categories.get(item.categoryid) ?? null),
      cmid: item.cmid === null ? null : (cmids.get(item.cmid) ?? null),
    };
    state.gradeItems.set(itemId, copied);
  }

  // Groups without their members (users are not in the backup).
  for (const g of [...state.groups.values()].filter((g) => g.courseid === source.id)) {
    const groupId = takeId(state, 'group');
    state.groups.set(groupId, { ...g, id: groupId, courseid: id, members: [] });
  }
  // The enrolment methods a new course gets (see the header).
  for (const [enrol, status] of [
    ['manual', 0],
    ['guest', 1],
    ['self', 1],
  ] as const) {
    const enrolId = takeId(state, 'enrol');
    state.enrolInstances.set(enrolId, { id: enrolId, courseid: id, enrol, status });
  }
  return course;
}
