import type { SyntheticSchool, SyntheticStaff, SyntheticStudent } from './school';

/**
 * The synthetic school as KAMAR Directory Services messages (ref sms-formats.md A.2–A.4 shapes,
 * A.6 fixture plan): check, a full roll in chunks, part, unused types (results, attendance,
 * pastoral) and a malformed body. `count` is the number of records in the message itself, as in
 * every public sample. Leavers (inactive students) get a leaving date before `datetime`.
 */
export interface KamarFixtureOptions {
  /** YYYYMMDDhhmmss as a number (ref A.2). */
  datetime?: number;
  /** KAMAR build number. */
  version?: number;
}

export type KamarMessageJson = { SMSDirectoryData: Record<string, unknown> };

const DEFAULT_DATETIME = 20260615093000;
const LEAVING_DATE = 20260301;

function header(school: SyntheticSchool, sync: string, options: KamarFixtureOptions): Record<string, unknown> {
  return {
    datetime: options.datetime ?? DEFAULT_DATETIME,
    sync,
    sms: 'KAMAR',
    version: options.version ?? 2198,
    schools: [{ index: 1, schoolindex: 1, moeCode: '0999', name: school.name, type: 40, authoritative: true }],
  };
}

export function kamarCheckMessage(school: SyntheticSchool, options: KamarFixtureOptions = {}): KamarMessageJson {
  return {
    SMSDirectoryData: {
      ...header(school, 'check', options),
      infourl: 'https://school.example/kamar',
      privacystatement: 'Test school',
    },
  };
}

/** KAMAR's class identity for a synthetic class: subject = course code, coreoption = "<k>-1". */
export function kamarClassOf(school: SyntheticSchool, classId: string): { subject: string; coreoption: string } {
  const klass = school.classes.find((c) => c.id === classId);
  const course = school.courses.find((c) => c.id === klass?.courseId);
  return { subject: course?.code ?? 'UNKNOWN', coreoption: `${classId.split('-')[1] ?? '1'}-1` };
}

interface Indexes {
  /** Caregivers (guardians.ts) as KAMAR's caregivers[] records, by student. */
  caregiversByStudent: Map<string, Record<string, unknown>[]>;
  classesByStudent: Map<string, string[]>;
  classesByTeacher: Map<string, string[]>;
  classOf: Map<string, { subject: string; coreoption: string }>;
}

function indexSchool(school: SyntheticSchool): Indexes {
  const courseCode = new Map(school.courses.map((c) => [c.id, c.code]));
  const classOf = new Map(
    school.classes.map((c) => [
      c.id,
      { subject: courseCode.get(c.courseId) ?? 'UNKNOWN', coreoption: `${c.id.split('-')[1] ?? '1'}-1` },
    ]),
  );
  const classesByStudent = new Map<string, string[]>();
  for (const e of school.enrolments) {
    const list = classesByStudent.get(e.studentId) ?? [];
    list.push(e.classId);
    classesByStudent.set(e.studentId, list);
  }
  const classesByTeacher = new Map<string, string[]>();
  for (const c of school.classes) {
    const list = classesByTeacher.get(c.teacherId) ?? [];
    list.push(c.id);
    classesByTeacher.set(c.teacherId, list);
  }
  // ref A.4 caregivers[] {ref, role, name, email, mobile, relationship, status}; mobile is written so the
  // receiver's pruning of it is tested.
  const caregiversByStudent = new Map<string, Record<string, unknown>[]>();
  (school.guardians ?? []).forEach((g, i) => {
    for (const s of g.studentIds) {
      const list = caregiversByStudent.get(s) ?? [];
      list.push({
        ref: 5000 + i,
        role: 'Caregiver',
        name: `${g.givenName} ${g.familyName}`,
        email: g.email,
        mobile: '021 555 0100',
        relationship: g.relationship,
        status: 'Current',
      });
      caregiversByStudent.set(s, list);
    }
  });
  return { caregiversByStudent, classesByStudent, classesByTeacher, classOf };
}

