/**
 * OneRoster CSV import (`npm run bench -- sms-oneroster`): OneRoster 1.2 zips written to a temp folder, each
 * imported once in a child process of its own, so peak RSS is the import's and not the generator's.
 * - size L: the L synthetic school (20,000 students, 100,000 enrolments);
 * - 200,000 users: 192,307 students + 7,693 staff, ~8,000 classes (users ÷ 25, each an LMS course), 5
 *   enrolments per student (~970,000 enrolment rows).
 * Per case: data rows per second (all CSV files), seconds, and peak RSS (the OS's high-water mark,
 * `resourceUsage().maxRSS`, which a sampling timer would miss during synchronous stretches).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createOneRosterAdapter } from '../adapters/sms/oneroster';
import { generateSchool, SIZE_L, type SyntheticSchool } from '../adapters/testing/sms-fixtures';
import { writeOneRosterZip } from '../adapters/testing/sms-fixtures/oneroster';

interface Measured {
  seconds: number;
  peakRssMb: number;
  people: number;
  courses: number;
  enrolments: number;
}

const IMPORT_FLAG = '--import-only';

/** The child: imports one zip and prints what it measured as one JSON line. */
async function importOnly(path: string): Promise<void> {
  const t0 = performance.now();
  const { snapshot } = await createOneRosterAdapter().import({ kind: 'path', path });
  const seconds = (performance.now() - t0) / 1000;
  const measured: Measured = {
    seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    people: snapshot.people.length,
    courses: snapshot.courses.length,
    enrolments: snapshot.enrolments.length,
  };
  console.log(JSON.stringify(measured));
}

/** Folds the generator's ~36,000 classes (28 students each) into `perCourse` classes per course. */
function withClassesPerCourse(school: SyntheticSchool, perCourse: number): SyntheticSchool {
  const fold = (classId: string): string => {
    const dash = classId.lastIndexOf('-');
    const k = Number(classId.slice(dash + 1));
    return `${classId.slice(0, dash)}-${((k - 1) % perCourse) + 1}`;
  };
  return {
    ...school,
    classes: school.classes.filter((k) => Number(k.id.slice(k.id.lastIndexOf('-') + 1)) <= perCourse),
    enrolments: school.enrolments.map((e) => ({ ...e, classId: fold(e.classId) })),
  };
}

function dataRows(school: SyntheticSchool): number {
  const users = school.students.length + school.staff.length;
  // orgs + sessions (year + one term) + courses + classes + users + roles + userProfiles + enrollments
  return (
    2 +
    school.courses.length +
    school.classes.length +
    2 * users +
    school.staff.length +
    school.classes.length +
    school.enrolments.length
  );
}

async function measure(name: string, school: SyntheticSchool, dir: string): Promise<Record<string, string | number>> {
  const path = join(dir, `${name}.zip`);
  await writeOneRosterZip(path, school, { version: '1.2' });
  const rows = dataRows(school);
  const zipMb = ((await stat(path)).size / 1048576).toFixed(1);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), IMPORT_FLAG, path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the import of ${name} failed (exit ${child.status})`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Measured;
  return {
    benchmark: `OneRoster 1.2 zip, ${name}`,
    'rows/s': Math.round(rows / result.seconds),
    rows,
    seconds: result.seconds.toFixed(2),
    'peak RSS MB': result.peakRssMb,
    'zip MB': zipMb,
    snapshot: `${result.people} people, ${result.courses} courses, ${result.enrolments} enrolments`,
  };
}

if (process.argv[2] === IMPORT_FLAG) {
  await importOnly(process.argv[3] ?? '');
} else {
  const dir = await mkdtemp(join(tmpdir(), 'bench-oneroster-'));
  try {
    const table = [await measure('size L', generateSchool({ seed: 2026, size: SIZE_L, country: 'nz' }), dir)];
    const students = 192_307; // + ceil(students / 25) staff = 200,000 users
    const large = generateSchool({ seed: 2026, size: { students, enrolmentsPerStudent: 5 }, country: 'nz' });
    const users = large.students.length + large.staff.length;
    table.push(
      await measure('200,000 users', withClassesPerCourse(large, Math.ceil(users / 25 / large.courses.length)), dir),
    );
    console.table(table);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
