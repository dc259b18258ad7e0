/**
 * The AVETMISS NAT importer on the L school (20,000 clients, 100,000 training activities), written
 * to a temp folder as NAT files (`npm run bench`). One row: records per second and peak RSS,
 * sampled every 10 ms during the import.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAvetmissAdapter } from '../adapters/sms/avetmiss';
import { avetmissFiles, writeAvetmissFolder } from '../adapters/testing/sms-fixtures/avetmiss';
import { generateSchool, SIZE_L } from '../adapters/testing/sms-fixtures/school';

/** Writes the L fixture as NAT files; returns the number of records. */
async function writeFixture(dir: string): Promise<number> {
  const files = avetmissFiles(generateSchool({ seed: 2026, size: SIZE_L, country: 'au' }));
  await writeAvetmissFolder(dir, files);
  return Object.values(files).reduce((sum, content) => sum + (content.match(/\r\n/g)?.length ?? 0), 0);
}

const dir = await mkdtemp(join(tmpdir(), 'cb-bench-avetmiss-'));
try {
  const records = await writeFixture(dir);
  // Let the fixture's garbage go before measuring.
  await new Promise((done) => setTimeout(done, 200));
  const rssBefore = process.memoryUsage().rss;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.table([
    {
      benchmark: 'AVETMISS NAT folder, size L',
      records,
      people: snapshot.people.length,
      enrolments: snapshot.enrolments.length,
      seconds: seconds.toFixed(2),
      'records/s': Math.round(records / seconds),
      'RSS before (MB)': Math.round(rssBefore / 1024 / 1024),
      'peak RSS (MB)': Math.round(peakRss / 1024 / 1024),
    },
  ]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
