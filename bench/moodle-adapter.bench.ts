/**
 * The Moodle client against the simulator over loopback HTTP (`npm run bench`).
 * 1. Throughput: reads through the client with 25 ms of server time per request and a PHP-style
 *    pool of 4 workers; the ideal is cap ÷ latency = 160 requests/s.
 * 2. The shape of a real Moodle 5.1 (6.9 s for 500 users in batches of 100, 26.4 s one at a time,
 *    about 13 ms of server work per user): the simulator's per-request + per-item latency model,
 *    one request at a time as in that measurement, scaled down to 100 users.
 */
import { performance } from 'node:perf_hooks';
import type { NewLmsUser } from '../adapters/contract';
import { createMoodleAdapter } from '../adapters/lms/moodle';
import { startMoodleSim } from '../adapters/testing/moodle-sim';

const rows: Record<string, string>[] = [];

async function throughput(): Promise<void> {
  const sim = await startMoodleSim({ latency: { perRequestMs: 25, perItemMs: 0 }, maxConcurrent: 4 });
  try {
    const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, maxInFlight: 4 });
    const requests = 400;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: requests }, () => adapter.listCategories()));
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = requests / seconds;
    const ideal = 4 / 0.025;
    rows.push({
      benchmark: 'client reads, 25 ms latency, cap 4',
      result: `${perSecond.toFixed(1)} req/s (ideal ${ideal}), ratio ${(perSecond / ideal).toFixed(3)}`,
      detail: `${requests} requests in ${seconds.toFixed(2)} s, peak concurrency ${sim.peakConcurrency()}`,
    });
  } finally {
    await sim.close();
  }
}

async function createUsersShape(): Promise<void> {
  const users = (n: number, tag: string): NewLmsUser[] =>
    Array.from({ length: n }, (_, i) => ({
      username: `${tag}${i}`,
      firstname: 'F',
      lastname: 'L',
      email: `${tag}${i}@example.invalid`,
      idnumber: `${tag}-${i}`,
      password: `Pass#word-${i}`,
    }));
  for (const [label, batchSize] of [
    ['batches of 100', 100],
    ['one at a time', 1],
  ] as const) {
    const sim = await startMoodleSim({ latency: { perRequestMs: 40, perItemMs: 13 } });
    try {
      const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, maxInFlight: 1, batchSize });
      const t0 = performance.now();
      const result = await adapter.createUsers(users(100, batchSize === 1 ? 'one' : 'bat'));
      const seconds = (performance.now() - t0) / 1000;
      rows.push({
        benchmark: `create 100 users, ${label} (40 ms/request + 13 ms/user)`,
        result: `${seconds.toFixed(2)} s (×5 for 500: ${(seconds * 5).toFixed(1)} s; real Moodle: ${batchSize === 1 ? '26.4' : '6.9'} s)`,
        detail: `${sim.requestCount('core_user_create_users')} requests, ${result.outcomes.filter((o) => o.ok).length} created`,
      });
    } finally {
      await sim.close();
    }
  }
}

await throughput();
await createUsersShape();
console.table(rows);
