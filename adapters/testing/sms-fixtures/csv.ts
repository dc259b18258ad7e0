import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CsvMappingInput } from '../../sms/csv/mapping';
import type { SyntheticSchool } from './school';

/**
 * Plain-CSV exports of the synthetic school, the way a school's report writer produces them: either one
 * combined file (one row per enrolment, student and class side by side) or separate files. Each shape
 * comes with the mapping that reads it, so tests compare the import with the school it came from.
 */
export interface CsvFixtureOptions {
  delimiter?: ',' | ';' | '\t';
  lineEnding?: '\n' | '\r\n';
  /** `nz`: DD/MM/YYYY as NZ/AU Excel writes them; `iso`: YYYY-MM-DD. */
  dates?: 'iso' | 'nz';
  /** Bytes of free-text "Notes" per row (a wide export); 0 = no Notes column. */
  notesBytes?: number;
}

export const COMBINED_FILE = 'enrolments.csv';

export const COMBINED_CSV_MAPPING = {
  mode: 'combined',
  file: COMBINED_FILE,
  person: {
    smsId: 'Student ID',
    givenName: 'First Name',
    familyName: 'Surname',
    email: 'Email',
    username: 'Username',
    active: { column: 'Status', inactive: ['Left'] },
    extra: { yearLevel: 'Year Level', nsn: 'NSN' },
  },
  course: { smsId: 'Subject', name: 'Subject Name', startDate: 'Start Date', endDate: 'End Date' },
  group: { smsId: 'Class' },
  teacher: { smsId: 'Teacher Code', givenName: 'Teacher First Name', familyName: 'Teacher Surname' },
} satisfies CsvMappingInput;

export const SEPARATE_FILES = {
  people: 'people.csv',
  courses: 'courses.csv',
  groups: 'classes.csv',
  enrolments: 'enrolments.csv',
} as const;

export const SEPARATE_CSV_MAPPING = {
  mode: 'separate',
  files: SEPARATE_FILES,
  people: {
    smsId: 'ID',
    givenName: 'Given Name',
    familyName: 'Family Name',
    email: 'Email',
    role: { column: 'Type', values: { student: ['Student', 'S'], staff: ['Teacher', 'Staff'] } },
    active: { column: 'Status', inactive: ['Left'] },
  },
  courses: { smsId: 'Course ID', code: 'Code', name: 'Name', startDate: 'Start', endDate: 'End' },
  groups: { smsId: 'Class Code', courseSmsId: 'Course ID', name: 'Class Code' },
  enrolments: {
    personSmsId: 'Person ID',
    courseSmsId: 'Course ID',
    groupSmsId: 'Class Code',
    role: { column: 'Role', values: { student: ['Student'], teacher: ['Teacher'] } },
  },
} satisfies CsvMappingInput;

/** The combined export, line by line (header first), so a 200 MB file never sits in memory. */
export function* combinedCsvLines(school: SyntheticSchool, options: CsvFixtureOptions = {}): Generator<string> {
  const { delimiter = ',', lineEnding = '\r\n', dates = 'iso', notesBytes = 0 } = options;
  const row = (cells: readonly string[]): string => cells.map((c) => quote(c, delimiter)).join(delimiter) + lineEnding;
  const students = new Map(school.students.map((s) => [s.id, s]));
  const staff = new Map(school.staff.map((s) => [s.id, s]));
  const courses = new Map(school.courses.map((c) => [c.id, c]));
  const classes = new Map(school.classes.map((c) => [c.id, c]));
  const header = ['Student ID', 'First Name', 'Surname', 'Email', 'Username', 'Status', 'Year Level', 'NSN'];
  header.push('Subject', 'Subject Name', 'Class', 'Teacher Code', 'Teacher First Name', 'Teacher Surname');
  header.push('Start Date', 'End Date', ...(notesBytes > 0 ? ['Notes'] : []));
  yield row(header);
  const notes = notesBytes > 0 ? 'Reported by the dean; "follow up", see file. '.repeat(notesBytes / 46 + 1) : '';
  for (const enrolment of school.enrolments) {
    const student = students.get(enrolment.studentId);
    const course = courses.get(enrolment.courseId);
    const klass = classes.get(enrolment.classId);
    const teacher = klass && staff.get(klass.teacherId);
    if (!student || !course || !klass || !teacher) continue;
    yield row([
      student.id,
      student.givenName,
      student.familyName,
      student.email,
      student.username,
      student.active ? 'Current' : 'Left',
      String(student.yearLevel),
      student.nationalId,
      course.code,
      course.name,
      klass.code,
      teacher.code,
      teacher.givenName,
      teacher.familyName,
      formatDate(enrolment.startDate, dates),
      formatDate(enrolment.endDate, dates),
      ...(notesBytes > 0 ? [notes.slice(0, notesBytes)] : []),
    ]);
  }
}

