/**
 * KAMAR receiver (`npm run bench`): an L-size school (20,000 students, 100,000 enrolments) pushed as
 * a `full` sync in chunks of 500 students, each POSTed over loopback HTTP as KAMAR would, merged
 * into one snapshot. Rows = people + enrolments in the snapshot. Peak RSS is sampled during the push.
 * The settle wait (how long the receiver waits for more chunks) is excluded from the time.
 * Then a burst of 300 `part` pushes (one student each, 16 in flight) after a full push, in memory
 * only and with the SQLite spool that keeps every chunk durably before KAMAR is answered "OK"
 * (issue 22; before the spool: ~820 pushes/s, p99 34 ms): pushes per second and the p99 answer time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SmsImportResult } from '../adapters/contract';
import { createKamarAdapter, startKamarReceiver } from '../adapters/sms/kamar';
import type { KamarSpool } from '../adapters/sms/kamar/spool';
import { kamarFullPush, kamarFullPushChunks, kamarPartPush } from '../adapters/testing/sms-fixtures/kamar';
import { openStore } from '../electron/core/store/store';
import { generateSchool, SIZE_L } from '../adapters/testing/sms-fixtures/school';

const STUDENTS_PER_CHUNK = 500;
const SETTLE_MS = 200;
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

const authorization = `Basic ${Buffer.from('kamar:bench').toString('base64')}`;

// `KAMAR_BENCH=burst` runs only the part-push burst (the L push takes a while).
if (process.env.KAMAR_BENCH !== 'burst') {
  const dir = await mkdtemp(join(tmpdir(), 'kamar-bench-'));
  const school = generateSchool({ seed: 2026, size: SIZE_L });
  const files: string[] = [];
  let totalBytes = 0;
  const chunkCount = Math.ceil(school.students.length / STUDENTS_PER_CHUNK);
  for (const message of kamarFullPushChunks(school, { chunks: chunkCount })) {
    const file = join(dir, `${String(files.length + 1).padStart(3, '0')}-full.json`);
    const text = JSON.stringify(message);
    totalBytes += Buffer.byteLength(text);
    await writeFile(file, text);
    files.push(file);
  }

  let snapshot: SmsImportResult | undefined;
  let snapshotAt = 0;
  const receiver = await startKamarReceiver({
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    secret: 'bench',
    settleMs: SETTLE_MS,
    onSnapshot: (result) => {
      snapshot = result;
      snapshotAt = performance.now();
    },
  });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  for (const file of files) await postFile(receiver.url, await readFile(file));
  while (!snapshot) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (snapshotAt - t0 - SETTLE_MS) / 1000;
  clearInterval(sampler);
  await receiver.close();

  const rows = snapshot.snapshot.people.length + snapshot.snapshot.enrolments.length;
  const a0 = performance.now();
  const offline = await createKamarAdapter().import({ kind: 'path', path: dir });
  const adapterSeconds = (performance.now() - a0) / 1000;
  await rm(dir, { recursive: true, force: true });

  console.table([
    {
      benchmark: `KAMAR full push, L school, ${files.length} chunks over HTTP`,
      input: `${mb(totalBytes)} MB JSON`,
      rows,
      seconds: seconds.toFixed(2),
      'rows/s': Math.round(rows / seconds),
      'peak RSS MB': mb(peakRss),
      'saved push via adapter rows/s': Math.round(
        (offline.snapshot.people.length + offline.snapshot.enrolments.length) / adapterSeconds,
      ),
    },
  ]);
}

function postFile(url: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json', 'Content-Length': body.length },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (part: Buffer) => (text += part.toString()));
      res.on('end', () =>
        text.includes('"error":0') ? resolve() : reject(new Error(`KAMAR receiver refused a chunk: ${text}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** 300 part pushes at 16 in flight after a full push: pushes/s and answer-time percentiles. */
async function partBurst(spool: KamarSpool | undefined): Promise<{ perSecond: number; p50: number; p99: number }> {
  const small = generateSchool({ seed: 22, size: { students: 300, enrolmentsPerStudent: 4 } });
  const burstReceiver = await startKamarReceiver({
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    secret: 'bench',
    settleMs: 60_000,
    ...(spool ? { spool } : {}),
  });
  for (const message of kamarFullPush(small, { chunks: 3 })) {
    await postFile(burstReceiver.url, Buffer.from(JSON.stringify(message)));
  }
  const bodies = small.students.map((s, i) =>
    Buffer.from(JSON.stringify(kamarPartPush(small, [{ ...s, givenName: `Enrolled${i}` }]))),
  );
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        if (!body) break;
        const sent = performance.now();
        await postFile(burstReceiver.url, body);
        times.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await burstReceiver.close();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { perSecond: Math.round(bodies.length / seconds), p50: at(0.5), p99: at(0.99) };
}

const spoolDir = await mkdtemp(join(tmpdir(), 'kamar-spool-bench-'));
const store = openStore({ file: join(spoolDir, 'cb.db') });
const burstRows = [];
for (const [name, spool] of [
  ['in memory only', undefined],
  ['with the SQLite spool', store.kamarSpool],
] as const) {
  const burst = await partBurst(spool);
  burstRows.push({
    benchmark: `KAMAR 300 part pushes, 16 in flight, ${name}`,
    'pushes/s': burst.perSecond,
    'p50 ms': burst.p50.toFixed(1),
    'p99 ms': burst.p99.toFixed(1),
  });
}
store.close();
await rm(spoolDir, { recursive: true, force: true });
console.table(burstRows);
