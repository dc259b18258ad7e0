import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { zipSync } from 'fflate';
import type { SyntheticSchool, SyntheticStaff, SyntheticStudent } from './school';

/**
 * Writes the synthetic school as a OneRoster 1.1 or 1.2 CSV set (reference section E.1): orgs,
 * academicSessions, courses, classes, users (+ roles and userProfiles in 1.2), enrollments and manifest.csv.
 * sourcedIds are the school's own ids (students 100000…, staff T1000…, classes `<course>-<n>`), so tests can
 * compare the imported snapshot with the school. Inactive students are written with enabledUser=false.
 */
export type OneRosterFixtureVersion = '1.1' | '1.2';

export interface OneRosterFixtureOptions {
  version?: OneRosterFixtureVersion;
  /** 'reversed' writes every file's columns back to front (importers must map by header name). */
  columnOrder?: 'spec' | 'reversed';
}

type Row = Record<string, string>;
const ORG = 'org-school';
const YEAR = 'as-year';

const cols = (list: string): string[] => list.split(',');

const HEADERS = {
  orgs: cols('sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId'),
  academicSessions: cols('sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear'),
  courses: cols(
    'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes',
  ),
  classes: cols(
    'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
  ),
  users11: cols(
    'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,ext_nationalId',
  ),
  users12: cols(
    'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,ext_nationalId',
  ),
  roles: cols(
    'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId',
  ),
  userProfiles: cols(
    'sourcedId,status,dateLastModified,userSourcedId,profileType,vendorId,applicationId,description,credentialType,username,password',
  ),
  enrollments: cols(
    'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
  ),
};

const MODIFIED = '2026-01-20T09:00:00.000Z';

function csv(columns: string[], rows: Row[], order: 'spec' | 'reversed'): string {
  const ordered = order === 'reversed' ? [...columns].reverse() : columns;
  return stringify(rows, { header: true, columns: ordered });
}

function termId(start: string, end: string): string {
  return `as-term-${start}-${end}`;
}

function userRow(
  person: SyntheticStudent | SyntheticStaff,
  role: 'student' | 'teacher',
  version: OneRosterFixtureVersion,
): Row {
  const student = 'nationalId' in person ? person : undefined;
  const row: Row = {
    sourcedId: person.id,
    status: 'active',
    dateLastModified: MODIFIED,
    enabledUser: student && !student.active ? 'false' : 'true',
    username: person.username,
    givenName: person.givenName,
    familyName: person.familyName,
    identifier: person.id,
    email: person.email,
    grades: student && student.yearLevel > 0 ? String(student.yearLevel).padStart(2, '0') : '',
    ext_nationalId: student?.nationalId ?? '',
  };
  if (version === '1.1') Object.assign(row, { orgSourcedIds: ORG, role });
  else row.primaryOrgSourcedId = ORG;
  return row;
}

