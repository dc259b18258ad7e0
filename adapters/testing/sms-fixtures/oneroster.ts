import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import type { SyntheticSchool, SyntheticStaff, SyntheticStudent } from './school';
import { guardiansOf, type SyntheticGuardian } from './guardians';

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

/** A guardian as users.csv has them: no username of their own in the SMS (the column is required: their id). */
function guardianRow(g: SyntheticGuardian, version: OneRosterFixtureVersion): Row {
  const row: Row = {
    sourcedId: g.id,
    status: 'active',
    dateLastModified: MODIFIED,
    enabledUser: 'true',
    username: g.id,
    givenName: g.givenName,
    familyName: g.familyName,
    email: g.email,
    agentSourcedIds: g.studentIds.join(','),
  };
  if (version === '1.1') Object.assign(row, { orgSourcedIds: ORG, role: g.oneRosterRole });
  else row.primaryOrgSourcedId = ORG;
  return row;
}

/** One OneRoster file as its columns and rows, so it can be written whole or streamed. */
export interface OneRosterTable {
  name: string;
  columns: string[];
  rows: Iterable<Row>;
}

/** The school's data files (manifest aside), rows generated lazily so a 200,000-user set streams. */
export function oneRosterTables(school: SyntheticSchool, options: OneRosterFixtureOptions = {}): OneRosterTable[] {
  const version = options.version ?? '1.2';
  const order = options.columnOrder ?? 'spec';
  const ordered = (columns: string[]): string[] => (order === 'reversed' ? [...columns].reverse() : columns);
  // The school year spans every term (the sample school's run around today, across a calendar year).
  const yearStart = school.courses.map((c) => c.startDate).reduce((a, b) => (a < b ? a : b), '9999-12-31');
  const yearEnd = school.courses.map((c) => c.endDate).reduce((a, b) => (a > b ? a : b), '0000-01-01');
  const year = yearStart.slice(0, 4);
  const terms = new Map(school.courses.map((c) => [termId(c.startDate, c.endDate), c]));
  const courseById = new Map(school.courses.map((c) => [c.id, c]));
  const sessions: Row[] = [
    {
      sourcedId: YEAR,
      status: 'active',
      dateLastModified: MODIFIED,
      title: `${year} school year`,
      type: 'schoolYear',
      startDate: yearStart,
      endDate: yearEnd,
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
  // Guardians (guardians.ts): users with role parent/guardian/relative; agentSourcedIds on both sides.
  const agents = guardiansOf(school);
  function* people(): Generator<Row> {
    for (const s of school.students) {
      const row = userRow(s, 'student', version);
      const mine = agents.get(s.id);
      yield mine ? { ...row, agentSourcedIds: mine.join(',') } : row;
    }
    for (const s of school.staff) yield userRow(s, 'teacher', version);
    for (const g of school.guardians ?? []) yield guardianRow(g, version);
  }
  function* enrollments(): Generator<Row> {
    for (const k of school.classes) {
      yield {
        sourcedId: `enr-t-${k.id}`,
        status: 'active',
        dateLastModified: MODIFIED,
        classSourcedId: k.id,
        schoolSourcedId: ORG,
        userSourcedId: k.teacherId,
        role: 'teacher',
        primary: 'true',
      };
    }
    for (const e of school.enrolments) {
      yield {
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
      };
    }
  }
  function* roles(): Generator<Row> {
    const role = (id: string, name: string): Row => ({
      sourcedId: `rol-${id}`,
      status: 'active',
      dateLastModified: MODIFIED,
      userSourcedId: id,
      roleType: 'primary',
      role: name,
      orgSourcedId: ORG,
    });
    for (const s of school.students) yield role(s.id, 'student');
    for (const s of school.staff) yield role(s.id, 'teacher');
    for (const g of school.guardians ?? []) yield role(g.id, g.oneRosterRole);
  }
  const tables: OneRosterTable[] = [
    {
      name: 'orgs.csv',
      columns: ordered(HEADERS.orgs),
      rows: [
        {
          sourcedId: ORG,
          status: 'active',
          dateLastModified: MODIFIED,
          name: school.name,
          type: 'school',
          identifier: 'SCH1',
        },
      ],
    },
    { name: 'academicSessions.csv', columns: ordered(HEADERS.academicSessions), rows: sessions },
    {
      name: 'courses.csv',
      columns: ordered(HEADERS.courses),
      rows: school.courses.map((c) => ({
        sourcedId: c.id,
        status: 'active',
        dateLastModified: MODIFIED,
        schoolYearSourcedId: YEAR,
        title: c.name,
        courseCode: c.code,
        orgSourcedId: ORG,
      })),
    },
    {
      name: 'classes.csv',
      columns: ordered(HEADERS.classes),
      rows: school.classes.map((k) => {
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
    },
    { name: 'users.csv', columns: ordered(version === '1.1' ? HEADERS.users11 : HEADERS.users12), rows: people() },
    { name: 'enrollments.csv', columns: ordered(HEADERS.enrollments), rows: enrollments() },
  ];
  if (version === '1.2') {
    tables.push(
      { name: 'roles.csv', columns: ordered(HEADERS.roles), rows: roles() },
      {
        name: 'userProfiles.csv',
        columns: ordered(HEADERS.userProfiles),
        rows: school.staff.map((s) => ({
          sourcedId: `prf-${s.id}`,
          status: 'active',
          dateLastModified: MODIFIED,
          userSourcedId: s.id,
          profileType: 'lms',
          vendorId: 'classbridge',
          credentialType: 'password',
          username: s.username,
        })),
      },
    );
  }
  return tables;
}

function bulkManifest(version: OneRosterFixtureVersion, tables: readonly OneRosterTable[]): string {
  return oneRosterManifest(
    version,
    Object.fromEntries(tables.map((t) => [t.name.replace(/\.csv$/, ''), 'bulk' as const])),
  );
}

export function oneRosterFiles(school: SyntheticSchool, options: OneRosterFixtureOptions = {}): Record<string, string> {
  const tables = oneRosterTables(school, options);
  const files: Record<string, string> = {};
  for (const table of tables) files[table.name] = stringify([...table.rows], { header: true, columns: table.columns });
  files['manifest.csv'] = bulkManifest(options.version ?? '1.2', tables);
  return files;
}

/**
 * Writes the school as a OneRoster zip straight to disk, rows stringified and deflated in batches, so a
 * 200,000-user set (≈150 MB of CSV) never sits in memory as text or as a zip.
 */
export async function writeOneRosterZip(
  path: string,
  school: SyntheticSchool,
  options: OneRosterFixtureOptions = {},
): Promise<void> {
  const out = createWriteStream(path);
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else out.write(chunk);
    if (final) out.end();
  });
  const encoder = new TextEncoder();
  const drain = async (): Promise<void> => {
    if (failure) throw failure;
    if (out.writableNeedDrain) await once(out, 'drain');
  };
  const tables = oneRosterTables(school, options);
  for (const table of tables) {
    const entry = new ZipDeflate(table.name, { level: 6 });
    zip.add(entry);
    let batch: Row[] = [];
    let header = true;
    const flush = async (final: boolean): Promise<void> => {
      entry.push(encoder.encode(stringify(batch, { header, columns: table.columns })), final);
      header = false;
      batch = [];
      await drain();
    };
    for (const row of table.rows) {
      batch.push(row);
      if (batch.length === 2000) await flush(false);
    }
    await flush(true);
  }
  const manifest = new ZipDeflate('manifest.csv');
  zip.add(manifest);
  manifest.push(encoder.encode(bulkManifest(options.version ?? '1.2', tables)), true);
  zip.end();
  await once(out, 'finish');
  if (failure) throw failure;
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