export function combinedCsv(school: SyntheticSchool, options: CsvFixtureOptions = {}): string {
  return [...combinedCsvLines(school, options)].join('');
}

/** people.csv (students and staff), courses.csv, classes.csv and enrolments.csv (students and teachers). */
export function separateCsvFiles(school: SyntheticSchool, options: CsvFixtureOptions = {}): Record<string, string> {
  const { delimiter = ',', lineEnding = '\r\n', dates = 'iso' } = options;
  const table = (rows: readonly (readonly string[])[]): string =>
    rows.map((cells) => cells.map((c) => quote(c, delimiter)).join(delimiter) + lineEnding).join('');
  const classOf = new Map(school.classes.map((c) => [c.id, c]));
  return {
    [SEPARATE_FILES.people]: table([
      ['ID', 'Given Name', 'Family Name', 'Email', 'Type', 'Status'],
      ...school.students.map((s) => [
        s.id,
        s.givenName,
        s.familyName,
        s.email,
        'Student',
        s.active ? 'Current' : 'Left',
      ]),
      ...school.staff.map((s) => [s.id, s.givenName, s.familyName, s.email, 'Teacher', 'Current']),
    ]),
    [SEPARATE_FILES.courses]: table([
      ['Course ID', 'Code', 'Name', 'Start', 'End'],
      ...school.courses.map((c) => [
        c.id,
        c.code,
        c.name,
        formatDate(c.startDate, dates),
        formatDate(c.endDate, dates),
      ]),
    ]),
    [SEPARATE_FILES.groups]: table([['Class Code', 'Course ID'], ...school.classes.map((c) => [c.code, c.courseId])]),
    [SEPARATE_FILES.enrolments]: table([
      ['Person ID', 'Course ID', 'Class Code', 'Role'],
      ...school.enrolments.map((e) => [e.studentId, e.courseId, classOf.get(e.classId)?.code ?? '', 'Student']),
      ...school.classes.map((c) => [c.teacherId, c.courseId, c.code, 'Teacher']),
    ]),
  };
}

/** Writes lines to disk with backpressure, in UTF-8 (optionally with a BOM). */
export async function writeCsvLines(lines: Iterable<string>, path: string, bom = false): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let bytes = 0;
  if (bom) out.write('\uFEFF');
  for (const line of lines) {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/**
 * Text as Windows-1252 bytes, as an old Excel "CSV (Comma delimited)" save on an NZ/AU PC does:
 * characters 1252 cannot hold (ā, ō) lose their macron, as Excel's "best fit" does.
 */
export function encodeWindows1252(text: string): Uint8Array {
  const decoder = new TextDecoder('windows-1252');
  const high = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) high.set(decoder.decode(Uint8Array.of(byte)), byte);
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0x3f;
    const direct = code < 0x80 ? code : high.get(char);
    const fallback = char.normalize('NFD').charCodeAt(0);
    bytes.push(direct ?? (fallback < 0x80 ? fallback : 0x3f));
  }
  return Uint8Array.from(bytes);
}

function quote(value: string, delimiter: string): string {
  if (!/["\r\n]/.test(value) && !value.includes(delimiter) && value.trim() === value) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

function formatDate(iso: string, style: 'iso' | 'nz'): string {
  if (style === 'iso') return iso;
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}
