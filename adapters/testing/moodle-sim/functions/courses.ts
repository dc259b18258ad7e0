/** Course functions (course/externallib.php): get_courses, get_courses_by_field, create_courses, update_courses. */
import { invalidParameter, MoodleException, moodleException, phpError } from '../errors';
import { multiple, optional, single, value, withDefault, type Validated } from '../param-validation';
import { takeId, type SimCourse, type SimState, type SimUser } from '../state';
import {
  asInt,
  asList,
  asRecord,
  asString,
  can,
  courseOrMissing,
  isActivelyEnrolled,
  records,
  requireCapability,
  validateCourseContext,
  validateCourseContextWrapped,
  type CallContext,
  type FunctionDefinition,
} from './call-context';
import { gradeItem } from '../grading';

const INSTALLED_FORMATS = new Set(['topics', 'weeks', 'social', 'singleactivity']);

/** Format options as get_courses flattens them into the course (numsections, hiddensections) and lists them. */
function formatOptions(course: SimCourse): {
  flattened: Record<string, number>;
  listed: { name: string; value: number }[];
} {
  if (course.format === 'site') return { flattened: { numsections: 1 }, listed: [{ name: 'numsections', value: 1 }] };
  return {
    flattened: { numsections: course.numsections, hiddensections: course.hiddensections },
    listed: [
      { name: 'hiddensections', value: course.hiddensections },
      { name: 'coursedisplay', value: 0 },
    ],
  };
}

/** Moodle returns these in its own order (heap order on the lab's PostgreSQL): site first, then newest first. */
function getCoursesOrder(a: SimCourse, b: SimCourse, siteid: number): number {
  if (a.id === siteid) return -1;
  if (b.id === siteid) return 1;
  return b.id - a.id;
}

export const getCourses: FunctionDefinition = {
  name: 'core_course_get_courses',
  params: single({ options: withDefault(single({ ids: optional(multiple(value('int'))) }), {}) }),
  mainArray: 'options',
  transaction: 'read',
  run(params, ctx) {
    const ids = asList(asRecord(params.options).ids).map(asInt);
    const state = ctx.state;
    const courses = (ids.length > 0 ? ids.map((id) => state.courses.get(id)) : [...state.courses.values()])
      .filter((c): c is SimCourse => c !== undefined)
      .filter((c, i, all) => all.indexOf(c) === i)
      .sort((a, b) => getCoursesOrder(a, b, state.siteCourseId));
    const result = [];
    for (const course of courses) {
      // One course the caller cannot enter fails the whole call (§3.1).
      validateCourseContextWrapped(ctx, course.id);
      if (course.id !== state.siteCourseId) requireCapability(ctx, 'moodle/course:view');
      const courseAdmin = can(ctx, 'moodle/course:update');
      if (!courseAdmin && !course.visible && !can(ctx, 'moodle/course:viewhiddencourses')) continue;
      const options = formatOptions(course);
      const admin = <T>(v: T): T | undefined => (courseAdmin ? v : undefined);
      result.push({
        id: course.id,
        shortname: course.shortname,
        categoryid: course.category,
        categorysortorder: admin(course.id === state.siteCourseId ? 1 : course.sortorder),
        fullname: course.fullname,
        displayname: course.fullname,
        idnumber: admin(course.idnumber),
        summary: course.summary,
        summaryformat: course.summaryformat,
        format: course.format,
        showgrades: admin(course.showgrades),
        newsitems: admin(course.newsitems),
        startdate: course.startdate,
        enddate: course.enddate,
        numsections: options.flattened.numsections,
        maxbytes: admin(course.maxbytes),
        showreports: admin(course.showreports),
        visible: admin(course.visible),
        hiddensections: options.flattened.hiddensections,
        groupmode: admin(course.groupmode),
        groupmodeforce: admin(course.groupmodeforce),
        defaultgroupingid: admin(course.defaultgroupingid),
        timecreated: admin(course.timecreated),
        timemodified: admin(course.timemodified),
        enablecompletion: admin(course.enablecompletion),
        completionnotify: admin(course.completionnotify),
        lang: admin(course.lang),
        forcetheme: admin(course.theme),
        courseformatoptions: admin(options.listed),
        showactivitydates: course.showactivitydates,
        showcompletionconditions: course.showcompletionconditions,
      });
    }
    return result;
  },
};

