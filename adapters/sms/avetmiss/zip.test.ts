import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { avetmissZip } from '../../testing/sms-fixtures/avetmiss';
import { createAvetmissAdapter } from './index';
import { filesS, importError, withTempDir } from '../../testing/sms-support/avetmiss';

function natEntries(): Zippable {
  const entries: Zippable = {};
  for (const [id, content] of Object.entries(filesS())) entries[`${id}.txt`] = Buffer.from(content, 'latin1');
  return entries;
}

async function importZip(bytes: Uint8Array, options: Parameters<typeof createAvetmissAdapter>[0] = {}) {
  return withTempDir(async (dir) => {
    const path = join(dir, 'export.zip');
    await writeFile(path, bytes);
    return importError(createAvetmissAdapter(options).import({ kind: 'path', path }));
  });
}

/** Sets the uncompressed size the central directory declares for every entry (a lying archive). */
function declareUncompressedSize(zip: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes.readUInt32LE(i) === 0x02014b50) bytes.writeUInt32LE(size, i + 24);
  }
  return bytes;
}

describe('zip safety', () => {
  it('refuses an entry with path traversal', async () => {
    const error = await importZip(zipSync({ ...natEntries(), '../../evil/NAT00090.txt': new Uint8Array(0) }));
    expect(error.kind).toBe('unsafe-archive');
    expect(error.where).toMatchObject({ file: 'export.zip', found: '../../evil/NAT00090.txt' });
  });

  it('refuses absolute paths (Unix and Windows)', async () => {
    for (const name of ['/etc/NAT00090.txt', 'C:/Windows/NAT00090.txt', '..\\NAT00090.txt']) {
      const error = await importZip(zipSync({ ...natEntries(), [name]: new Uint8Array(0) }));
      expect(error.kind).toBe('unsafe-archive');
    }
  });

  it('refuses a symbolic link', async () => {
    const link: Zippable = { 'NAT00090.txt': [Buffer.from('/etc/passwd'), { os: 3, attrs: 0o120777 << 16 }] };
    const error = await importZip(zipSync({ ...natEntries(), ...link }));
    expect(error).toMatchObject({ kind: 'unsafe-archive', where: { found: 'NAT00090.txt' } });
    expect(error.message).toContain('symbolic link');
  });

  it('refuses a zip bomb by its declared ratio before inflating anything', async () => {
    const bomb = zipSync(
      { ...natEntries(), 'NAT00100.txt': new Uint8Array(20 * 1024 * 1024).fill(0x20) },
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(200_000);
    const error = await importZip(bomb);
    expect(error.kind).toBe('unsafe-archive');
    expect(error.message).toContain('200:1');
  });

  it('refuses a bomb that lies about its size while inflating, long before it is all inflated', async () => {
    const bomb = zipSync({ 'NAT00080.txt': new Uint8Array(20 * 1024 * 1024).fill(0x20) }, { level: 9 });
    const error = await importZip(declareUncompressedSize(bomb, 1000));
    expect(error.kind).toBe('unsafe-archive');
    expect(error.message).toContain('beyond the size it declares');
    const inflated = Number(/over (\d+) bytes/.exec(error.where.found ?? '')?.[1]);
    expect(inflated).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses an archive over the total size limit', async () => {
    const error = await importZip(avetmissZip(filesS()), { zipLimits: { maxTotalBytes: 10_000 } });
    expect(error.kind).toBe('unsafe-archive');
    expect(error.message).toContain('more than 10000 bytes');
  });

  it('refuses a damaged or cut-short zip as a format error', async () => {
    const zip = avetmissZip(filesS());
    expect((await importZip(zip.subarray(0, zip.length - 30))).kind).toBe('format');
    const noDirectory = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]);
    expect((await importZip(noDirectory)).kind).toBe('format');
    const badData = Buffer.from(zip);
    badData.fill(0xff, 60, 400);
    expect(['format', 'unsafe-archive']).toContain((await importZip(badData)).kind);
  });
});