function studentRecord(student: SyntheticStudent, index: number, ix: Indexes): Record<string, unknown> {
  const classes = (ix.classesByStudent.get(student.id) ?? []).map((id) => ({ type: 'class', ...ix.classOf.get(id) }));
  return {
    id: Number(student.id),
    role: 'Student',
    created: 20260128080000,
    uniqueid: 2_000_000 + index,
    schoolindex: 1,
    nsn: student.nationalId,
    username: student.username,
    firstname: student.givenName,
    lastname: student.familyName,
    gender: student.gender,
    datebirth: Number(student.birthDate.replace(/-/g, '')),
    yearlevel: student.yearLevel,
    tutor: `${student.yearLevel}TUT`,
    email: student.email,
    ...(student.active ? {} : { leavingdate: LEAVING_DATE }),
    ...(ix.caregiversByStudent.has(student.id) ? { caregivers: ix.caregiversByStudent.get(student.id) } : {}),
    groups: [
      ...classes,
      { type: 'class', subject: 'FT', coreoption: `${student.yearLevel}TUT` },
      { type: 'group', ref: 11039, year: 2026, name: 'Kapa haka 2026', description: 'Admin', showreport: 0 },
    ],
  };
}

function staffRecord(member: SyntheticStaff, index: number, ix: Indexes): Record<string, unknown> {
  const classes = (ix.classesByTeacher.get(member.id) ?? []).map((id) => ({ type: 'class', ...ix.classOf.get(id) }));
  return {
    id: member.code,
    role: 'Staff',
    created: 20260128080000,
    uniqueid: 1_000_000 + index,
    schoolindex: [1],
    username: member.username,
    title: 'Ms',
    firstname: member.givenName,
    lastname: member.familyName,
    classification: 'Teacher',
    email: member.email,
    groups: [...classes, { type: 'department', name: 'Dept-Learning' }],
  };
}

/**
 * A full roll as KAMAR sends it in chunks (ref A.1): the first message carries staff and the subject
 * list, then students are spread evenly over `chunks` messages. A generator, so the L school can be
 * written chunk by chunk without holding the whole roll as JSON.
 */
export function* kamarFullPushChunks(
  school: SyntheticSchool,
  options: KamarFixtureOptions & { chunks?: number } = {},
): Generator<KamarMessageJson> {
  const ix = indexSchool(school);
  const chunks = Math.max(1, options.chunks ?? 1);
  const perChunk = Math.ceil(school.students.length / chunks);
  for (let c = 0; c < chunks; c++) {
    const students = school.students.slice(c * perChunk, (c + 1) * perChunk);
    const body: Record<string, unknown> = header(school, 'full', options);
    if (c === 0) {
      body.staff = { count: school.staff.length, data: school.staff.map((m, i) => staffRecord(m, i, ix)) };
      body.subjects = {
        count: school.courses.length,
        data: school.courses.map((course) => ({ id: course.code, created: 20260128080000, name: course.name })),
      };
    }
    body.students = { count: students.length, data: students.map((s) => studentRecord(s, Number(s.id), ix)) };
    yield { SMSDirectoryData: body };
  }
}

export function kamarFullPush(
  school: SyntheticSchool,
  options: KamarFixtureOptions & { chunks?: number } = {},
): KamarMessageJson[] {
  return [...kamarFullPushChunks(school, options)];
}

/** A `part` sync with the given students (changed people only, ref A.3), with optional edits applied. */
export function kamarPartPush(
  school: SyntheticSchool,
  students: readonly SyntheticStudent[],
  options: KamarFixtureOptions = {},
): KamarMessageJson {
  const ix = indexSchool(school);
  return {
    SMSDirectoryData: {
      ...header(school, 'part', options),
      students: { count: students.length, data: students.map((s) => studentRecord(s, Number(s.id), ix)) },
    },
  };
}

