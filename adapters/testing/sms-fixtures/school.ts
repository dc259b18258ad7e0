import type { SyntheticGuardian } from './guardians';
import { FAMILY_NAMES, GIVEN_NAMES } from './names';
import { pick, seededRandom } from './random';

/**
 * A synthetic school or RTO: the one model each format's fixture writer (NAT files, OneRoster CSV,
 * KAMAR push, plain CSV) serialises, so every importer can be tested against the same people.
 * Deterministic for a given seed. Sizes: S = a class, L = 20,000 students and 100,000 enrolments.
 */
export type Country = 'nz' | 'au';

export interface SyntheticStudent {
  /** The SMS's own id (numeric text). */
  id: string;
  /** NZ National Student Number or AU Unique Student Identifier. */
  nationalId: string;
  givenName: string;
  familyName: string;
  gender: 'F' | 'M' | 'X';
  /** YYYY-MM-DD */
  birthDate: string;
  email: string;
  username: string;
  /** NZ year level 9–13; AU: 0 (not used). */
  yearLevel: number;
  active: boolean;
}

export interface SyntheticStaff {
  id: string;
  code: string;
  givenName: string;
  familyName: string;
  email: string;
  username: string;
}

export interface SyntheticCourse {
  id: string;
  /** NZ subject code (e.g. 10MAT) or AU unit of competency (e.g. BSBWHS311). */
  code: string;
  name: string;
  /** AU only: the qualification (program) the unit belongs to, e.g. BSB30120. */
  programCode?: string;
  programName?: string;
  startDate: string;
  endDate: string;
}

export interface SyntheticClass {
  id: string;
  courseId: string;
  /** e.g. 10MAT1 */
  code: string;
  teacherId: string;
}

export interface SyntheticEnrolment {
  studentId: string;
  courseId: string;
  classId: string;
  startDate: string;
  endDate: string;
}

export interface SyntheticSchool {
  country: Country;
  name: string;
  students: SyntheticStudent[];
  staff: SyntheticStaff[];
  courses: SyntheticCourse[];
  classes: SyntheticClass[];
  enrolments: SyntheticEnrolment[];
  /** Parents and caregivers (guardians.ts withGuardians); absent: the school's export has none. */
  guardians?: SyntheticGuardian[];
}

export interface SchoolSize {
  students: number;
  enrolmentsPerStudent: number;
}

export const SIZE_S: SchoolSize = { students: 30, enrolmentsPerStudent: 4 };
export const SIZE_L: SchoolSize = { students: 20_000, enrolmentsPerStudent: 5 };

const NZ_SUBJECTS = [
  ['MAT', 'Mathematics'],
  ['ENG', 'English'],
  ['SCI', 'Science'],
  ['SOC', 'Social Studies'],
  ['MAO', 'Te Reo Māori'],
  ['ART', 'Visual Arts'],
  ['PED', 'Physical Education'],
  ['DTC', 'Digital Technology'],
  ['MUS', 'Music'],
  ['BIO', 'Biology'],
  ['CHE', 'Chemistry'],
  ['PHY', 'Physics'],
  ['HIS', 'History'],
  ['GEO', 'Geography'],
  ['ECO', 'Economics'],
] as const;

const AU_PROGRAMS = [
  {
    code: 'BSB30120',
    name: 'Certificate III in Business',
    units: [
      ['BSBWHS311', 'Assist with maintaining workplace safety'],
      ['BSBCRT311', 'Apply critical thinking skills in a team environment'],
      ['BSBTEC301', 'Design and produce business documents'],
      ['BSBPEF301', 'Organise personal work priorities'],
      ['BSBSUS211', 'Participate in sustainable work practices'],
    ],
  },
  {
    code: 'CHC33021',
    name: 'Certificate III in Individual Support',
    units: [
      ['CHCCCS031', 'Provide individualised support'],
      ['CHCCOM005', 'Communicate and work in health or community services'],
      ['HLTWHS002', 'Follow safe work practices for direct client care'],
      ['CHCDIV001', 'Work with diverse people'],
      ['HLTINF006', 'Apply basic principles and practices of infection prevention and control'],
    ],
  },
  {
    code: 'SIT30622',
    name: 'Certificate III in Hospitality',
    units: [
      ['SITHFAB021', 'Provide responsible service of alcohol'],
      ['SITXFSA005', 'Use hygienic practices for food safety'],
      ['SITHCCC023', 'Use food preparation equipment'],
      ['SITXCCS014', 'Provide service to customers'],
      ['SITHIND006', 'Source and use information on the hospitality industry'],
    ],
  },
  {
    code: 'ICT40120',
    name: 'Certificate IV in Information Technology',
    units: [
      ['ICTICT451', 'Comply with IP, ethics and privacy policies in ICT environments'],
      ['ICTPRG435', 'Write scripts for software applications'],
      ['ICTSAS432', 'Identify and resolve client ICT problems'],
      ['BSBXCS402', 'Promote workplace cyber security awareness and best practices'],
      ['ICTWEB431', 'Create and style simple markup language documents'],
    ],
  },
] as const;

export interface SchoolOptions {
  seed?: number;
  size?: SchoolSize;
  country?: Country;
  /**
   * The day the school is generated for (default: now). Courses and enrolments run around it (they
   * started 4 months before and end 7 months after), so a demo or test made from the school finds
   * them current on any day it runs, in January or across a year boundary as much as in June.
   */
  today?: Date;
}

