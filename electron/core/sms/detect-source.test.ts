import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSourceFormat } from './detect-source';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cb-detect-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** NAT record text is irrelevant here: detection goes by names only. */
const RECORD = '90001     MAIN      100001    BSBWHS311   \r\n';

describe('detectSourceFormat: AVETMISS NAT file names', () => {
  it('a single NAT00120 file is AVETMISS, whatever its case or extension', async () => {
    for (const name of ['NAT00120.txt', 'nat00120.TXT', 'NAT00120', 'Nat00130.Txt', 'NAT00100', 'NAT00030A.txt']) {
      const path = join(dir, name);
      await writeFile(path, RECORD);
      expect(detectSourceFormat(path), name).toBe('avetmiss');
      await rm(path);
    }
  });

  it('a folder holding only NAT00100 and NAT00120 is AVETMISS, not CSV', async () => {
    const folder = join(dir, 'export');
    await mkdir(folder);
    await writeFile(join(folder, 'NAT00100.txt'), RECORD);
    await writeFile(join(folder, 'NAT00120.txt'), RECORD);
    expect(detectSourceFormat(folder)).toBe('avetmiss');
  });

  it('a zip of NAT00120 and NAT00130 (in a sub-folder) is AVETMISS', async () => {
    const path = join(dir, 'export.zip');
    const text = Buffer.from(RECORD, 'latin1');
    await writeFile(path, zipSync({ 'export/NAT00120.txt': text, 'export/nat00130': text }));
    expect(detectSourceFormat(path)).toBe('avetmiss');
  });

  it('names that only look alike stay CSV', async () => {
    for (const name of ['nat-export.csv', 'national.txt', 'NAT0012.txt', 'NAT001200.txt']) {
      const path = join(dir, name);
      await writeFile(path, 'a,b\r\n1,2\r\n');
      expect(detectSourceFormat(path), name).toBe('csv');
      await rm(path);
    }
  });
});
