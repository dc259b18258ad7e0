/**
 * The simulated site's data: the slice of Moodle's tables the simulated functions touch. Tests may read
 * and change it directly through MoodleSim.state. Writes by all-or-nothing functions run on a (shallow) copy
 * that replaces the collections on success, so read `sim.state.users` afresh after a call rather than
 * keeping a reference to an old collection or row.
 */
import type { SimUserContextRole } from './functions/role-assign';
import type { SimSeed } from './seed';

export interface SimSite {
  /** Site administration switches (§7 of the reference). */
  webServicesEnabled: boolean;
  restEnabled: boolean;
  maintenance: boolean;
  lang: string;
  theme: string;
  /** Part of theme image URLs (…/theme/image.php/boost/core/<themerev>/u/f1). */
  themeRevision: number;
  calendarType: string;
  /** $CFG->allowaccountssameemail; off by default, so create_users rejects a duplicate email. */
  allowAccountsSameEmail: boolean;
  /**
   * $CFG->grade_report_user_showtotalsifcontainhidden, for callers without moodle/grade:viewhidden:
   * 0 hide a total that contains hidden items (Moodle's default, used when absent), 1 show it
   * recomputed without them, 2 show the real total. Callers with viewhidden always get the real total.
   */
  showTotalsIfContainHidden?: 0 | 1 | 2;
  /**
   * $CFG->grade_report_user_showrange and _showpercentage (both on by default, used when absent): the User
   * report's range and percentage columns. Off, gradereport_user_get_grade_items leaves out grademin,
   * grademax and rangeformatted (range) or percentageformatted (percentage) — reference §3.4.
   */
  userReportShowRange?: boolean;
  userReportShowPercentage?: boolean;
  /**
   * The auth plugins installed on the site (core_component::get_plugin_list('auth')), which
   * create_users checks `auth` against. Absent: Moodle 5.1's core plugins (DEFAULT_AUTH_PLUGINS in
   * functions/users.ts); add-ons such as saml2 (auth_saml2) only when a test installs them.
   */
  authPlugins?: readonly string[];
  /** Custom user profile fields defined on the site (Users › User profile fields). A fresh site has none. */
  profileFields?: readonly SimProfileField[];
}

/** A user profile field definition (user_info_field). */
export interface SimProfileField {
  shortname: string;
  name: string;
  /** The field type plugin: text, menu, checkbox, datetime, textarea, … */
  datatype: string;
}

export interface SimUser {
  id: number;
  username: string;
  firstname: string;
  lastname: string;
  email: string;
  idnumber: string;
  auth: string;
  /** Kept in clear text: the simulator never returns it. */
  password: string;
  /** Custom profile field values by shortname (user_info_data); only fields the site defines. */
  customfields?: Record<string, string>;
  suspended: boolean;
  deleted: boolean;
  confirmed: boolean;
  department: string;
  institution: string;
  city: string;
  country: string;
  address: string;
  phone1: string;
  phone2: string;
  interests: string;
  description: string;
  lang: string;
  theme: string;
  timezone: string;
  mailformat: number;
  maildisplay: number;
  calendartype: string;
  firstaccess: number;
  lastaccess: number;
  timecreated: number;
  timemodified: number;
  privateAccessKey: string;
  /** Site administrators pass every capability check. */
  siteAdmin: boolean;
  /** Capabilities granted at system level (the simulator has no per-context overrides). */
  capabilities: Set<string>;
}

export interface SimRole {
  id: number;
  shortname: string;
  /** '' for the standard roles, whose names come from language strings. */
  name: string;
  archetype: string;
  sortorder: number;
  /** Whether the role can be assigned in a course context (get_assignable_roles). */
  assignableInCourse: boolean;
  /** Whether its role_context_levels include User (no standard role's do; a "Parent" role's do). */
  assignableInUser?: boolean;
}

export interface SimCategory {
  id: number;
  name: string;
  /** NULL for the category Moodle creates on install ("Category 1"). */
  idnumber: string | null;
  description: string;
  descriptionformat: number;
  parent: number;
  sortorder: number;
  visible: number;
  visibleold: number;
  timemodified: number;
  depth: number;
  path: string;
  theme: string;
}