/** How far the generated teaching period reaches either side of `today`. */
const TERM_STARTED_DAYS_AGO = 120;
const TERM_ENDS_IN_DAYS = 210;

export function generateSchool(options: SchoolOptions = {}): SyntheticSchool {
  const random = seededRandom(options.seed ?? 2026);
  const size = options.size ?? SIZE_S;
  const country = options.country ?? 'nz';
  const today = options.today ?? new Date();
  const year = today.getUTCFullYear();
  const termStart = isoDay(today, -TERM_STARTED_DAYS_AGO);
  const termEnd = isoDay(today, TERM_ENDS_IN_DAYS);
  const courses: SyntheticCourse[] = [];
  if (country === 'nz') {
    for (const level of [9, 10, 11, 12, 13]) {
      for (const [code, name] of NZ_SUBJECTS) {
        courses.push({
          id: `${courses.length + 1}`,
          code: `${level}${code}`,
          name: `Year ${level} ${name}`,
          startDate: termStart,
          endDate: termEnd,
        });
      }
    }
  } else {
    for (const program of AU_PROGRAMS) {
      for (const [code, name] of program.units) {
        courses.push({
          id: `${courses.length + 1}`,
          code,
          name,
          programCode: program.code,
          programName: program.name,
          // A few days later than the NZ term, as RTO intakes start after schools do.
          startDate: isoDay(today, 7 - TERM_STARTED_DAYS_AGO),
          endDate: isoDay(today, TERM_ENDS_IN_DAYS - 14),
        });
      }
    }
  }
  const staff: SyntheticStaff[] = [];
  const staffCount = Math.max(3, Math.ceil(size.students / 25));
  for (let i = 0; i < staffCount; i++) {
    const givenName = pick(random, GIVEN_NAMES);
    const familyName = pick(random, FAMILY_NAMES);
    const code = `${ascii(givenName)[0] ?? 'X'}${ascii(familyName).slice(0, 2)}`.toUpperCase() + (i + 1);
    staff.push({
      id: `T${1000 + i}`,
      code,
      givenName,
      familyName,
      email: `${code.toLowerCase()}@staff.school.example`,
      username: code.toLowerCase(),
    });
  }
  // Several classes per course, each with a teacher.
  const classes: SyntheticClass[] = [];
  const classesPerCourse = Math.max(1, Math.ceil((size.students * size.enrolmentsPerStudent) / courses.length / 28));
  for (const course of courses) {
    for (let k = 1; k <= classesPerCourse; k++) {
      classes.push({
        id: `${course.id}-${k}`,
        courseId: course.id,
        code: `${course.code}${k}`,
        teacherId: pick(random, staff).id,
      });
    }
  }
  const classesByCourse = new Map<string, SyntheticClass[]>();
  for (const c of classes) classesByCourse.set(c.courseId, [...(classesByCourse.get(c.courseId) ?? []), c]);

  const students: SyntheticStudent[] = [];
  const enrolments: SyntheticEnrolment[] = [];
  for (let i = 0; i < size.students; i++) {
    const givenName = pick(random, GIVEN_NAMES);
    const familyName = pick(random, FAMILY_NAMES);
    const id = `${100000 + i}`;
    const yearLevel = country === 'nz' ? 9 + Math.floor(random() * 5) : 0;
    const birthYear = country === 'nz' ? year - yearLevel - 5 : 1975 + Math.floor(random() * 30);
    const username = `${ascii(givenName)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}.${ascii(familyName)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}${i}`;
    students.push({
      id,
      nationalId: country === 'nz' ? `${100000000 + Math.floor(random() * 899999999)}` : usi(random),
      givenName,
      familyName,
      gender: pick(random, ['F', 'M', 'F', 'M', 'X'] as const),
      birthDate: `${birthYear}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
      email: `${username}@students.school.example`,
      username,
      yearLevel,
      active: random() > 0.02,
    });
    // Enrolments: NZ at the student's year level, AU within one program.
    const program = pick(random, AU_PROGRAMS).code;
    const pool =
      country === 'nz'
        ? courses.filter((c) => c.code.startsWith(`${yearLevel}`))
        : courses.filter((c) => c.programCode === program);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(size.enrolmentsPerStudent, pool.length)) chosen.add(pick(random, pool).id);
    for (const courseId of chosen) {
      const course = courses.find((c) => c.id === courseId) as SyntheticCourse;
      const klass = pick(random, classesByCourse.get(courseId) ?? []);
      enrolments.push({
        studentId: id,
        courseId,
        classId: klass.id,
        startDate: course.startDate,
        endDate: course.endDate,
      });
    }
  }
  return {
    country,
    name: country === 'nz' ? 'Kura Tuarua o Te Awa' : 'Southern Cross Training RTO',
    students,
    staff,
    courses,
    classes,
    enrolments,
  };
}

/** The calendar day `days` from `from` (UTC), as YYYY-MM-DD. */
function isoDay(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Strips diacritics (ā → a), as AVETMISS and usernames need plain ASCII. */
export function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’]/g, "'");
}

const USI_CHARS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function usi(random: () => number): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += pick(random, [...USI_CHARS]);
  return out;
}