const COURSE_FILTERS = ['displayh5p', 'activitynames', 'mathjaxloader', 'emoticon', 'urltolink', 'mediaplugin'];

function courseContacts(state: SimState, course: SimCourse, now: number): { id: number; fullname: string }[] {
  // $CFG->coursecontact defaults to the editingteacher role.
  const teacherRole = [...state.roles.values()].find((r) => r.shortname === 'editingteacher');
  const ids = state.roleAssignments
    .filter(
      (ra) =>
        ra.courseid === course.id &&
        ra.roleid === teacherRole?.id &&
        isActivelyEnrolled(state, ra.userid, course.id, now),
    )
    .map((ra) => ra.userid);
  return [...new Set(ids)]
    .map((id) => state.users.get(id))
    .filter((u): u is SimUser => u !== undefined && !u.deleted)
    .map((u) => ({ id: u.id, fullname: `${u.firstname} ${u.lastname}` }));
}

/** The "course structure" of get_courses_by_field, in its return-description order (ok_core_course_get_courses_by_field). */
function courseByFieldRecord(ctx: CallContext, course: SimCourse): Record<string, unknown> {
  const state = ctx.state;
  const manager = can(ctx, 'moodle/course:update');
  let entered = true;
  try {
    validateCourseContext(ctx, course.id);
  } catch {
    entered = false;
  }
  const methods = [...state.enrolInstances.values()]
    .filter((e) => e.courseid === course.id && e.status === 0)
    .map((e) => e.enrol);
  const publicInfo: Record<string, unknown> = {
    id: course.id,
    fullname: course.fullname,
    displayname: course.fullname,
    shortname: course.shortname,
    courseimage: `${ctx.site.url}/pluginfile.php/${course.contextid}/course/generated/course.svg`,
    categoryid: course.category,
    categoryname: state.categories.get(course.category)?.name ?? '',
    sortorder: course.sortorder,
    summary: course.summary,
    summaryformat: course.summaryformat,
    summaryfiles: [],
    overviewfiles: [],
    showactivitydates: course.showactivitydates,
    showcompletionconditions: course.showcompletionconditions,
    contacts: courseContacts(state, course, ctx.now),
    enrollmentmethods: [...new Set(methods)],
  };
  // A course the caller cannot enter still shows its public information.
  if (!entered) return publicInfo;
  const listed = course.format === 'site' ? [] : [...formatOptions(course).listed, { name: 'indentation', value: '1' }];
  return {
    ...publicInfo,
    idnumber: manager ? course.idnumber : undefined,
    format: course.format,
    showgrades: course.showgrades,
    newsitems: course.newsitems,
    startdate: course.startdate,
    enddate: course.enddate,
    maxbytes: course.maxbytes,
    showreports: course.showreports,
    visible: course.visible,
    groupmode: course.groupmode,
    groupmodeforce: course.groupmodeforce,
    defaultgroupingid: course.defaultgroupingid,
    enablecompletion: course.enablecompletion,
    completionnotify: course.completionnotify,
    lang: course.lang,
    theme: course.theme,
    marker: course.marker,
    legacyfiles: manager ? 0 : undefined,
    calendartype: manager ? '' : undefined,
    timecreated: manager ? course.timecreated : undefined,
    timemodified: manager ? course.timemodified : undefined,
    requested: manager ? 0 : undefined,
    cacherev: manager ? course.cacherev : undefined,
    filters: COURSE_FILTERS.map((filter) => ({ filter, localstate: 0, inheritedstate: 1 })),
    courseformatoptions: listed.length > 0 ? listed : undefined,
  };
}