export interface SimCourse {
  id: number;
  /** 0 for the site course. */
  category: number;
  sortorder: number;
  fullname: string;
  shortname: string;
  idnumber: string;
  summary: string;
  summaryformat: number;
  format: string;
  showgrades: number;
  newsitems: number;
  startdate: number;
  enddate: number;
  numsections: number;
  maxbytes: number;
  showreports: number;
  visible: number;
  hiddensections: number;
  groupmode: number;
  groupmodeforce: number;
  defaultgroupingid: number;
  timecreated: number;
  timemodified: number;
  enablecompletion: number;
  completionnotify: number;
  lang: string;
  theme: string;
  marker: number;
  cacherev: number;
  contextid: number;
  showactivitydates: boolean;
  showcompletionconditions: boolean | null;
}

export interface SimEnrolInstance {
  id: number;
  courseid: number;
  enrol: 'manual' | 'self' | 'guest';
  /** 0 enabled, 1 disabled (ENROL_INSTANCE_ENABLED / _DISABLED). */
  status: number;
}

export interface SimUserEnrolment {
  enrolid: number;
  userid: number;
  /** 0 active, 1 suspended (ENROL_USER_ACTIVE / _SUSPENDED). */
  status: number;
  timestart: number;
  timeend: number;
}

export interface SimRoleAssignment {
  userid: number;
  /** Course the role is assigned in (course context). */
  courseid: number;
  roleid: number;
}

export interface SimGroup {
  id: number;
  courseid: number;
  name: string;
  description: string;
  descriptionformat: number;
  enrolmentkey: string;
  idnumber: string;
  visibility: number;
  participation: boolean;
  members: number[];
}

/** A cohort (cohort table); its members as user ids (cohort_members). See functions/cohorts.ts. */
export interface SimCohort {
  id: number;
  /** null: the system context; otherwise the course category whose context holds it. */
  categoryid: number | null;
  name: string;
  idnumber: string;
  description: string;
  descriptionformat: number;
  visible: boolean;
  members: number[];
}

export interface SimSection {
  id: number;
  courseid: number;
  section: number;
  /** null: Moodle shows "General" for section 0 and "New section" for the others. */
  name: string | null;
  summary: string;
  visible: number;
  /** Course module ids in display order. */
  sequence: number[];
}

export interface SimModule {
  /** The course module id (cmid). */
  id: number;
  courseid: number;
  sectionid: number;
  modname: string;
  instance: number;
  name: string;
  visible: number;
  visibleoncoursepage: number;
  contextid: number;
  /** 0 none, 1 manual, 2 automatic. */
  completion: number;
  /** JSON text as Moodle sends it in customdata. */
  customdata: string;
  duedate: number;
  timemodified: number;
}

export interface SimGradeCategory {
  id: number;
  courseid: number;
  /** null for the course's top category. */
  parent: number | null;
  fullname: string;
}

export interface SimGradeItem {
  id: number;
  courseid: number;
  itemtype: 'course' | 'category' | 'mod' | 'manual';
  itemmodule: string | null;
  /** Activity instance id for mod items, grade category id for course and category items. */
  iteminstance: number | null;
  itemnumber: number | null;
  itemname: string | null;
  idnumber: string | null;
  /** Grade category the item sits in; null for course and category items. */
  categoryid: number | null;
  grademin: number;
  grademax: number;
  hidden: boolean;
  /** Hidden until this time (Moodle keeps the date in grade_items.hidden); absent or past: not hidden by date. */
  hiddenuntil?: number;
  locked: boolean;
  sortorder: number;
  /** For mod items: the course module. */
  cmid: number | null;
  /**
   * grade_items.display: how gradeformatted shows the grade. Absent: real (points), the course default.
   * 'letter' (GRADE_DISPLAY_TYPE_LETTER) formats with Moodle's default letters (grade_get_letters(null)).
   */
  display?: 'real' | 'percentage' | 'letter';
}

export interface SimGrade {
  itemid: number;
  userid: number;
  /** null: no grade yet. */
  finalgrade: number | null;
  hidden: boolean;
  /** This grade hidden until this time (grade_grades.hidden holds a date); absent or past: not hidden by date. */
  hiddenuntil?: number;
  feedback: string;
  timemodified: number;
}

export interface SimCompletion {
  cmid: number;
  userid: number;
  /** 0 incomplete, 1 complete, 2 pass, 3 fail. */
  state: number;
  timecompleted: number;
}

