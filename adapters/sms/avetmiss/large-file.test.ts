import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { avetmissFiles, writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { createAvetmissAdapter } from './index';
import { withTempDir } from '../../testing/sms-support/avetmiss';

const TARGET_BYTES = 200 * 1024 * 1024;

/**
 * [LARGE INPUT] A 200 MB NAT00120 (about 1.3 million activity records), generated to a temp
 * folder on the fly: 2,000 clients whose 10,000 activities are reported again and again (as a
 * multi-year export reports re-enrolments). The import must stream it: heap growth stays bounded
 * by the snapshot (10,000 enrolments), not by the file. Asserts memory, not time.
 */
describe('[large] 200 MB NAT00120', () => {
  it('is streamed with bounded memory', { timeout: 60_000 }, async () => {
    await withTempDir(async (dir) => {
      const school = generateSchool({ seed: 5, size: { students: 2000, enrolmentsPerStudent: 5 }, country: 'au' });
      const files = avetmissFiles(school);
      const block = Buffer.from(files.NAT00120!, 'latin1');
      delete files.NAT00120;
      await writeAvetmissFolder(dir, files);
      const out = createWriteStream(join(dir, 'NAT00120.txt'));
      for (let written = 0; written < TARGET_BYTES; written += block.length) {
        if (!out.write(block)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      expect((await stat(join(dir, 'NAT00120.txt'))).size).toBeGreaterThanOrEqual(TARGET_BYTES);

      const baseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 10);
      try {
        const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        expect(snapshot.enrolments).toHaveLength(10_000);
        expect(snapshot.people).toHaveLength(2000);
      } finally {
        clearInterval(sampler);
      }
      const growthMb = (peak - baseline) / 1024 / 1024;
      console.info(`[large] 200 MB NAT00120: peak heap growth ${growthMb.toFixed(1)} MB`);
      expect(growthMb).toBeLessThan(150);
    });
  });
});
