/**
 * A whole SMS import, end to end (`npm run bench -- sms-import`): the adapter reads the export, the one
 * intake door (electron/core/sms/intake.ts) normalises and checks it, and the snapshot is written to a
 * real SQLite store, as `classbridge import` does. Each case runs in a child process of its own, so peak
 * RSS (the OS's high-water mark, `resourceUsage().maxRSS`) is the import's and not the generator's; the
 * import runs in a worker with the engine worker's V8 limits (engine-client.ts), as it does in the app.
 * - a 1,000,000-row combined CSV (200,000 students, 5 enrolment rows each; issue 11: < 1 GB);
 * - a 200,000-user OneRoster 1.2 zip (192,307 students + 7,693 staff, 5 enrolments each; issue 11: < 600 MB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { silentLogger, type SmsAdapter } from '../adapters/contract';
import { createCsvAdapter } from '../adapters/sms/csv';
import { createOneRosterAdapter } from '../adapters/sms/oneroster';
import { generateSchool, type SyntheticSchool } from '../adapters/testing/sms-fixtures';
import {
  COMBINED_CSV_MAPPING,
  COMBINED_FILE,
  combinedCsvLines,
  writeCsvLines,
} from '../adapters/testing/sms-fixtures/csv';
import { writeOneRosterZip } from '../adapters/testing/sms-fixtures/oneroster';
import { engineResourceLimits } from '../electron/core/engine/engine-client';
import { runIntake } from '../electron/core/sms/intake';
import { openStore } from '../electron/core/store/store';

const IMPORT_FLAG = '--import-only';
type Format = 'csv' | 'oneroster';

interface Measured {
  ok: boolean;
  message?: string;
  readSeconds: number;
  /** The high-water mark when the adapter had read the export, before the intake's checks and the write. */
  readPeakRssMb: number;
  seconds: number;
  peakRssMb: number;
  people: number;
  courses: number;
  enrolments: number;
}

/** The child: one import through the intake into a fresh store; prints what it measured as one JSON line. */
async function importOnly(format: Format, path: string, dbFile: string): Promise<void> {
  const adapter: SmsAdapter =
    format === 'csv' ? createCsvAdapter({ mapping: COMBINED_CSV_MAPPING }) : createOneRosterAdapter();
  const store = openStore({ file: dbFile });
  const t0 = performance.now();
  let readSeconds = 0;
  let readPeakRssMb = 0;
  const outcome = await runIntake(
    { store, logger: silentLogger },
    {
      source: `bench ${format}`,
      trigger: 'cli',
      read: async () => {
        const result = await adapter.import({ kind: 'path', path });
        readSeconds = (performance.now() - t0) / 1000;
        readPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
        return result;
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const counts = outcome.ok ? outcome.meta.counts : { people: 0, courses: 0, enrolments: 0 };
  const measured: Measured = {
    ok: outcome.ok,
    ...(outcome.ok ? {} : { message: outcome.message.slice(0, 300) }),
    readSeconds,
    readPeakRssMb,
    seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    people: counts.people,
    courses: counts.courses,
    enrolments: counts.enrolments,
  };
  store.close();
  console.log(JSON.stringify(measured));
}

/** `students` students with 5 enrolments each, and one staff member per 25 of them. */
function districtSchool(students: number): SyntheticSchool {
  return generateSchool({ seed: 2026, size: { students, enrolmentsPerStudent: 5 }, country: 'nz' });
}

async function measure(
  label: string,
  format: Format,
  path: string,
  dir: string,
  target: number,
): Promise<Record<string, string | number>> {
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), IMPORT_FLAG, format, path, join(dir, `${format}.sqlite`)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`the ${label} import crashed (exit ${child.status})`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Measured;
  if (!result.ok) throw new Error(`the ${label} import was refused: ${result.message ?? ''}`);
  return {
    benchmark: label,
    'input MB': ((await stat(path)).size / 1048576).toFixed(0),
    'read s': result.readSeconds.toFixed(1),
    'check + store s': (result.seconds - result.readSeconds).toFixed(1),
    'peak RSS MB, read': result.readPeakRssMb,
    'peak RSS MB': result.peakRssMb,
    'target MB': `< ${target}`,
    snapshot: `${result.people} people, ${result.courses} courses, ${result.enrolments} enrolments`,
  };
}

if (process.argv[2] === IMPORT_FLAG && isMainThread) {
  // As the product imports (export watch, KAMAR push, upload): in the engine worker, with its V8 limits.
  const worker = new Worker(fileURLToPath(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: engineResourceLimits(),
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the import worker exited ${code}`))));
  });
} else if (process.argv[2] === IMPORT_FLAG) {
  await importOnly(process.argv[3] as Format, process.argv[4] ?? '', process.argv[5] ?? '');
} else {
  // SMS_IMPORT_BENCH_DIR keeps the generated exports between runs (for profiling); else a temp dir.
  const kept = process.env.SMS_IMPORT_BENCH_DIR;
  const dir = kept ?? (await mkdtemp(join(tmpdir(), 'bench-sms-import-')));
  try {
    const csvDir = join(dir, 'csv');
    const csvPath = join(csvDir, COMBINED_FILE);
    const zipPath = join(dir, 'oneroster.zip');
    const rows = 'combined CSV, 1,000,000 rows';
    if (!kept || !existsSync(zipPath)) {
      const csvSchool = districtSchool(200_000); // 1,000,000 rows, one per enrolment
      await mkdir(csvDir, { recursive: true });
      await writeCsvLines(combinedCsvLines(csvSchool), csvPath, true);
      const zipSchool = districtSchool(192_307); // + 7,693 staff = 200,000 users
      await writeOneRosterZip(zipPath, zipSchool, { version: '1.2' });
    }
    console.table([
      await measure(rows, 'csv', csvPath, dir, 1024),
      await measure('OneRoster 1.2 zip, 200,000 users', 'oneroster', zipPath, dir, 600),
    ]);
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}
