import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startKamarReceiver } from './receiver';
import { basic } from '../../testing/sms-support/kamar';

// LARGE INPUT (200 MB, generated on the fly, ~2–5 s): an upload is streamed to disk with bounded memory.
it('a 200 MB upload is streamed to disk with bounded heap', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kamar-large-'));
  const receiver = await startKamarReceiver({
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    secret: 'large',
    uploadDir: dir,
    maxBodyBytes: 300 * 1024 * 1024,
  });
  try {
    const total = 200;
    const block = Buffer.alloc(1024 * 1024, 'student,given,family\n');
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    let stored = '';
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(receiver.url.replace('/kamar', '/upload/csv'), {
        method: 'POST',
        headers: { Authorization: basic('kamar', 'large'), 'Content-Length': String(total * block.length) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (part: Buffer) => (text += part.toString()));
        res.on('end', () => {
          stored = text;
          resolve(res.statusCode ?? 0);
        });
      });
      req.on('error', reject);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent++;
          if (!req.write(block)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    clearInterval(sampler);
    expect(status).toBe(200);
    expect(JSON.parse(stored)).toMatchObject({ SMSDirectoryData: { error: 0, bytes: total * block.length } });
    const [file] = (await import('node:fs/promises').then((fs) => fs.readdir(dir))).filter((n) => n.endsWith('.csv'));
    expect((await stat(join(dir, file ?? ''))).size).toBe(total * block.length);
    expect(peakHeap - heapBefore).toBeLessThan(150 * 1024 * 1024);
  } finally {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});
