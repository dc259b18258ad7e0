/**
 * LARGE INPUT: a 200 MB combined file (the L school, 100,000 enrolment rows padded with a free-text
 * Notes column to ~2 KB each, as wide SMS exports are) generated to a temp file on the fly and
 * streamed. Asserts bounded heap, not timings. Takes ~10 s.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMBINED_CSV_MAPPING, COMBINED_FILE, combinedCsvLines, writeCsvLines } from '../../testing/sms-fixtures/csv';
import { generateSchool, SIZE_L } from '../../testing/sms-fixtures/school';
import { createCsvAdapter } from './index';

const TARGET_BYTES = 200 * 1024 * 1024;
let folder: string;
let enrolmentRows = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cb-csv-large-'));
  const school = generateSchool({ seed: 11, size: SIZE_L, country: 'nz' });
  enrolmentRows = school.enrolments.length;
  const notesBytes = Math.ceil(TARGET_BYTES / enrolmentRows) - 180;
  await writeCsvLines(combinedCsvLines(school, { notesBytes }), join(folder, COMBINED_FILE), true);
}, 60_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('a 200 MB combined file (large input)', () => {
  it('streams with bounded heap and reads every row', async () => {
    const size = (await stat(join(folder, COMBINED_FILE))).size;
    expect(size).toBeGreaterThanOrEqual(TARGET_BYTES);
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    try {
      const adapter = createCsvAdapter({ mapping: COMBINED_CSV_MAPPING });
      const { snapshot } = await adapter.import({ kind: 'path', path: folder });
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      expect(snapshot.enrolments.filter((e) => e.role === 'student')).toHaveLength(enrolmentRows);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - baseline).toBeLessThan(150 * 1024 * 1024);
  }, 60_000);
});
