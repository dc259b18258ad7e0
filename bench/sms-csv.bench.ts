/**
 * The CSV adapter on the L school (20,000 students, 100,000 enrolment rows) as one combined file and
 * as separate files, written to a temp dir (`npm run bench`). One row per shape: rows per second and
 * the peak RSS sampled during the parse (the RSS before includes the generated school itself).
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SmsAdapter } from '../adapters/contract';
import { createCsvAdapter } from '../adapters/sms/csv';
import {
  COMBINED_CSV_MAPPING,
  COMBINED_FILE,
  SEPARATE_CSV_MAPPING,
  combinedCsvLines,
  separateCsvFiles,
  writeCsvLines,
} from '../adapters/testing/sms-fixtures/csv';
import { generateSchool, SIZE_L } from '../adapters/testing/sms-fixtures/school';

const MB = 1024 * 1024;

async function measure(label: string, adapter: SmsAdapter, path: string, rows: number, bytes: number) {
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const { snapshot } = await adapter.import({ kind: 'path', path });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    benchmark: label,
    'input MB': (bytes / MB).toFixed(1),
    rows,
    seconds: seconds.toFixed(2),
    'rows/s': Math.round(rows / seconds),
    'RSS before MB': Math.round(startRss / MB),
    'peak RSS MB': Math.round(peakRss / MB),
    enrolments: snapshot.enrolments.length,
  };
}

const folder = await mkdtemp(join(tmpdir(), 'cb-bench-csv-'));
try {
  const school = generateSchool({ seed: 2026, size: SIZE_L, country: 'nz' });
  const combinedDir = join(folder, 'combined');
  await mkdir(combinedDir);
  const combinedBytes = await writeCsvLines(combinedCsvLines(school), join(combinedDir, COMBINED_FILE), true);
  const separateDir = join(folder, 'separate');
  await mkdir(separateDir);
  let separateBytes = 0;
  let separateRows = 0;
  for (const [name, text] of Object.entries(separateCsvFiles(school))) {
    await writeFile(join(separateDir, name), text);
    separateBytes += (await stat(join(separateDir, name))).size;
    separateRows += text.split('\r\n').length - 2;
  }
  const rows = [
    await measure(
      'combined file, L',
      createCsvAdapter({ mapping: COMBINED_CSV_MAPPING }),
      combinedDir,
      school.enrolments.length,
      combinedBytes,
    ),
    await measure(
      'separate files, L',
      createCsvAdapter({ mapping: SEPARATE_CSV_MAPPING }),
      separateDir,
      separateRows,
      separateBytes,
    ),
  ];
  console.table(rows);
} finally {
  await rm(folder, { recursive: true, force: true });
}
