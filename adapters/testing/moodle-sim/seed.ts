/**
 * Fixtures: what a simulated site holds when it starts. defaultSeed() is a small school shaped like the
 * lab site the reference recordings came from (same ids, names and grades), so the fidelity test can
 * replay the recordings against it.
 */
import { ALL_CAPABILITIES } from './capabilities';
import { SIMULATED_FUNCTIONS } from './functions/names';
import type {
  SimCategory,
  SimCompletion,
  SimCourse,
  SimEnrolInstance,
  SimGrade,
  SimGradeCategory,
  SimGradeItem,
  SimGroup,
  SimModule,
  SimRole,
  SimRoleAssignment,
  SimSection,
  SimService,
  SimSite,
  SimToken,
  SimUser,
  SimUserEnrolment,
} from './state';

export interface SimSeed {
  site: SimSite;
  siteCourseId: number;
  users: readonly SimUser[];
  roles: readonly SimRole[];
  categories: readonly SimCategory[];
  courses: readonly SimCourse[];
  enrolInstances: readonly SimEnrolInstance[];
  userEnrolments: readonly SimUserEnrolment[];
  roleAssignments: readonly SimRoleAssignment[];
  groups: readonly SimGroup[];
  sections: readonly SimSection[];
  modules: readonly SimModule[];
  gradeCategories: readonly SimGradeCategory[];
  gradeItems: readonly SimGradeItem[];
  grades: readonly SimGrade[];
  completions: readonly SimCompletion[];
  services: readonly SimService[];
  tokens: readonly SimToken[];
}

/** The connector token of defaultSeed(); MoodleSim.token. */
export const DEFAULT_CONNECTOR_TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
/** Seeded timestamps (the lab site's clock, late 2026). */
export const SEED_TIME = 1795443934;

export function seedUser(u: Pick<SimUser, 'id' | 'username' | 'firstname' | 'lastname'> & Partial<SimUser>): SimUser {
  return {
    email: `${u.username}@example.invalid`,
    idnumber: '',
    auth: 'manual',
    password: 'Sim#Pass-1',
    suspended: false,
    deleted: false,
    confirmed: true,
    department: '',
    institution: '',
    city: '',
    country: '',
    address: '',
    phone1: '',
    phone2: '',
    interests: '',
    description: '',
    lang: 'en',
    theme: '',
    timezone: '99',
    mailformat: 1,
    maildisplay: 2,
    calendartype: 'gregorian',
    firstaccess: 0,
    lastaccess: 0,
    timecreated: SEED_TIME,
    timemodified: SEED_TIME,
    privateAccessKey: `${u.id.toString(16).padStart(4, '0')}${'5eed'.repeat(7)}`,
    siteAdmin: false,
    capabilities: new Set<string>(),
    ...u,
  };
}

export function seedCourse(
  c: Pick<SimCourse, 'id' | 'category' | 'fullname' | 'shortname' | 'sortorder' | 'contextid'> & Partial<SimCourse>,
): SimCourse {
  return {
    idnumber: '',
    summary: '',
    summaryformat: 1,
    format: 'topics',
    showgrades: 1,
    newsitems: 5,
    startdate: 1767225600,
    enddate: 1798761600,
    numsections: 3,
    maxbytes: 0,
    showreports: 0,
    visible: 1,
    hiddensections: 1,
    groupmode: 0,
    groupmodeforce: 0,
    defaultgroupingid: 0,
    timecreated: SEED_TIME,
    timemodified: SEED_TIME,
    enablecompletion: 1,
    completionnotify: 0,
    lang: '',
    theme: '',
    marker: 0,
    cacherev: SEED_TIME,
    showactivitydates: true,
    showcompletionconditions: true,
    ...c,
  };
}

/** Roles as a fresh Moodle installs them. They are data: the client must look them up, never hard-code them. */
export function standardRoles(): SimRole[] {
  const roles: [string, boolean][] = [
    ['manager', true],
    ['coursecreator', false],
    ['editingteacher', true],
    ['teacher', true],
    ['student', true],
    ['guest', false],
    ['user', false],
    ['frontpage', false],
  ];
  return roles.map(([shortname, assignableInCourse], i) => ({
    id: i + 1,
    shortname,
    name: '',
    archetype: shortname,
    sortorder: i + 1,
    assignableInCourse,
  }));
}

/** Capabilities of wsconnector_limited in the recordings: reads, but no create/enrol/gradebook. */
export const LIMITED_CAPABILITIES: readonly string[] = ALL_CAPABILITIES.filter(
  (c) =>
    ![
      'moodle/course:create',
      'moodle/user:create',
      'enrol/manual:enrol',
      'enrol/manual:unenrol',
      'gradereport/user:view',
      'moodle/grade:viewall',
    ].includes(c),
);

