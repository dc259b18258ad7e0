/**
 * Issue 12 item 9: ClassBridge's user creation next to a bare client on the same simulator, at the same
 * concurrency (4 in flight, a PHP pool of 4 workers), calibrated to the real Moodle 5.1 figures in the
 * reference (§9: about 13 ms of server work per created user; 500 users in batches of 100 took 6.9 s one
 * request at a time, so ~0.4 s per request on top). The bare client is what `curl` did on the real site:
 * raw batched POSTs of 100 users, nothing else. ClassBridge runs a real first upload of the profiles part
 * (plan, look-ups before create, journal, store), so the ratio is what an admin gets.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { createMoodleAdapter } from '../adapters/lms/moodle';
import { encodeForm, toFormBody } from '../adapters/lms/moodle/form-encoding';
import type { MoodleSimOptions } from '../adapters/testing/moodle-sim';
import { connectionFor, openTestStore, syntheticSchool, upload } from '../electron/test-support/upload-harness';
import { RECORDS_PER_WRITE, REQUESTS_IN_FLIGHT } from '../adapters/lms/moodle/batch-sizes';

const USERS = Number(process.env.BENCH_USERS ?? 2000);

/**
 * Every request either client makes goes through fetch: the span from the first request to the last
 * answer is the time the LMS was being talked to (the whole run less ClassBridge's planning before it).
 */
const realFetch = globalThis.fetch;
let span = { first: Infinity, last: 0 };
globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
  span.first = Math.min(span.first, performance.now());
  try {
    return await realFetch(...args);
  } finally {
    span.last = Math.max(span.last, performance.now());
  }
};
const lmsSeconds = (): number => (span.last - span.first) / 1000;
const resetSpan = (): void => {
  span = { first: Infinity, last: 0 };
};
// The bare client sends what ClassBridge sends: its batch size and concurrency, from the one place they are named.
const BATCH = RECORDS_PER_WRITE;
const IN_FLIGHT = REQUESTS_IN_FLIGHT;
// 40 ms per request and 13 ms per created user on the real site (26.4 s for 500 one at a time, 6.9 s in
// batches of 100), scaled 1:4 so the bench takes seconds, not minutes.
const LATENCY = { perRequestMs: 10, perItemMs: 0, perWriteItemMs: 3.25 };

interface RemoteSim {
  url: string;
  token: string;
  requestCount(fn?: string): Promise<number>;
  close(): Promise<void>;
}

/** The simulator in a child process (bench/sim-process.ts), as a real Moodle is a separate server. */
async function startSim(): Promise<RemoteSim> {
  const options: MoodleSimOptions = { latency: LATENCY, maxConcurrent: IN_FLIGHT, maxInputVars: 5000 };
  const child = spawn(process.execPath, [join(import.meta.dirname, 'sim-process.mjs'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('the simulator process ended');
    return line.value;
  };
  const { url, token } = JSON.parse(await next()) as { url: string; token: string };
  return {
    url,
    token,
    requestCount: async (fn) => {
      child.stdin.write('counts\n');
      const counts = JSON.parse(await next()) as Record<string, number>;
      return counts[fn ?? 'total'] ?? 0;
    },
    close: async () => {
      child.stdin.end('close\n');
      await once(child, 'exit');
    },
  };
}

async function bareClient(): Promise<{ seconds: number; lms: number; requests: number }> {
  const sim = await startSim();
  try {
    const limit = pLimit(IN_FLIGHT);
    const batches = Array.from({ length: Math.ceil(USERS / BATCH) }, (_, b) =>
      Array.from({ length: Math.min(BATCH, USERS - b * BATCH) }, (_, i) => {
        const n = b * BATCH + i;
        return {
          username: `bare${n}`,
          firstname: 'Given',
          lastname: `Family${n}`,
          email: `bare${n}@school.example`,
          idnumber: `S${n}`,
          createpassword: 1,
        };
      }),
    );
    resetSpan();
    const t0 = performance.now();
    await Promise.all(
      batches.map((users) =>
        limit(async () => {
          const res = await fetch(
            `${sim.url}/webservice/rest/server.php?wsfunction=core_user_create_users&moodlewsrestformat=json`,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: toFormBody([['wstoken', sim.token], ...encodeForm({ users })]),
            },
          );
          const answer = (await res.json()) as unknown;
          if (!Array.isArray(answer) || answer.length !== users.length) throw new Error(JSON.stringify(answer));
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, lms: lmsSeconds(), requests: await sim.requestCount() };
  } finally {
    await sim.close();
  }
}

async function classBridge(): Promise<{
  seconds: number;
  lms: number;
  requests: number;
  creates: number;
  notes: string;
}> {
  const sim = await startSim();
  const dir = mkdtempSync(join(tmpdir(), 'cb-throughput-'));
  try {
    const snapshot = syntheticSchool(USERS, 2);
    const connection = connectionFor(sim);
    const store = openTestStore(dir, connection, snapshot);
    const adapter = createMoodleAdapter({
      url: sim.url,
      token: sim.token,
      maxInFlight: IN_FLIGHT,
      batchSize: BATCH,
      maxInputVars: 5000,
      roleIds: { student: 5, editingteacher: 3 },
    });
    resetSpan();
    const t0 = performance.now();
    const result = await upload(store, adapter, connection, { only: 'profiles' });
    const seconds = (performance.now() - t0) / 1000;
    const lms = lmsSeconds();
    store.close();
    return {
      seconds,
      lms,
      requests: await sim.requestCount(),
      creates: await sim.requestCount('core_user_create_users'),
      notes: result.message,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alternating rounds, the median of each: one slow round (GC, the other core busy) does not decide it.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const bareRuns: Awaited<ReturnType<typeof bareClient>>[] = [];
const cbRuns: Awaited<ReturnType<typeof classBridge>>[] = [];
for (let r = 0; r < ROUNDS; r++) {
  bareRuns.push(await bareClient());
  cbRuns.push(await classBridge());
}
const median = <T extends { seconds: number }>(runs: T[]): T =>
  [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as T;
const bare = median(bareRuns);
const cb = median(cbRuns);
const bareRate = USERS / bare.seconds;
// ClassBridge also creates the school's one teacher: count what it created.
const cbRate = (USERS + 1) / cb.seconds;
console.table([
  {
    client: 'bare batched POSTs',
    users: USERS,
    'seconds (median)': bare.seconds.toFixed(2),
    'users/s': bareRate.toFixed(1),
    'LMS phase s': bare.lms.toFixed(2),
    requests: bare.requests,
  },
  {
    client: 'ClassBridge first upload (profiles)',
    users: USERS + 1,
    'seconds (median)': cb.seconds.toFixed(2),
    'users/s': cbRate.toFixed(1),
    'LMS phase s': cb.lms.toFixed(2),
    requests: `${cb.requests} (${cb.creates} creates)`,
  },
]);
const phaseRatio = (USERS + 1) / cb.lms / (USERS / bare.lms);
console.log(
  `creation rate while talking to the LMS, ClassBridge ÷ bare: ${phaseRatio.toFixed(3)} (target ≥ 0.95); ` +
    `whole run including planning: ${(cbRate / bareRate).toFixed(3)} (${ROUNDS} alternating rounds of ${USERS} users, ${IN_FLIGHT} in flight)`,
);
console.log(`run: ${cb.notes}`);