/** PHP (int) cast, which clean_param(PARAM_INT) applies to the value here without rejecting it. */
const phpInt = (s: string): number => Number(/^\s*[+-]?\d+/.exec(s)?.[0] ?? 0);

export const getCoursesByField: FunctionDefinition = {
  name: 'core_course_get_courses_by_field',
  params: single({ field: withDefault(value('alpha'), ''), value: withDefault(value('raw'), '') }),
  transaction: 'read',
  run(params, ctx) {
    const field = asString(params.field);
    const raw = asString(params.value);
    const all = [...ctx.state.courses.values()].sort((a, b) => a.id - b.id);
    let courses: SimCourse[];
    switch (field) {
      case '':
        courses = all;
        break;
      case 'id':
        courses = all.filter((c) => c.id === phpInt(raw));
        break;
      case 'category':
        courses = all.filter((c) => c.category === phpInt(raw));
        break;
      case 'ids': {
        const ids = new Set(
          raw
            .replace(/[^0-9,]/g, '')
            .split(',')
            .filter(Boolean)
            .map(Number),
        );
        // external_util::validate_courses(ids, [], false, keepfails = true): for an id with no course row
        // (deleted, or never there) context_course::instance() throws, and the catch block then writes
        // $courses[$cid]->contextvalidated = false on a course it never loaded, a PHP Error that fails the
        // whole call (reference §10). The other ids in the list are not answered either.
        if ([...ids].some((id) => !ctx.state.courses.has(id)))
          throw phpError('Attempt to assign property "contextvalidated" on null');
        courses = all.filter((c) => ids.has(c.id));
        break;
      }
      case 'shortname':
        courses = all.filter((c) => c.shortname === raw);
        break;
      case 'idnumber':
        courses = all.filter((c) => c.idnumber === raw);
        break;
      default:
        throw invalidParameter('Invalid field name');
    }
    const visibleToCaller = courses.filter(
      (c) => c.visible || can(ctx, 'moodle/course:viewhiddencourses') || can(ctx, 'moodle/course:update'),
    );
    return { courses: visibleToCaller.map((c) => courseByFieldRecord(ctx, c)), warnings: [] };
  },
};

const courseFields = {
  idnumber: optional(value('raw')),
  summary: optional(value('raw')),
  summaryformat: withDefault(value('int'), 1),
  format: withDefault(value('plugin'), 'topics'),
  showgrades: optional(value('int')),
  newsitems: optional(value('int')),
  startdate: optional(value('int')),
  enddate: optional(value('int')),
  numsections: optional(value('int')),
  maxbytes: optional(value('int')),
  showreports: optional(value('int')),
  visible: optional(value('int')),
  hiddensections: optional(value('int')),
  groupmode: optional(value('int')),
  groupmodeforce: optional(value('int')),
  defaultgroupingid: optional(value('int')),
  enablecompletion: optional(value('int')),
  completionnotify: optional(value('int')),
  lang: optional(value('safedir')),
  forcetheme: optional(value('plugin')),
  courseformatoptions: optional(multiple(single({ name: value('alphanumext'), value: value('raw') }))),
  customfields: optional(multiple(single({ shortname: value('alphanumext'), value: value('raw') }))),
};

function blankParam(name: string): MoodleException {
  return moodleException('errorinvalidparam', `The param "${name}" is invalid.`);
}

/** create_course()/update_course() uniqueness checks. */
function checkUnique(
  state: SimState,
  shortname: string | undefined,
  idnumber: string | undefined,
  exceptId: number,
): void {
  const others = [...state.courses.values()].filter((c) => c.id !== exceptId);
  if (shortname !== undefined && others.some((c) => c.shortname === shortname)) {
    throw moodleException('shortnametaken', `Short name is already used for another course (${shortname})`);
  }
  if (idnumber && others.some((c) => c.idnumber === idnumber)) {
    throw moodleException('courseidnumbertaken', `ID number is already used for another course (${idnumber})`);
  }
}

