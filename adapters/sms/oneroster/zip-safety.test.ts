import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { zipBytes } from '../../testing/sms-fixtures/oneroster';
import { cleanTempDirs, expectImportError, importZip, schoolFiles } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

const encoder = new TextEncoder();

/** Finds every central-directory record (signature PK\1\2) and returns their offsets. */
function centralRecords(zip: Uint8Array): number[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const found: number[] = [];
  for (let at = 0; at + 4 <= zip.length; at++) if (dv.getUint32(at, true) === 0x02014b50) found.push(at);
  return found;
}

function entryName(zip: Uint8Array, record: number): string {
  const dv = new DataView(zip.buffer, zip.byteOffset);
  return new TextDecoder().decode(zip.subarray(record + 46, record + 46 + dv.getUint16(record + 28, true)));
}

/** Rewrites one entry's sizes or offset in both headers, as a malicious archive would. */
function patchEntry(
  zip: Uint8Array,
  name: string,
  change: { uncompressedSize?: number; localHeaderOffsetOf?: string },
): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const records = centralRecords(out);
  const record = records.find((r) => entryName(out, r) === name)!;
  if (change.uncompressedSize !== undefined) {
    dv.setUint32(record + 24, change.uncompressedSize, true);
    dv.setUint32(dv.getUint32(record + 42, true) + 22, change.uncompressedSize, true);
  }
  if (change.localHeaderOffsetOf !== undefined) {
    const other = records.find((r) => entryName(out, r) === change.localHeaderOffsetOf)!;
    dv.setUint32(record + 42, dv.getUint32(other + 42, true), true);
  }
  return out;
}

describe('OneRoster zip safety', () => {
  it('refuses a path that climbs out of the folder (../)', async () => {
    const zip = zipBytes({ ...schoolFiles('1.1'), '../../evil.csv': 'x' });
    await expectImportError(importZip(zip), 'unsafe-archive', { found: '../../evil.csv' });
  });

  it('refuses absolute and drive-letter paths, and backslash traversal', async () => {
    for (const name of ['/etc/cron.d/evil', 'C:/Windows/evil.csv', 'data\\..\\..\\evil.csv']) {
      await expectImportError(importZip({ ...schoolFiles('1.1'), [name]: 'x' }), 'unsafe-archive', { found: name });
    }
  });

  it('refuses symbolic links', async () => {
    const files = Object.fromEntries(Object.entries(schoolFiles('1.1')).map(([n, t]) => [n, encoder.encode(t)]));
    const zip = zipSync({
      ...files,
      'link.csv': [encoder.encode('/etc/passwd'), { os: 3, attrs: 0o120777 * 0x10000 }],
    });
    await expectImportError(importZip(zip), 'unsafe-archive', { found: 'link.csv' });
  });

  it('refuses a zip bomb by its declared compression ratio, before inflating', async () => {
    const zip = zipSync({
      ...Object.fromEntries(Object.entries(schoolFiles('1.1')).map(([n, t]) => [n, encoder.encode(t)])),
      'users.csv': [new Uint8Array(64 * 1024 * 1024), { level: 9 }],
    });
    const error = await expectImportError(importZip(zip), 'unsafe-archive', { found: 'users.csv' });
    expect(error.message).toMatch(/ratio/);
  });

  it('stops an entry that inflates past the size its headers declare (lying zip bomb)', async () => {
    const bomb = new Uint8Array(32 * 1024 * 1024).fill(0x41);
    const files = Object.fromEntries(Object.entries(schoolFiles('1.1')).map(([n, t]) => [n, encoder.encode(t)]));
    const zip = patchEntry(zipSync({ ...files, 'users.csv': [bomb, { level: 9 }] }), 'users.csv', {
      uncompressedSize: 4096,
    });
    const before = process.memoryUsage().heapUsed;
    const error = await expectImportError(importZip(zip), 'unsafe-archive', {
      field: 'users.csv',
      expected: '4096 bytes',
    });
    expect(error.message).toMatch(/declared size/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses entries over the size limit and archives with too many entries', async () => {
    await expectImportError(importZip(schoolFiles('1.1'), { zipLimits: { maxEntryBytes: 1000 } }), 'unsafe-archive');
    await expectImportError(importZip(schoolFiles('1.1'), { zipLimits: { maxEntries: 3 } }), 'unsafe-archive');
    await expectImportError(importZip(schoolFiles('1.1'), { zipLimits: { maxTotalBytes: 5000 } }), 'unsafe-archive');
  });

  it('refuses entries whose data overlap (overlapping-file bomb)', async () => {
    const zip = patchEntry(zipBytes(schoolFiles('1.1')), 'users.csv', { localHeaderOffsetOf: 'orgs.csv' });
    await expectImportError(importZip(zip), 'unsafe-archive');
  });

  it('reports a corrupt entry (CRC mismatch) and a file that is not a zip as format', async () => {
    const zip = zipBytes(schoolFiles('1.1'));
    const record = centralRecords(zip).find((r) => entryName(zip, r) === 'users.csv')!;
    const corrupt = zip.slice();
    new DataView(corrupt.buffer).setUint32(record + 16, 0xdeadbeef, true);
    await expectImportError(importZip(corrupt), 'format', { field: 'users.csv' });
    await expectImportError(importZip(encoder.encode('this is not a zip archive at all')), 'format');
  });
});
