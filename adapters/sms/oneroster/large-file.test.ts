import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFolder, writeLargeUsersCsv } from '../../testing/sms-fixtures/oneroster';
import { createOneRosterAdapter } from './index';
import { cleanTempDirs, school, schoolFiles, tempDir } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/**
 * LARGE INPUT (~200 MB, generated on the fly into a temp folder): users.csv is streamed record by record,
 * so the heap holds the snapshot (here ~100k people; rows are padded through the never-kept `password`
 * column) but never the file's text. Asserts bounded heap growth, not timings.
 */
describe('OneRoster large input', () => {
  it('imports a 200 MB users.csv with bounded memory', { timeout: 120_000 }, async () => {
    const dir = await writeFolder(schoolFiles('1.1'), await tempDir());
    const usersPath = join(dir, 'users.csv');
    const rows = await writeLargeUsersCsv(usersPath, school, { version: '1.1', targetBytes: 200 * 1024 * 1024 });
    expect((await stat(usersPath)).size).toBeGreaterThanOrEqual(200 * 1024 * 1024);

    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    try {
      const { snapshot } = await createOneRosterAdapter().import({ kind: 'path', path: dir });
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      expect(snapshot.people).toHaveLength(rows);
      expect(snapshot.enrolments.length).toBe(school.enrolments.length + school.classes.length);
    } finally {
      clearInterval(sampler);
    }
    console.info(`200 MB users.csv: ${rows} rows, heap growth ${Math.round((peak - before) / 1048576)} MB`);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });
});
