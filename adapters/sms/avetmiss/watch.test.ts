import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SmsImportResult } from '../../contract';
import { writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { watchExportFolder } from './index';
import { filesS, schoolS, withTempDir } from '../../testing/sms-support/avetmiss';

describe('watchExportFolder', () => {
  it('imports an export once its files stop changing, not while one is written in two parts', async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      const activities = files.NAT00120!;
      delete files.NAT00120;
      const ready: { result: SmsImportResult; at: number }[] = [];
      const errors: unknown[] = [];
      const watch = watchExportFolder(dir, (result) => void ready.push({ result, at: Date.now() }), {
        settleMs: 400,
        pollMs: 25,
        onError: (error) => errors.push(error),
      });
      try {
        await writeAvetmissFolder(dir, files);
        const half = Math.floor(activities.length / 2) + 7; // mid-record
        await writeFile(join(dir, 'NAT00120.txt'), activities.slice(0, half), 'latin1');
        await sleep(200);
        expect(ready).toHaveLength(0);
        await appendFile(join(dir, 'NAT00120.txt'), activities.slice(half), 'latin1');
        const lastWrite = Date.now();
        for (let waited = 0; ready.length === 0 && waited < 5000; waited += 25) await sleep(25);
        await sleep(300);
        expect(errors).toEqual([]);
        expect(ready).toHaveLength(1);
        expect(ready[0]!.at - lastWrite).toBeGreaterThanOrEqual(400);
        expect(ready[0]!.result.snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
      } finally {
        watch.close();
      }
    });
  });

  it('reports an export that does not import, and imports it again once it changes', async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      const ready: SmsImportResult[] = [];
      const errors: unknown[] = [];
      const watch = watchExportFolder(dir, (result) => void ready.push(result), {
        settleMs: 100,
        pollMs: 20,
        onError: (error) => errors.push(error),
      });
      try {
        await writeAvetmissFolder(dir, { ...files, NAT00120: files.NAT00120!.slice(0, 60) });
        for (let waited = 0; errors.length === 0 && waited < 3000; waited += 20) await sleep(20);
        expect(errors).toEqual([expect.objectContaining({ kind: 'format' })]);
        await writeFile(join(dir, 'NAT00120.txt'), files.NAT00120!, 'latin1');
        for (let waited = 0; ready.length === 0 && waited < 3000; waited += 20) await sleep(20);
        expect(ready).toHaveLength(1);
      } finally {
        watch.close();
      }
    });
  });
});