/** Copies the optional course fields that were sent onto the record. */
function applyCourseFields(course: SimCourse, input: Record<string, Validated>): void {
  const ints = [
    'summaryformat',
    'showgrades',
    'newsitems',
    'startdate',
    'enddate',
    'numsections',
    'maxbytes',
    'showreports',
    'visible',
    'hiddensections',
    'groupmode',
    'groupmodeforce',
    'defaultgroupingid',
    'enablecompletion',
    'completionnotify',
  ] as const;
  for (const key of ints) if (input[key] !== undefined) course[key] = asInt(input[key]);
  for (const key of ['fullname', 'shortname', 'idnumber', 'summary', 'lang'] as const) {
    if (input[key] !== undefined) course[key] = asString(input[key]);
  }
  if (input.format !== undefined)
    course.format = INSTALLED_FORMATS.has(asString(input.format)) ? asString(input.format) : 'topics';
  if (input.forcetheme !== undefined) course.theme = asString(input.forcetheme);
  if (input.categoryid !== undefined) course.category = asInt(input.categoryid);
}

export const createCourses: FunctionDefinition = {
  name: 'core_course_create_courses',
  params: single({
    courses: multiple(
      single({ fullname: value('text'), shortname: value('text'), categoryid: value('int'), ...courseFields }),
    ),
  }),
  mainArray: 'courses',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    const created = [];
    for (const input of records(params.courses)) {
      const categoryid = asInt(input.categoryid);
      const category = state.categories.get(categoryid);
      if (!category) {
        throw moodleException(
          'errorcatcontextnotvalid',
          `You cannot execute functions in the category context (category id:${categoryid}). The context error message was: ${invalidParameter('Context does not exist').messageFor(ctx.site.debug)}`,
        );
      }
      requireCapability(ctx, 'moodle/course:create');
      if (asString(input.fullname).trim() === '') throw blankParam('fullname');
      if (asString(input.shortname).trim() === '') throw blankParam('shortname');
      if (input.lang !== undefined && asString(input.lang) !== '' && asString(input.lang) !== 'en')
        throw blankParam('lang');
      // Without moodle/course:visibility the sent value is ignored and the course follows its category.
      if (!can(ctx, 'moodle/course:visibility')) delete input.visible;
      checkUnique(state, asString(input.shortname), asString(input.idnumber), 0);

      const id = takeId(state, 'course');
      // New courses go to the top of their category (MATH101 then BIO110 ended as 20002 and 20001).
      // Copy-on-write: the courses may be shared with the live state (see inTransaction).
      for (const other of state.courses.values())
        if (other.category === categoryid) state.courses.set(other.id, { ...other, sortorder: other.sortorder + 1 });
      const course: SimCourse = {
        id,
        category: categoryid,
        sortorder: category.sortorder + 1,
        fullname: '',
        shortname: '',
        idnumber: '',
        summary: '',
        summaryformat: 1,
        format: 'topics',
        showgrades: 1,
        newsitems: 5,
        startdate: 0,
        enddate: 0,
        numsections: 4,
        maxbytes: 0,
        showreports: 0,
        visible: category.visible,
        hiddensections: 1,
        groupmode: 0,
        groupmodeforce: 0,
        defaultgroupingid: 0,
        timecreated: ctx.now,
        timemodified: ctx.now,
        enablecompletion: 1,
        completionnotify: 0,
        lang: '',
        theme: '',
        marker: 0,
        cacherev: ctx.now,
        contextid: takeId(state, 'context'),
        showactivitydates: true,
        showcompletionconditions: true,
      };
      applyCourseFields(course, input);
      // Course default duration: one year after the start (ok_core_course_get_courses enddate).
      if (input.enddate === undefined && course.startdate > 0) course.enddate = course.startdate + 365 * 24 * 3600;
      state.courses.set(id, course);
      addCourseScaffolding(state, course);
      created.push({ id, shortname: course.shortname });
    }
    return created;
  },
};

