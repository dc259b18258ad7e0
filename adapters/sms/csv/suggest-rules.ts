/**
 * Header spellings seen in school and RTO exports, per target field, most specific first. Keys are
 * `headerKey` forms (lower case, letters and digits only). Order matters twice: rules earlier in a list
 * claim a header before later ones ("Teacher Surname" is the teacher's before "Surname" is the
 * student's), and within a rule an earlier key beats a later one ("Student ID" over "ID").
 */
export interface Rule {
  target: string;
  keys: readonly string[];
}

const PERSON_ID = ['studentid', 'studentnumber', 'studentno', 'studentcode', 'learnerid', 'clientid', 'clientcode'];
const PERSON_ID_GENERIC = ['personid', 'userid', 'smsid', 'idnumber', 'staffid', 'staffcode', 'id', 'externalid'];
const COURSE_ID = ['subjectcode', 'coursecode', 'unitcode', 'subject', 'course', 'courseid', 'subjectid', 'unit'];
const CLASS_ID = ['classcode', 'class', 'classid', 'groupcode', 'group', 'teachinggroup', 'sectioncode', 'section'];

const PERSON_DETAILS: readonly Rule[] = [
  { target: 'person.givenName', keys: ['firstname', 'givenname', 'forename', 'forenames', 'preferredname', 'first'] },
  { target: 'person.familyName', keys: ['surname', 'lastname', 'familyname', 'last'] },
  { target: 'person.email', keys: ['email', 'emailaddress', 'studentemail', 'schoolemail', 'email1'] },
  { target: 'person.username', keys: ['username', 'login', 'loginname', 'networklogin', 'networkusername'] },
  { target: 'person.role', keys: ['role', 'type', 'usertype', 'persontype'] },
  { target: 'person.extra.yearLevel', keys: ['yearlevel', 'yearlvl', 'year', 'yr', 'gradelevel', 'grade', 'level'] },
  { target: 'person.extra.nsn', keys: ['nsn', 'nationalstudentnumber'] },
  { target: 'person.extra.usi', keys: ['usi', 'uniquestudentidentifier'] },
];

const ENROLMENT_DETAILS: readonly Rule[] = [
  {
    target: 'enrolment.startDate',
    keys: ['enrolmentstartdate', 'startdate', 'enrolmentstart', 'datestarted', 'start'],
  },
  { target: 'enrolment.endDate', keys: ['enrolmentenddate', 'enddate', 'enrolmentend', 'finishdate', 'end'] },
  { target: 'enrolment.active', keys: ['enrolmentstatus', 'status', 'active'] },
  { target: 'enrolment.outcome', keys: ['outcome', 'outcomecode', 'outcomeidentifier', 'outcomeidentifiernational'] },
];

/** One row per enrolment: teacher columns first, then course/class, then the student. */
export const COMBINED_RULES: readonly Rule[] = [
  { target: 'teacher.givenName', keys: ['teacherfirstname', 'teachergivenname'] },
  { target: 'teacher.familyName', keys: ['teachersurname', 'teacherlastname', 'teacherfamilyname'] },
  { target: 'teacher.email', keys: ['teacheremail'] },
  { target: 'teacher.smsId', keys: ['teachercode', 'teacherid', 'teacher', 'teacherinitials'] },
  { target: 'course.name', keys: ['subjectname', 'coursename', 'subjectdescription', 'coursetitle', 'unitname'] },
  { target: 'group.name', keys: ['classname', 'groupname', 'classdescription'] },
  { target: 'course.smsId', keys: COURSE_ID },
  { target: 'group.smsId', keys: CLASS_ID },
  { target: 'course.startDate', keys: ['coursestartdate', 'subjectstartdate'] },
  { target: 'course.endDate', keys: ['courseenddate', 'subjectenddate'] },
  { target: 'person.smsId', keys: [...PERSON_ID, ...PERSON_ID_GENERIC] },
  ...PERSON_DETAILS,
  ...ENROLMENT_DETAILS,
];

export const PEOPLE_RULES: readonly Rule[] = [
  { target: 'person.smsId', keys: [...PERSON_ID, ...PERSON_ID_GENERIC] },
  ...PERSON_DETAILS,
  { target: 'person.active', keys: ['status', 'active', 'studentstatus'] },
];

export const COURSE_RULES: readonly Rule[] = [
  {
    target: 'course.name',
    keys: ['subjectname', 'coursename', 'coursetitle', 'unitname', 'name', 'title', 'description'],
  },
  { target: 'course.smsId', keys: [...COURSE_ID, 'code', 'id'] },
  { target: 'course.startDate', keys: ['startdate', 'start'] },
  { target: 'course.endDate', keys: ['enddate', 'end', 'finishdate'] },
];

export const GROUP_RULES: readonly Rule[] = [
  { target: 'group.name', keys: ['classname', 'groupname', 'name', 'description'] },
  { target: 'group.courseSmsId', keys: COURSE_ID },
  { target: 'group.smsId', keys: [...CLASS_ID, 'code', 'id'] },
];

export const ENROLMENT_RULES: readonly Rule[] = [
  { target: 'enrolment.courseName', keys: ['subjectname', 'coursename', 'coursetitle', 'unitname'] },
  { target: 'enrolment.courseSmsId', keys: COURSE_ID },
  { target: 'enrolment.groupSmsId', keys: CLASS_ID },
  { target: 'enrolment.personSmsId', keys: [...PERSON_ID, 'personid', 'userid', 'staffid', 'staffcode', 'id'] },
  { target: 'enrolment.role', keys: ['role', 'enrolmentrole', 'type'] },
  ...ENROLMENT_DETAILS,
];

/** Values a role column commonly holds; the wizard shows them for the user to adjust. */
export const DEFAULT_PERSON_ROLE_VALUES = { student: ['Student', 'S', 'Learner'], staff: ['Staff', 'Teacher', 'T'] };
export const DEFAULT_ENROLMENT_ROLE_VALUES = {
  student: ['Student', 'S', 'Learner'],
  teacher: ['Teacher', 'Staff', 'T'],
};