export interface SimService {
  id: number;
  name: string;
  shortname: string;
  enabled: boolean;
  /** "Authorised users only": then only authorisedUsers may use it. */
  restrictedUsers: boolean;
  authorisedUsers: Set<number>;
  /** Function names in the order Moodle lists them in site_info. */
  functions: string[];
}

export interface SimToken {
  token: string;
  userid: number;
  serviceid: number;
  /** Unix seconds; 0 = never expires. */
  validuntil: number;
}

export interface SimState {
  site: SimSite;
  /** The site course (course id 1, format "site"); its fullname is the site name. */
  siteCourseId: number;
  users: Map<number, SimUser>;
  roles: Map<number, SimRole>;
  categories: Map<number, SimCategory>;
  courses: Map<number, SimCourse>;
  enrolInstances: Map<number, SimEnrolInstance>;
  userEnrolments: SimUserEnrolment[];
  roleAssignments: SimRoleAssignment[];
  /** Roles assigned in users' contexts (a parent in a child's), and each user context's id: functions/role-assign.ts. */
  userContextRoles?: SimUserContextRole[];
  userContexts?: Map<number, number>;
  groups: Map<number, SimGroup>;
  /** Cohorts (none on a fresh site; tests may add some the connector did not create). */
  cohorts: Map<number, SimCohort>;
  sections: Map<number, SimSection>;
  modules: Map<number, SimModule>;
  gradeCategories: Map<number, SimGradeCategory>;
  gradeItems: Map<number, SimGradeItem>;
  grades: SimGrade[];
  completions: SimCompletion[];
  services: Map<number, SimService>;
  tokens: Map<string, SimToken>;
  /** Next id per table: Moodle never reuses ids. */
  sequences: Record<
    | 'user'
    | 'category'
    | 'course'
    | 'enrol'
    | 'group'
    | 'cohort'
    | 'section'
    | 'context'
    | 'gradeItem'
    | 'gradeCategory'
    | 'service',
    number
  >;
}

const byId = <T extends { id: number }>(rows: readonly T[]): Map<number, T> =>
  new Map(rows.map((r) => [r.id, structuredClone(r)]));
const nextAfter = (ids: Iterable<number>): number => Math.max(0, ...ids) + 1;

export function createState(seed: SimSeed): SimState {
  const courses = byId(seed.courses);
  return {
    site: structuredClone(seed.site),
    siteCourseId: seed.siteCourseId,
    users: byId(seed.users),
    roles: byId(seed.roles),
    categories: byId(seed.categories),
    courses,
    enrolInstances: byId(seed.enrolInstances),
    userEnrolments: structuredClone([...seed.userEnrolments]),
    roleAssignments: structuredClone([...seed.roleAssignments]),
    groups: byId(seed.groups),
    cohorts: new Map(),
    sections: byId(seed.sections),
    modules: byId(seed.modules),
    gradeCategories: byId(seed.gradeCategories),
    gradeItems: byId(seed.gradeItems),
    grades: structuredClone([...seed.grades]),
    completions: structuredClone([...seed.completions]),
    services: byId(seed.services),
    tokens: new Map(seed.tokens.map((t) => [t.token, { ...t }])),
    sequences: {
      user: nextAfter(seed.users.map((u) => u.id)),
      category: nextAfter(seed.categories.map((c) => c.id)),
      course: nextAfter(seed.courses.map((c) => c.id)),
      enrol: nextAfter(seed.enrolInstances.map((e) => e.id)),
      group: nextAfter(seed.groups.map((g) => g.id)),
      cohort: 1,
      section: nextAfter(seed.sections.map((s) => s.id)),
      context: nextAfter([...seed.courses.map((c) => c.contextid), ...seed.modules.map((m) => m.contextid)]),
      gradeItem: nextAfter(seed.gradeItems.map((g) => g.id)),
      gradeCategory: nextAfter(seed.gradeCategories.map((g) => g.id)),
      service: nextAfter(seed.services.map((s) => s.id)),
    },
  };
}

export function takeId(state: SimState, table: keyof SimState['sequences']): number {
  const id = state.sequences[table];
  state.sequences[table] = id + 1;
  return id;
}