const people: [number, string, string, string][] = [
  [5, 't2001', 'Ada', 'Lovelace'],
  [6, 't2002', 'Alan', 'Turing'],
  [7, 's1001', 'Maria', 'Garcia'],
  [8, 's1002', 'Liam', 'Smith'],
  [9, 's1003', 'Noor', 'Khan'],
  [10, 's1004', 'Chen', 'Wei'],
  [11, 's1005', 'Olivia', 'Brown'],
  [12, 's1006', 'Kofi', 'Mensah'],
  [13, 's1007', 'Sofia', 'Rossi'],
  [14, 's1008', 'Ivan', 'Petrov'],
];

/** [userid, courseid, roleid]: the recording's ok_enrol_manual_enrol_users batch. */
const enrolments: [number, number, number][] = [
  [5, 2, 3],
  [6, 3, 3],
  [6, 4, 3],
  [7, 2, 5],
  [8, 2, 5],
  [9, 2, 5],
  [10, 2, 5],
  [11, 2, 5],
  [12, 2, 5],
  [7, 3, 5],
  [9, 3, 5],
  [11, 3, 5],
  [13, 3, 5],
  [8, 4, 5],
  [10, 4, 5],
  [14, 4, 5],
];

/** MATH101 grades per student: Algebra, Geometry, Quiz, Final exam (hidden), Participation. */
const mathGrades: [number, (number | null)[], number][] = [
  [7, [62, 11, 5, 42, 6], 1795443962],
  [8, [69, 12, 6, null, 7], 1795443962],
  [9, [76, 13, 7, null, 8], 1795443962],
  [10, [83, null, 8, null, 9], 1795443962],
  [11, [90, null, 9, null, 10], 1795443963],
  [12, [null, null, 10, null, 5], 1795443963],
];

