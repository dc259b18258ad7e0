/**
 * OneRoster CSV import (`npm run bench`): the L synthetic school (20,000 students, 100,000 enrolments) as a
 * OneRoster 1.2 zip in a temp folder, imported once. One row: data rows per second (all CSV files) and peak
 * RSS sampled every 10 ms during the import.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOneRosterAdapter } from '../adapters/sms/oneroster';
import { generateSchool, SIZE_L } from '../adapters/testing/sms-fixtures';
import { oneRosterFiles, zipBytes } from '../adapters/testing/sms-fixtures/oneroster';

const dir = await mkdtemp(join(tmpdir(), 'bench-oneroster-'));
try {
  const files = oneRosterFiles(generateSchool({ seed: 2026, size: SIZE_L, country: 'nz' }), { version: '1.2' });
  const dataRows = Object.entries(files)
    .filter(([name]) => name !== 'manifest.csv')
    .reduce((sum, [, text]) => sum + text.trimEnd().split('\n').length - 1, 0);
  const zip = zipBytes(files);
  const path = join(dir, 'oneroster-L.zip');
  await writeFile(path, zip);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  const { snapshot } = await createOneRosterAdapter().import({ kind: 'path', path });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  console.table([
    {
      benchmark: 'OneRoster 1.2 zip, size L',
      'rows/s': Math.round(dataRows / seconds),
      rows: dataRows,
      seconds: seconds.toFixed(2),
      'peak RSS MB': Math.round(peakRss / 1048576),
      'zip MB': (zip.length / 1048576).toFixed(1),
      snapshot: `${snapshot.people.length} people, ${snapshot.courses.length} courses, ${snapshot.enrolments.length} enrolments`,
    },
  ]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