export function oneRosterFiles(school: SyntheticSchool, options: OneRosterFixtureOptions = {}): Record<string, string> {
  const version = options.version ?? '1.2';
  const order = options.columnOrder ?? 'spec';
  const year = school.courses[0]?.startDate.slice(0, 4) ?? '2026';
  const terms = new Map(school.courses.map((c) => [termId(c.startDate, c.endDate), c]));
  const courseById = new Map(school.courses.map((c) => [c.id, c]));
  const sessions: Row[] = [
    {
      sourcedId: YEAR,
      status: 'active',
      dateLastModified: MODIFIED,
      title: `${year} school year`,
      type: 'schoolYear',
      startDate: `${year}-01-01`,
      endDate: `${year}-12-31`,
      schoolYear: year,
    },
    ...[...terms].map(([id, c]) => ({
      sourcedId: id,
      status: 'active',
      dateLastModified: MODIFIED,
      title: `Term ${c.startDate}`,
      type: 'term',
      startDate: c.startDate,
      endDate: c.endDate,
      parentSourcedId: YEAR,
      schoolYear: year,
    })),
  ];
  const people = [
    ...school.students.map((s) => userRow(s, 'student', version)),
    ...school.staff.map((s) => userRow(s, 'teacher', version)),
  ];
  const enrollments: Row[] = [
    ...school.classes.map((k) => ({
      sourcedId: `enr-t-${k.id}`,
      status: 'active',
      dateLastModified: MODIFIED,
      classSourcedId: k.id,
      schoolSourcedId: ORG,
      userSourcedId: k.teacherId,
      role: 'teacher',
      primary: 'true',
    })),
    ...school.enrolments.map((e) => ({
      sourcedId: `enr-s-${e.studentId}-${e.classId}`,
      status: 'active',
      dateLastModified: MODIFIED,
      classSourcedId: e.classId,
      schoolSourcedId: ORG,
      userSourcedId: e.studentId,
      role: 'student',
      primary: 'false',
      beginDate: e.startDate,
      endDate: e.endDate,
    })),
  ];
  const files: Record<string, string> = {
    'orgs.csv': csv(
      HEADERS.orgs,
      [
        {
          sourcedId: ORG,
          status: 'active',
          dateLastModified: MODIFIED,
          name: school.name,
          type: 'school',
          identifier: 'SCH1',
        },
      ],
      order,
    ),
    'academicSessions.csv': csv(HEADERS.academicSessions, sessions, order),
    'courses.csv': csv(
      HEADERS.courses,
      school.courses.map((c) => ({
        sourcedId: c.id,
        status: 'active',
        dateLastModified: MODIFIED,
        schoolYearSourcedId: YEAR,
        title: c.name,
        courseCode: c.code,
        orgSourcedId: ORG,
      })),
      order,
    ),
    'classes.csv': csv(
      HEADERS.classes,
      school.classes.map((k) => {
        const course = courseById.get(k.courseId);
        return {
          sourcedId: k.id,
          status: 'active',
          dateLastModified: MODIFIED,
          title: `${course?.name ?? k.code} (${k.code})`,
          courseSourcedId: k.courseId,
          classCode: k.code,
          classType: 'scheduled',
          schoolSourcedId: ORG,
          termSourcedIds: course ? termId(course.startDate, course.endDate) : '',
        };
      }),
      order,
    ),
    'users.csv': csv(version === '1.1' ? HEADERS.users11 : HEADERS.users12, people, order),
    'enrollments.csv': csv(HEADERS.enrollments, enrollments, order),
  };
  if (version === '1.2') {
    files['roles.csv'] = csv(
      HEADERS.roles,
      [
        ...school.students.map((s) => ({
          sourcedId: `rol-${s.id}`,
          status: 'active',
          dateLastModified: MODIFIED,
          userSourcedId: s.id,
          roleType: 'primary',
          role: 'student',
          orgSourcedId: ORG,
        })),
        ...school.staff.map((s) => ({
          sourcedId: `rol-${s.id}`,
          status: 'active',
          dateLastModified: MODIFIED,
          userSourcedId: s.id,
          roleType: 'primary',
          role: 'teacher',
          orgSourcedId: ORG,
        })),
      ],
      order,
    );
    files['userProfiles.csv'] = csv(
      HEADERS.userProfiles,
      school.staff.map((s) => ({
        sourcedId: `prf-${s.id}`,
        status: 'active',
        dateLastModified: MODIFIED,
        userSourcedId: s.id,
        profileType: 'lms',
        vendorId: 'classbridge',
        credentialType: 'password',
        username: s.username,
      })),
      order,
    );
  }
  files['manifest.csv'] = oneRosterManifest(
    version,
    Object.fromEntries(Object.keys(files).map((name) => [name.replace(/\.csv$/, ''), 'bulk'])),
  );
  return files;
}

/** manifest.csv with the given file modes; every other file of the version is 'absent'. */
export function oneRosterManifest(version: string, modes: Record<string, 'bulk' | 'delta' | 'absent'>): string {
  const standard = [
    'academicSessions',
    'categories',
    'classes',
    'classResources',
    'courses',
    'courseResources',
    'demographics',
    'enrollments',
    'lineItems',
    'orgs',
    'resources',
    'results',
    'users',
    ...(version === '1.2' ? ['roles', 'userProfiles'] : []),
  ];
  const rows = [
    ['manifest.version', '1.0'],
    ['oneroster.version', version],
    ...standard.map((f) => [`file.${f}`, modes[f] ?? 'absent']),
    ['source.systemName', 'Synthetic SMS'],
  ];
  return stringify(rows, { header: true, columns: ['propertyName', 'value'] });
}

export async function writeFolder(files: Record<string, string>, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, 'utf8');
  return dir;
}

export function zipBytes(files: Record<string, string | Uint8Array>): Uint8Array {
  const encoder = new TextEncoder();
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, body]) => [name, typeof body === 'string' ? encoder.encode(body) : body]),
    ),
  );
}

/**
 * Streams a users.csv of about targetBytes: the school's own users first (so its enrollments still resolve),
 * then filler students. Each filler row is padded to ~padTo bytes through the `password` column, which the
 * importer never keeps, so a 200 MB file exercises streaming without a snapshot of millions of people.
 */
export async function writeLargeUsersCsv(
  path: string,
  school: SyntheticSchool,
  options: { version: OneRosterFixtureVersion; targetBytes: number; padTo?: number },
): Promise<number> {
  const columns = options.version === '1.1' ? HEADERS.users11 : HEADERS.users12;
  const out = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let bytes = 0;
  let rows = 0;
  let batch: Row[] = [];
  const flush = async (): Promise<void> => {
    const text = stringify(batch, { columns });
    bytes += Buffer.byteLength(text);
    rows += batch.length;
    batch = [];
    await write(text);
  };
  await write(stringify([], { header: true, columns }));
  for (const s of school.students) batch.push(userRow(s, 'student', options.version));
  for (const s of school.staff) batch.push(userRow(s, 'teacher', options.version));
  await flush();
  const padding = 'x'.repeat(Math.max(0, (options.padTo ?? 2048) - 200));
  for (let i = 0; bytes < options.targetBytes; i++) {
    const base = school.students[i % school.students.length] as SyntheticStudent;
    batch.push({
      ...userRow({ ...base, id: `F${i}`, username: `filler${i}` }, 'student', options.version),
      password: padding,
    });
    if (batch.length === 500) await flush();
  }
  if (batch.length > 0) await flush();
  out.end();
  await once(out, 'finish');
  return rows;
}