export function defaultSeed(): SimSeed {
  const users: SimUser[] = [
    seedUser({
      id: 1,
      username: 'guest',
      firstname: 'Guest user',
      lastname: ' ',
      email: 'root@localhost',
      auth: 'manual',
    }),
    seedUser({
      id: 2,
      username: 'admin',
      firstname: 'Admin',
      lastname: 'User',
      email: 'admin@example.invalid',
      siteAdmin: true,
    }),
    seedUser({
      id: 3,
      username: 'wsconnector',
      firstname: 'Connector',
      lastname: 'Service',
      email: 'wsconnector@example.invalid',
      capabilities: new Set(ALL_CAPABILITIES),
    }),
    seedUser({
      id: 4,
      username: 'wsconnector_limited',
      firstname: 'Connector',
      lastname: 'Limited',
      email: 'wsconnector_limited@example.invalid',
      capabilities: new Set(LIMITED_CAPABILITIES),
    }),
    ...people.map(([id, username, firstname, lastname]) =>
      seedUser({
        id,
        username,
        firstname,
        lastname,
        email: `${username}@students.example.invalid`,
        idnumber: `SIS-${username}`,
        password: `Lab#Pass-${username}`,
      }),
    ),
  ];
  const ivan = users.find((u) => u.id === 14);
  if (ivan) Object.assign(ivan, { email: 'ivan.petrov@students.example.invalid', city: 'Sofia' });

  const categories: SimCategory[] = [
    [1, 'Category 1', null, ''],
    [2, 'School of Science', 'SIS-FAC-SCI', 'Seeded by the lab'],
    [3, 'Humanities', 'SIS-FAC-HUM', ''],
  ].map(([id, name, idnumber, description]) => ({
    id: id as number,
    name: name as string,
    idnumber: idnumber as string | null,
    description: description as string,
    descriptionformat: 1,
    parent: 0,
    sortorder: (id as number) * 10000,
    visible: 1,
    visibleold: 1,
    timemodified: id === 1 ? 1795443757 : 1795443933,
    depth: 1,
    path: `/${id}`,
    theme: '',
  }));

  const courses: SimCourse[] = [
    seedCourse({
      id: 1,
      category: 0,
      sortorder: 1,
      fullname: 'ClassBridge Test School',
      shortname: 'cbschool',
      summary: 'A simulated Moodle site',
      format: 'site',
      newsitems: 3,
      startdate: 0,
      enddate: 0,
      numsections: 1,
      hiddensections: 0,
      enablecompletion: 0,
      contextid: 2,
      timecreated: 1795443757,
      timemodified: 1795443812,
      showactivitydates: false,
      showcompletionconditions: null,
    }),
    seedCourse({
      id: 2,
      category: 2,
      sortorder: 20002,
      fullname: 'Mathematics 101',
      shortname: 'MATH101-2026S1',
      idnumber: 'SIS-MATH101-2026S1',
      summary: 'Intro to mathematics',
      numsections: 4,
      contextid: 15,
      cacherev: 1795443979,
    }),
    seedCourse({
      id: 3,
      category: 2,
      sortorder: 20001,
      fullname: 'Biology 110 (Spring)',
      shortname: 'BIO110-2026S1',
      idnumber: 'SIS-BIO110-2026S1',
      summary: 'Updated via REST',
      contextid: 16,
      timemodified: 1795443975,
      cacherev: 1795444056,
    }),
    seedCourse({
      id: 4,
      category: 3,
      sortorder: 30001,
      fullname: 'History 201',
      shortname: 'HIST201-2026S1',
      idnumber: 'SIS-HIST201-2026S1',
      visible: 0,
      contextid: 17,
    }),
  ];

  const enrolInstances: SimEnrolInstance[] = [2, 3, 4].flatMap((courseid, i) => [
    { id: i * 3 + 1, courseid, enrol: 'manual' as const, status: 0 },
    { id: i * 3 + 2, courseid, enrol: 'guest' as const, status: 1 },
    { id: i * 3 + 3, courseid, enrol: 'self' as const, status: 1 },
  ]);
  const manualInstance = (courseid: number): number => (courseid - 2) * 3 + 1;

  // Sections: MATH101 has 0–4 (ids 1–5), BIO110 and HIST201 0–3.
  const sections: SimSection[] = [];
  const addSections = (courseid: number, count: number): void => {
    for (let section = 0; section <= count; section++) {
      sections.push({ id: sections.length + 1, courseid, section, name: null, summary: '', visible: 1, sequence: [] });
    }
  };
  addSections(2, 4);
  addSections(3, 3);
  addSections(4, 3);
  const sectionOf = (courseid: number, section: number): SimSection => {
    const found = sections.find((s) => s.courseid === courseid && s.section === section);
    if (!found) throw new Error(`seed: no section ${section} in course ${courseid}`);
    return found;
  };

  const modules: SimModule[] = [];
  const addModule = (
    courseid: number,
    section: number,
    m: Omit<SimModule, 'courseid' | 'sectionid' | 'visibleoncoursepage' | 'timemodified' | 'duedate' | 'customdata'> &
      Partial<SimModule>,
  ): void => {
    const target = sectionOf(courseid, section);
    modules.push({
      courseid,
      sectionid: target.id,
      visibleoncoursepage: 1,
      timemodified: 1795443962,
      duedate: 0,
      customdata: '""',
      ...m,
    });
    target.sequence.push(m.id);
  };
  // MATH101, as in ok_core_course_get_contents (cmids, instances and context ids included).
  addModule(2, 0, {
    id: 1,
    modname: 'forum',
    instance: 1,
    name: 'Announcements',
    visible: 1,
    contextid: 47,
    completion: 0,
    customdata: '{"trackingtype":"1"}',
  });
  addModule(2, 0, { id: 8, modname: 'page', instance: 1, name: 'Syllabus', visible: 1, contextid: 32, completion: 1 });
  addModule(2, 0, {
    id: 9,
    modname: 'page',
    instance: 2,
    name: 'Teacher notes (hidden page)',
    visible: 0,
    contextid: 33,
    completion: 1,
    timemodified: 1795444052,
  });
  addModule(2, 1, {
    id: 4,
    modname: 'assign',
    instance: 1,
    name: 'Algebra homework',
    visible: 1,
    contextid: 28,
    completion: 1,
    duedate: 1796048761,
    customdata: '{"duedate":1796048761}',
  });
  addModule(2, 1, {
    id: 6,
    modname: 'quiz',
    instance: 1,
    name: 'Weekly quiz 1',
    visible: 1,
    contextid: 30,
    completion: 1,
  });
  addModule(2, 2, {
    id: 5,
    modname: 'assign',
    instance: 2,
    name: 'Geometry essay',
    visible: 1,
    contextid: 29,
    completion: 1,
    duedate: 1796653561,
    customdata: '{"duedate":1796653561}',
  });
  addModule(2, 3, {
    id: 7,
    modname: 'assign',
    instance: 3,
    name: 'Final exam (hidden)',
    visible: 0,
    contextid: 31,
    completion: 1,
  });
  // BIO110 and HIST201: news forums, and two BIO110 lab reports in a grade category.
  addModule(3, 0, {
    id: 2,
    modname: 'forum',
    instance: 2,
    name: 'Announcements',
    visible: 1,
    contextid: 48,
    completion: 0,
    customdata: '{"trackingtype":"1"}',
  });
  addModule(4, 0, {
    id: 3,
    modname: 'forum',
    instance: 3,
    name: 'Announcements',
    visible: 1,
    contextid: 49,
    completion: 0,
    customdata: '{"trackingtype":"1"}',
  });
  addModule(3, 1, {
    id: 10,
    modname: 'assign',
    instance: 4,
    name: 'Lab report 1',
    visible: 1,
    contextid: 50,
    completion: 2,
  });
  addModule(3, 2, {
    id: 11,
    modname: 'assign',
    instance: 5,
    name: 'Lab report 2',
    visible: 1,
    contextid: 51,
    completion: 2,
  });

  const gradeCategories: SimGradeCategory[] = [
    { id: 1, courseid: 2, parent: null, fullname: '?' },
    { id: 2, courseid: 3, parent: null, fullname: '?' },
    { id: 3, courseid: 4, parent: null, fullname: '?' },
    { id: 4, courseid: 3, parent: 2, fullname: 'Labs' },
  ];
  const item = (
    i: Pick<SimGradeItem, 'id' | 'courseid' | 'itemtype' | 'sortorder'> & Partial<SimGradeItem>,
  ): SimGradeItem => ({
    itemmodule: null,
    iteminstance: null,
    itemnumber: 0,
    itemname: null,
    idnumber: null,
    categoryid: null,
    grademin: 0,
    grademax: 100,
    hidden: false,
    locked: false,
    cmid: null,
    ...i,
  });
  const gradeItems: SimGradeItem[] = [
    item({ id: 1, courseid: 2, itemtype: 'course', iteminstance: 1, itemnumber: null, sortorder: 1 }),
    item({
      id: 2,
      courseid: 2,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: 1,
      itemname: 'Algebra homework',
      idnumber: 'SIS-MATH101-2026S1-A1',
      categoryid: 1,
      grademax: 100,
      sortorder: 2,
      cmid: 4,
    }),
    item({
      id: 3,
      courseid: 2,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: 2,
      itemname: 'Geometry essay',
      idnumber: 'SIS-MATH101-2026S1-A2',
      categoryid: 1,
      grademax: 20,
      sortorder: 3,
      cmid: 5,
    }),
    item({
      id: 4,
      courseid: 2,
      itemtype: 'mod',
      itemmodule: 'quiz',
      iteminstance: 1,
      itemname: 'Weekly quiz 1',
      idnumber: 'SIS-MATH101-2026S1-Q1',
      categoryid: 1,
      grademax: 10,
      sortorder: 4,
      cmid: 6,
    }),
    item({
      id: 5,
      courseid: 2,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: 3,
      itemname: 'Final exam (hidden)',
      idnumber: 'SIS-MATH101-2026S1-HIDDEN',
      categoryid: 1,
      grademax: 50,
      hidden: true,
      sortorder: 5,
      cmid: 7,
    }),
    item({
      id: 6,
      courseid: 2,
      itemtype: 'manual',
      itemname: 'Participation',
      idnumber: 'SIS-MATH101-2026S1-PART',
      categoryid: 1,
      grademax: 10,
      sortorder: 6,
    }),
    item({ id: 7, courseid: 3, itemtype: 'course', iteminstance: 2, itemnumber: null, sortorder: 1 }),
    item({
      id: 8,
      courseid: 3,
      itemtype: 'category',
      iteminstance: 4,
      itemnumber: null,
      idnumber: 'SIS-BIO110-2026S1-LABS',
      sortorder: 2,
    }),
    item({
      id: 9,
      courseid: 3,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: 4,
      itemname: 'Lab report 1',
      categoryid: 4,
      grademax: 20,
      sortorder: 3,
      cmid: 10,
    }),
    item({
      id: 10,
      courseid: 3,
      itemtype: 'mod',
      itemmodule: 'assign',
      iteminstance: 5,
      itemname: 'Lab report 2',
      categoryid: 4,
      grademax: 20,
      sortorder: 4,
      cmid: 11,
    }),
    item({
      id: 11,
      courseid: 3,
      itemtype: 'manual',
      itemname: 'Field trip',
      categoryid: 2,
      grademax: 10,
      sortorder: 5,
    }),
    item({ id: 12, courseid: 4, itemtype: 'course', iteminstance: 3, itemnumber: null, sortorder: 1 }),
  ];

  const grades: SimGrade[] = [];
  for (const [userid, values, time] of mathGrades) {
    values.forEach((finalgrade, i) => {
      const itemid = i + 2;
      if (finalgrade === null) return;
      grades.push({
        itemid,
        userid,
        finalgrade,
        hidden: false,
        feedback: itemid === 6 ? 'Good participation' : '',
        timemodified: time,
      });
    });
  }
  const bio: [number, number, number | null, number][] = [
    [7, 18, 15, 8],
    [9, 12, null, 9],
    [11, 16, 17, 10],
  ];
  for (const [userid, lab1, lab2, trip] of bio) {
    grades.push({ itemid: 9, userid, finalgrade: lab1, hidden: false, feedback: '', timemodified: SEED_TIME });
    if (lab2 !== null)
      grades.push({ itemid: 10, userid, finalgrade: lab2, hidden: false, feedback: '', timemodified: SEED_TIME });
    grades.push({ itemid: 11, userid, finalgrade: trip, hidden: false, feedback: '', timemodified: SEED_TIME });
  }

  const groups: SimGroup[] = [
    {
      id: 1,
      courseid: 2,
      name: 'Tutorial A',
      description: 'Mon 9am',
      idnumber: 'SIS-MATH101-TUT-A',
      members: [7, 8, 9],
    },
    {
      id: 2,
      courseid: 2,
      name: 'Tutorial B',
      description: 'Wed 2pm',
      idnumber: 'SIS-MATH101-TUT-B',
      members: [10, 11, 12],
    },
  ].map((g) => ({ ...g, descriptionformat: 1, enrolmentkey: '', visibility: 0, participation: true }));

  const site: SimSite = {
    webServicesEnabled: true,
    restEnabled: true,
    maintenance: false,
    lang: 'en',
    theme: 'boost',
    themeRevision: 1795443797,
    calendarType: 'gregorian',
    allowAccountsSameEmail: false,
  };

  return {
    site,
    siteCourseId: 1,
    users,
    roles: standardRoles(),
    categories,
    courses,
    enrolInstances,
    userEnrolments: enrolments.map(([userid, courseid]) => ({
      enrolid: manualInstance(courseid),
      userid,
      status: 0,
      timestart: 0,
      timeend: 0,
    })),
    roleAssignments: enrolments.map(([userid, courseid, roleid]) => ({ userid, courseid, roleid })),
    groups,
    sections,
    modules,
    gradeCategories,
    gradeItems,
    grades,
    completions: [
      { cmid: 8, userid: 7, state: 1, timecompleted: 1795443962 },
      { cmid: 4, userid: 7, state: 1, timecompleted: 1795443962 },
    ],
    services: [
      {
        id: 1,
        name: 'ClassBridge connector',
        shortname: 'classbridge',
        enabled: true,
        restrictedUsers: true,
        authorisedUsers: new Set([3, 4]),
        functions: [...SIMULATED_FUNCTIONS],
      },
    ],
    tokens: [{ token: DEFAULT_CONNECTOR_TOKEN, userid: 3, serviceid: 1, validuntil: 0 }],
  };
}

