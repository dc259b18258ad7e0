/**
 * Benchmarks for the foundation, printed as tables (never asserted: speed is measured here, not in
 * tests). Run with `npm run bench`.
 * 1. Store: replacing a school-sized snapshot (100,000 enrolments) — time and memory.
 * 2. Api through the engine worker: round-trip latency of status:get, and the main thread's
 *    event-loop delay while the worker is busy replacing that snapshot (design target: p99 < 50 ms).
 * 3. Headless host: status:get over HTTP on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { startEngineWorker } from '../electron/core/engine/engine-client';
import { startHttpHost } from '../electron/host/http-host';
import { makeSnapshot } from '../electron/test-support/synthetic-snapshot';
import { openStore } from '../electron/core/store/store';

const rows: Record<string, string>[] = [];
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const ms = (n: number): string => n.toFixed(2);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function benchStore(dir: string): Promise<void> {
  const snapshot = makeSnapshot(12_500, 800, 8);
  const store = openStore({ file: join(dir, 'store.db') });
  for (const round of ['first import', 'replace (same size)']) {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    store.snapshot.replace(snapshot, 'bench');
    const t1 = performance.now();
    rows.push({
      benchmark: `store: snapshot ${round}`,
      size: `${snapshot.people.length} people, ${snapshot.enrolments.length} enrolments`,
      result: `${ms(t1 - t0)} ms`,
      memory: `heap +${mb(Math.max(0, process.memoryUsage().heapUsed - heapBefore))} MB, rss ${mb(process.memoryUsage().rss)} MB`,
    });
  }
  const t0 = performance.now();
  const read = store.snapshot.read();
  rows.push({
    benchmark: 'store: read snapshot back',
    size: `${read.enrolments.length} enrolments`,
    result: `${ms(performance.now() - t0)} ms`,
    memory: '',
  });
  store.close();
}

async function benchWorker(dir: string, workerFile: URL): Promise<void> {
  const engine = await startEngineWorker(workerFile, { dataDir: join(dir, 'engine') });
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    await engine.call('status:get', {});
    latencies.push(performance.now() - t0);
  }
  rows.push({
    benchmark: 'worker: status:get round trip',
    size: '1000 calls',
    result: `p50 ${ms(percentile(latencies, 50))} ms, p99 ${ms(percentile(latencies, 99))} ms`,
    memory: '',
  });

  // Main-thread responsiveness while a second worker does the heaviest store work we have today.
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const busy = new Worker(new URL('./busy-store-worker.mjs', import.meta.url), {
    workerData: { file: join(dir, 'busy.db') },
  });
  const calls: Promise<unknown>[] = [];
  const done = new Promise<void>((resolve, reject) => {
    busy.once('error', reject);
    busy.once('exit', () => resolve());
  });
  const ticker = setInterval(() => calls.push(engine.call('status:get', {})), 10);
  await done;
  clearInterval(ticker);
  await Promise.all(calls);
  histogram.disable();
  rows.push({
    benchmark: 'main thread event-loop delay while a worker replaces 100k enrolments',
    size: `${calls.length} Api calls meanwhile`,
    result: `p50 ${ms(histogram.percentile(50) / 1e6)} ms, p99 ${ms(histogram.percentile(99) / 1e6)} ms, max ${ms(histogram.max / 1e6)} ms`,
    memory: '',
  });

  const host = await startHttpHost({ api: engine, token: 'bench', rendererDir: dir, port: 0 });
  const httpLatencies: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${host.port}/api/status:get`, {
      method: 'POST',
      headers: { Authorization: 'Bearer bench' },
      body: '{}',
    });
    await res.arrayBuffer();
    httpLatencies.push(performance.now() - t0);
  }
  rows.push({
    benchmark: 'host: status:get over HTTP',
    size: '500 requests',
    result: `p50 ${ms(percentile(httpLatencies, 50))} ms, p99 ${ms(percentile(httpLatencies, 99))} ms`,
    memory: '',
  });
  await host.close();
  await engine.stop();
}

const dir = mkdtempSync(join(tmpdir(), 'classbridge-bench-'));
try {
  await benchStore(dir);
  await benchWorker(dir, new URL('../engine/engine-worker.mjs', import.meta.url));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
