/**
 * The simulated site's data: the slice of Moodle's tables the simulated functions touch. Tests may read
 * and change it directly through MoodleSim.state. Writes by all-or-nothing functions run on a copy that
 * replaces the collections on success, so read `sim.state.users` afresh after a call rather than keeping
 * a reference to an old collection.
 */
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
  locked: boolean;
  sortorder: number;
  /** For mod items: the course module. */
  cmid: number | null;
}

export interface SimGrade {
  itemid: number;
  userid: number;
  /** null: no grade yet. */
  finalgrade: number | null;
  hidden: boolean;
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
  groups: Map<number, SimGroup>;
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
 * Runs `work` on a copy of the state and keeps the copy only if it returns normally: Moodle's delegated
 * transaction, rolled back by abort_all_db_transactions() when the function throws.
 */
export function inTransaction<T>(live: SimState, work: (copy: SimState) => T): T {
  const copy = structuredClone(live);
  const result = work(copy);
  Object.assign(live, copy);
  return result;
}