/** What create_course() adds: sections, the default enrolment instances, the gradebook's course category and total. */
function addCourseScaffolding(state: SimState, course: SimCourse): void {
  for (let section = 0; section <= course.numsections; section++) {
    const id = takeId(state, 'section');
    state.sections.set(id, { id, courseid: course.id, section, name: null, summary: '', visible: 1, sequence: [] });
  }
  for (const [enrol, status] of [
    ['manual', 0],
    ['guest', 1],
    ['self', 1],
  ] as const) {
    const id = takeId(state, 'enrol');
    state.enrolInstances.set(id, { id, courseid: course.id, enrol, status });
  }
  const categoryId = takeId(state, 'gradeCategory');
  state.gradeCategories.set(categoryId, { id: categoryId, courseid: course.id, parent: null, fullname: '?' });
  const itemId = takeId(state, 'gradeItem');
  state.gradeItems.set(
    itemId,
    gradeItem({ id: itemId, courseid: course.id, itemtype: 'course', iteminstance: categoryId }),
  );
}

export const updateCourses: FunctionDefinition = {
  name: 'core_course_update_courses',
  params: single({
    courses: multiple(
      single({
        id: value('int'),
        fullname: optional(value('text')),
        shortname: optional(value('text')),
        categoryid: optional(value('int')),
        ...courseFields,
        summaryformat: optional(value('int')),
        format: optional(value('plugin')),
      }),
    ),
  }),
  mainArray: 'courses',
  transaction: 'per-item',
  run(params, ctx) {
    const warnings = [];
    for (const input of records(params.courses)) {
      const id = asInt(input.id);
      // Each course has its own try/catch; a failure becomes a warning and the others still apply.
      try {
        const course = courseOrMissing(ctx, id);
        validateCourseContext(ctx, id);
        requireCapability(ctx, 'moodle/course:update');
        const changes = (key: 'fullname' | 'shortname' | 'idnumber' | 'summary'): boolean =>
          input[key] !== undefined && asString(input[key]) !== course[key];
        if (input.categoryid !== undefined && asInt(input.categoryid) !== course.category) {
          requireCapability(ctx, 'moodle/course:changecategory');
          if (!ctx.state.categories.has(asInt(input.categoryid)))
            throw moodleException('unknowcategory', 'Unknown category');
        }
        if (changes('fullname')) requireCapability(ctx, 'moodle/course:changefullname');
        if (changes('shortname')) requireCapability(ctx, 'moodle/course:changeshortname');
        if (changes('idnumber')) requireCapability(ctx, 'moodle/course:changeidnumber');
        if (changes('summary')) requireCapability(ctx, 'moodle/course:changesummary');
        if (input.visible !== undefined && asInt(input.visible) !== course.visible)
          requireCapability(ctx, 'moodle/course:visibility');
        if (input.fullname !== undefined && asString(input.fullname).trim() === '') throw blankParam('fullname');
        if (input.shortname !== undefined && asString(input.shortname).trim() === '') throw blankParam('shortname');
        checkUnique(
          ctx.state,
          input.shortname === undefined ? undefined : asString(input.shortname),
          asString(input.idnumber),
          id,
        );
        applyCourseFields(course, input);
        course.timemodified = ctx.now;
      } catch (e) {
        if (!(e instanceof MoodleException)) throw e;
        warnings.push({
          item: 'course',
          itemid: id,
          warningcode: e.errorcodeFor(ctx.site.debug),
          message: e.messageFor(ctx.site.debug),
        });
      }
    }
    return { warnings };
  },
};
