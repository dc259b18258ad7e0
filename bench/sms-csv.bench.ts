/**
 * The CSV adapter (`npm run bench -- sms-csv`), each case imported once in a child process of its own, so
 * peak RSS is the import's and not the generator's:
 * - combined file and separate files for the L school (20,000 students, 100,000 enrolment rows);
 * - a 1,000,000-row combined file (200,000 students × 5 enrolments, ~8,000 classes), the size the issue
 *   sets at < 1 GB for the whole import (adapter + intake + SQLite): the adapter alone should stay well
 *   under that, since the intake and the store add their own.
 * Per case: rows per second, seconds, RSS before the import (Node and the modules) and peak RSS (the OS's
 * high-water mark, `resourceUsage().maxRSS`, which a sampling timer would miss in synchronous stretches).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCsvAdapter } from '../adapters/sms/csv';
import {
  COMBINED_CSV_MAPPING,
  COMBINED_FILE,
  SEPARATE_CSV_MAPPING,
  combinedCsvLines,
  separateCsvFiles,
  writeCsvLines,
} from '../adapters/testing/sms-fixtures/csv';
import { generateSchool, SIZE_L, type SyntheticSchool } from '../adapters/testing/sms-fixtures/school';

const MB = 1024 * 1024;
const IMPORT_FLAG = '--import-only';
type Shape = 'combined' | 'separate';

interface Measured {
  seconds: number;
  startRssMb: number;
  peakRssMb: number;
  people: number;
  courses: number;
  groups: number;
  enrolments: number;
}

/** The child: imports one folder and prints what it measured as one JSON line. */
async function importOnly(shape: Shape, path: string): Promise<void> {
  const mapping = shape === 'combined' ? COMBINED_CSV_MAPPING : SEPARATE_CSV_MAPPING;
  const startRssMb = Math.round(process.memoryUsage().rss / MB);
  const t0 = performance.now();
  const { snapshot } = await createCsvAdapter({ mapping }).import({ kind: 'path', path });
  const seconds = (performance.now() - t0) / 1000;
  const measured: Measured = {
    seconds,
    startRssMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    people: snapshot.people.length,
    courses: snapshot.courses.length,
    groups: snapshot.groups.length,
    enrolments: snapshot.enrolments.length,
  };
  console.log(JSON.stringify(measured));
}

async function writeCombined(school: SyntheticSchool, dir: string): Promise<{ bytes: number; rows: number }> {
  await mkdir(dir);
  const bytes = await writeCsvLines(combinedCsvLines(school), join(dir, COMBINED_FILE), true);
  return { bytes, rows: school.enrolments.length };
}

async function writeSeparate(school: SyntheticSchool, dir: string): Promise<{ bytes: number; rows: number }> {
  await mkdir(dir);
  let bytes = 0;
  let rows = 0;
  for (const [name, text] of Object.entries(separateCsvFiles(school))) {
    await writeFile(join(dir, name), text);
    bytes += (await stat(join(dir, name))).size;
    rows += text.split('\r\n').length - 2;
  }
  return { bytes, rows };
}

function measure(label: string, shape: Shape, dir: string, input: { bytes: number; rows: number }) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), IMPORT_FLAG, shape, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the import of "${label}" failed (exit ${child.status})`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Measured;
  return {
    benchmark: label,
    'input MB': (input.bytes / MB).toFixed(1),
    rows: input.rows,
    seconds: result.seconds.toFixed(2),
    'rows/s': Math.round(input.rows / result.seconds),
    'RSS before MB': result.startRssMb,
    'peak RSS MB': result.peakRssMb,
    snapshot: `${result.people} people, ${result.courses} courses, ${result.groups} classes, ${result.enrolments} enrolments`,
  };
}

if (process.argv[2] === IMPORT_FLAG) {
  await importOnly(process.argv[3] === 'separate' ? 'separate' : 'combined', process.argv[4] ?? '');
} else {
  const folder = await mkdtemp(join(tmpdir(), 'cb-bench-csv-'));
  try {
    const school = generateSchool({ seed: 2026, size: SIZE_L, country: 'nz' });
    const table = [
      measure(
        'combined file, L',
        'combined',
        join(folder, 'combined'),
        await writeCombined(school, join(folder, 'combined')),
      ),
      measure(
        'separate files, L',
        'separate',
        join(folder, 'separate'),
        await writeSeparate(school, join(folder, 'separate')),
      ),
    ];
    const million = generateSchool({ seed: 2026, size: { students: 200_000, enrolmentsPerStudent: 5 }, country: 'nz' });
    const millionDir = join(folder, 'million');
    const written = await writeCombined(million, millionDir);
    table.push(measure('combined file, 1,000,000 rows', 'combined', millionDir, written));
    console.table(table);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