/** Messages ClassBridge does not use but must acknowledge (ref A.3/A.4 shapes). */
export function kamarUnusedMessage(
  school: SyntheticSchool,
  sync: 'results' | 'attendance' | 'pastoral',
  options: KamarFixtureOptions = {},
): KamarMessageJson {
  const students = school.students.slice(0, 3);
  const data = students.map((s) => {
    if (sync === 'attendance') {
      return { id: Number(s.id), nsn: s.nationalId, values: [{ date: '20260615', codes: '.PPP.RP.P', alt: '' }] };
    }
    if (sync === 'pastoral') {
      return { id: Number(s.id), nsn: s.nationalId, type: 'N', ref: 1, reason: 'Late', teacher: 'ABC1' };
    }
    return {
      id: Number(s.id),
      nsn: s.nationalId,
      type: 'A',
      number: '91027',
      version: 2,
      enrolled: true,
      published: false,
      date: '20260615',
      year: 2026,
      yearlevel: s.yearLevel,
      subject: 'MAT',
      result: 'Achieved',
    };
  });
  return { SMSDirectoryData: { ...header(school, sync, options), fullsync: 0, [sync]: { count: data.length, data } } };
}

/** A body cut off mid-record (what a dropped connection or a broken proxy leaves). */
export const KAMAR_MALFORMED_BODY =
  '{"SMSDirectoryData":{"datetime":20260615093000,"sync":"full","students":{"count":1,"data":[{"id":1';

/**
 * A full push shaped like KAMAR's own sample (wing5wong `tests/Unit/Stubs/fullRequest.json`, ref A.4):
 * one teacher in several classes of one subject (MMS0 82B-1 and 82C-1, DVCE 86A-1…86C-1) and one
 * student in two classes of one subject (MMS0 82B-1 and 82C-1) and in three form classes (FT).
 * Names are synthetic.
 */
export function kamarSampleFullPush(options: KamarFixtureOptions = {}): KamarMessageJson {
  const klass = (subject: string, coreoption: string) => ({ type: 'class', subject, coreoption });
  return {
    SMSDirectoryData: {
      datetime: options.datetime ?? DEFAULT_DATETIME,
      sync: 'full',
      sms: 'KAMAR',
      version: options.version ?? 2099,
      schools: [
        { index: 1, schoolindex: 1, moeCode: '0999', name: 'SAMPLE HIGH SCHOOL', type: 40, authoritative: true },
      ],
      staff: {
        count: 1,
        data: [
          {
            id: 'TWA',
            role: 'Staff',
            uniqueid: 1000002,
            schoolindex: [1],
            username: 'walker.t',
            title: 'Mr',
            firstname: 'Tane',
            lastname: 'Walker',
            classification: 'Teacher',
            groups: [
              klass('FT', 'TUTOR'),
              klass('MMS0', '82B-1'),
              klass('MMS0', '82C-1'),
              klass('DVCE', '86A-1'),
              klass('DVCE', '86B-1'),
              klass('DVCE', '86C-1'),
            ],
          },
        ],
      },
      students: {
        count: 1,
        data: [
          {
            id: 12345,
            role: 'Student',
            uniqueid: 1234567,
            schoolindex: 1,
            nsn: '0123456789',
            username: 'student.t.12345',
            firstname: 'Test',
            lastname: 'Student',
            yearlevel: 13,
            tutor: 'TUTOR',
            groups: [
              klass('OSTH', 'OSTH'),
              klass('FT', 'OSTH'),
              klass('FT', 'OSFR'),
              klass('MMS0', '82B-1'),
              klass('MMS0', '82C-1'),
              klass('FT', 'WHEBL'),
              { type: 'group', ref: 11039, year: 2026, name: 'Senior group', description: 'Admin', showreport: 0 },
            ],
          },
        ],
      },
    },
  };
}