export interface FreshSiteOptions {
  /**
   * Role ids as this site has them. A customised or upgraded site renumbers roles (Totara adds its own,
   * an admin deletes and re-creates one): give shortname → id to move them off Moodle's defaults.
   */
  roleIds?: Readonly<Record<string, number>>;
  /** Capabilities of the connector's role (default: all of the §7 checklist). */
  capabilities?: readonly string[];
}

/**
 * A site as a school has it on the day it installs ClassBridge (reference §10): the guest, the admin and
 * the connector account, the front page, the default category, no courses, no participants — so no role id
 * can be learnt from anyone's enrolments.
 */
export function freshSiteSeed(options: FreshSiteOptions = {}): SimSeed {
  const lab = defaultSeed();
  const keep = new Set([1, 2, 3]);
  const roles = standardRoles().map((r) => ({ ...r, id: options.roleIds?.[r.shortname] ?? r.id }));
  const users = lab.users
    .filter((u) => keep.has(u.id))
    .map((u) => (u.id === 3 && options.capabilities ? { ...u, capabilities: new Set(options.capabilities) } : u));
  return {
    ...lab,
    users,
    roles,
    categories: lab.categories.filter((c) => c.id === 1),
    courses: lab.courses.filter((c) => c.id === lab.siteCourseId),
    enrolInstances: [],
    userEnrolments: [],
    roleAssignments: [],
    groups: [],
    sections: [],
    modules: [],
    gradeCategories: [],
    gradeItems: [],
    grades: [],
    completions: [],
    services: lab.services.map((s) => ({ ...s, authorisedUsers: new Set([3]) })),
  };
}
