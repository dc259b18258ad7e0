import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKamarReceiver, type KamarReceiver } from './receiver';
import { basic, post, sleep } from '../../testing/sms-support/kamar';
import type { UploadFormat } from './upload';

const AUTH = basic('kamar', 'upload-secret');
let receiver: KamarReceiver | undefined;
let dir = '';
let uploads: { format: UploadFormat; path: string }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kamar-upload-'));
  uploads = [];
  receiver = await startKamarReceiver({
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    secret: 'upload-secret',
    uploadDir: dir,
    maxBodyBytes: 64 * 1024,
    onUpload: (upload) => uploads.push(upload),
  });
});

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await rm(dir, { recursive: true, force: true });
});

const uploadUrl = (format: string) => (receiver?.url ?? '').replace('/kamar', `/upload/${format}`);

describe('upload endpoint', () => {
  it('upload endpoint stores the file atomically (temp file, then rename)', async () => {
    const csv = 'student_id,given_name,family_name\n100001,Aroha,Ngāti-O’Brien\n'.repeat(200);
    const bytes = Buffer.from(csv, 'utf8');
    const half = Math.floor(bytes.length / 2);
    let midway: string[] = [];
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(uploadUrl('csv'), {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Type': 'text/csv', 'Content-Length': String(bytes.length) },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(bytes.subarray(0, half), () => {
        void (async () => {
          await sleep(100);
          midway = await readdir(dir);
          req.end(bytes.subarray(half));
        })();
      });
    });
    expect(status).toBe(200);
    // Mid-upload only a hidden temp file exists; never a half-written final file.
    expect(midway).toHaveLength(1);
    expect(midway[0]).toMatch(/^\.upload-.*\.part$/);
    const after = await readdir(dir);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^csv-\d{8}T\d{6}-[0-9a-f]{8}\.csv$/);
    expect(uploads).toEqual([{ format: 'csv', path: join(dir, after[0] ?? '') }]);
    expect((await readFile(join(dir, after[0] ?? ''))).equals(bytes)).toBe(true);
  });

  it('stores a OneRoster zip; refuses a OneRoster upload that is not a zip', async () => {
    const zip = Buffer.from(zipSync({ 'manifest.csv': new TextEncoder().encode('propertyName,value\n') }));
    const ok = await post(uploadUrl('oneroster'), zip, { authorization: AUTH });
    expect(ok.status).toBe(200);
    expect(uploads[0]?.path).toMatch(/oneroster-.*\.zip$/);
    const notZip = await post(uploadUrl('oneroster'), 'users.csv contents', { authorization: AUTH });
    expect(notZip.status).toBe(415);
    expect((await readdir(dir)).filter((n) => n.endsWith('.zip'))).toHaveLength(1);
    expect((await readdir(dir)).some((n) => n.endsWith('.part'))).toBe(false);
  });

  it('upload over the size limit refused and nothing left behind', async () => {
    const reply = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(uploadUrl('csv'), { method: 'POST', headers: { Authorization: AUTH } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write(Buffer.alloc(1024, 65));
    });
    expect(reply).toBe(413);
    await sleep(50);
    expect(await readdir(dir)).toEqual([]);
    expect(uploads).toEqual([]);
  });

  it('upload cut off mid-body leaves nothing behind', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(uploadUrl('csv'), {
        method: 'POST',
        headers: { Authorization: AUTH, 'Content-Length': '10000' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(3000, 66), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 30),
      );
    });
    await sleep(150);
    expect(await readdir(dir)).toEqual([]);
    expect(uploads).toEqual([]);
  });

  it('upload needs the same Basic credentials; unknown formats and empty bodies are refused', async () => {
    expect((await post(uploadUrl('csv'), 'a,b\n', { authorization: basic('kamar', 'nope') })).status).toBe(403);
    expect((await post(uploadUrl('csv'), 'a,b\n')).status).toBe(401);
    expect((await post(uploadUrl('xml'), 'a,b\n', { authorization: AUTH })).status).toBe(404);
    expect((await post(uploadUrl('csv'), '', { authorization: AUTH })).status).toBe(400);
    expect(await readdir(dir)).toEqual([]);
  });
});