/**
 * Runs `work` on a working copy of the state and keeps the copy only if it returns normally: Moodle's
 * delegated transaction, rolled back by abort_all_db_transactions() when the function throws.
 *
 * The copy is shallow and lazy, so a call costs what it touches rather than a copy of every row (a school
 * of 20,000 users and 100,000 enrolments stays fast): an array or plain object is copied when the function
 * first reaches it, a Map when it is first written to; the rows inside are shared with the live state. A
 * function that runs in a transaction therefore never changes a row in place; it puts a changed copy of
 * the row into the working collection (`state.groups.set(id, { ...group, members })`,
 * `rows[i] = { ...row, status }`).
 */
export function inTransaction<T>(live: SimState, work: (copy: SimState) => T): T {
  const working = new Map<PropertyKey, unknown>();
  const views = new Map<PropertyKey, unknown>();
  const copy = new Proxy(live, {
    get(target, key) {
      if (working.has(key)) return working.get(key);
      if (views.has(key)) return views.get(key);
      const value: unknown = Reflect.get(target, key);
      if (value instanceof Map) {
        const view = copyOnWriteMap(value, (copied) => working.set(key, copied));
        views.set(key, view);
        return view;
      }
      let copied: unknown = value;
      if (Array.isArray(value)) {
        const rows: unknown[] = value.slice();
        // Same rows at the same positions: the copy starts with the live array's indexes.
        const indexes = positionIndexes.get(value);
        if (indexes) positionIndexes.set(rows, new Map([...indexes].map(([field, i]) => [field, { ...i }])));
        copied = rows;
      } else if (value !== null && typeof value === 'object') copied = { ...value };
      working.set(key, copied);
      return copied;
    },
    set(_target, key, value) {
      working.set(key, value);
      return true;
    },
  });
  let result: T;
  try {
    result = work(copy);
  } catch (error) {
    // Live arrays shared their position indexes with the discarded copies: rebuild them when next used.
    for (const key of working.keys()) {
      const value: unknown = Reflect.get(live, key);
      if (Array.isArray(value)) positionIndexes.delete(value);
    }
    throw error;
  }
  for (const [key, value] of working) Reflect.set(live, key, value);
  return result;
}

/** A view of `live` that reads through to it until the first write, which copies it (and reports the copy). */
function copyOnWriteMap<K, V>(live: Map<K, V>, onCopy: (copy: Map<K, V>) => void): Map<K, V> {
  let current = live;
  return new Proxy(live, {
    get(_target, prop) {
      if (current === live && (prop === 'set' || prop === 'delete' || prop === 'clear')) {
        current = new Map(live);
        onCopy(current);
      }
      const value: unknown = Reflect.get(current, prop, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

interface PositionIndex {
  /** Rows indexed so far (rows are appended; a shorter array is indexed afresh). */
  length: number;
  positions: Map<unknown, number[]>;
}

const positionIndexes = new WeakMap<readonly unknown[], Map<PropertyKey, PositionIndex>>();

/**
 * Positions of the rows whose `field` is `value`, through an index kept per array and field: built on
 * first use, extended as rows are appended, rebuilt when the array shrinks. Rows may be replaced in place
 * by rows with the same `field` (copy-on-write) or the array replaced (filter); every position is checked
 * against the row it points at before it is returned.
 */
export function positionsWhere<T, F extends keyof T>(rows: readonly T[], field: F, value: T[F]): number[] {
  let byField = positionIndexes.get(rows);
  if (!byField) positionIndexes.set(rows, (byField = new Map()));
  let index = byField.get(field);
  if (!index || index.length > rows.length) byField.set(field, (index = { length: 0, positions: new Map() }));
  for (let i = index.length; i < rows.length; i++) {
    const key = (rows[i] as T)[field];
    const list = index.positions.get(key);
    if (list) list.push(i);
    else index.positions.set(key, [i]);
  }
  index.length = rows.length;
  return (index.positions.get(value) ?? []).filter((i) => i < rows.length && (rows[i] as T)[field] === value);
}

/** The rows whose `field` is `value` (see positionsWhere). */
export function rowsWhere<T, F extends keyof T>(rows: readonly T[], field: F, value: T[F]): T[] {
  return positionsWhere(rows, field, value).map((i) => rows[i] as T);
}
