import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../adapters/contract';
import { answerOf, basic, post, sleep } from '../../adapters/testing/sms-support/kamar';
import {
  generateSchool,
  kamarFullPush,
  kamarPartPush,
  seededRandom,
  type KamarMessageJson,
} from '../../adapters/testing/sms-fixtures';
import { ConnectionSchema } from '../core/model';
import { databaseFile } from '../core/paths/data-dir';
import { KeychainSecretStore, MemorySecretStore } from '../core/secrets';
import { PUSH_SECRET, startReceiverService } from '../core/sms/receiver-service';
import { openStore, type Store } from '../core/store/store';
import { REPO_ROOT, runCliAsync } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

/**
 * Issue 22 A, with real processes: `classbridge serve` with a KAMAR connection on loopback gets a
 * full push and a burst of 300 part pushes (16 in flight) and is stopped (SIGTERM) or killed
 * (SIGKILL) at a random moment during or after the burst, inside the quiet period. KAMAR is played
 * as it behaves: a chunk not answered `error: 0` is sent again once the receiver is back. After the
 * restart the stored roll equals the one an uninterrupted receiver stores, in the same two runs
 * (the full push in 3 parts, the part pushes in 300), so no chunk was lost or applied twice.
 * Set CLASSBRIDGE_SPOOL_SEED to replay.
 */

const tempDir = useTempDirs();
const SEED = Number(process.env.CLASSBRIDGE_SPOOL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const BIN = join(REPO_ROOT, 'bin/classbridge.mjs');
const SECRET = 'kamar-spool-secret';
const AUTH = { authorization: basic('classbridge', SECRET) };
/** Longer than a restart of `serve` takes here, so KAMAR's retries join the run that was kept. */
const QUIET_MS = 6000;
const PARTS = 300;
const IN_FLIGHT = 16;

function messages(): { full: KamarMessageJson[]; parts: KamarMessageJson[] } {
  const school = generateSchool({ seed: 2201, size: { students: PARTS, enrolmentsPerStudent: 4 } });
  return {
    full: kamarFullPush(school, { chunks: 3 }),
    parts: school.students.map((s, i) => kamarPartPush(school, [{ ...s, givenName: `Enrolled${i}` }])),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Serving {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** `classbridge serve`, resolved once it prints its URL. */
function serve(dataDir: string): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 30 s: ${stderr}`)), 30_000);
    void exited.then((code) => reject(new Error(`serve exited (${code}) early: ${stderr}`)));
    if (!child.stdout) return reject(new Error('no stdout'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!/http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(line)) return;
      clearTimeout(timer);
      resolve({ child, exited });
    });
  });
}

/** One send as KAMAR does it: true when answered `error: 0`; anything else (refused, cut off) is retried later. */
async function sendOnce(url: string, message: KamarMessageJson): Promise<boolean> {
  try {
    return answerOf(await post(url, JSON.stringify(message), AUTH)).error === 0;
  } catch {
    return false;
  }
}

/** Sends with `inFlight` at a time; calls `onAnswered` after each; returns the ones not acknowledged. */
async function burst(
  url: string,
  list: readonly KamarMessageJson[],
  inFlight: number,
  onAnswered: (n: number) => void = () => undefined,
): Promise<KamarMessageJson[]> {
  const failed: KamarMessageJson[] = [];
  let next = 0;
  let answered = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < list.length) {
        const message = list[next++];
        if (!message) break;
        if (!(await sendOnce(url, message))) failed.push(message);
        onAnswered(++answered);
      }
    }),
  );
  return failed;
}

/** KAMAR's failed-send retry: again and again until each is acknowledged (the receiver may be starting). */
async function retryUntilAcknowledged(url: string, list: readonly KamarMessageJson[]): Promise<void> {
  let pending = [...list];
  const deadline = Date.now() + 30_000;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} chunks never acknowledged`);
    pending = await burst(url, pending, IN_FLIGHT);
    if (pending.length > 0) await sleep(100);
  }
}

function roll(store: Store) {
  const { people, courses, groups, enrolments } = store.snapshot.read();
  return { people, courses, groups, enrolments };
}

/** The runs the receiver recorded, oldest first, as outcome and what they were. */
function runs(store: Store): string[] {
  return store.runs
    .list({ limit: 50 })
    .reverse()
    .map((r) => `${r.outcome}: ${r.message ?? ''}`);
}

async function uninterruptedRoll() {
  const dataDir = tempDir();
  const store = openStore({ file: join(dataDir, 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({
      id: 'kamar',
      kind: 'sms',
      provider: 'kamar',
      name: 'KAMAR',
      options: { receiverPort: 0, receiverTls: 'none' },
    }),
  );
  const secrets = new MemorySecretStore();
  await secrets.set('kamar', PUSH_SECRET, SECRET);
  let changes = 0;
  const service = await startReceiverService({
    store,
    secrets,
    dataDir,
    logger: silentLogger,
    settleMs: 500,
    onChanged: () => (changes += 1),
  });
  const { full, parts } = messages();
  await retryUntilAcknowledged(service.status.url ?? '', full);
  expect(await burst(service.status.url ?? '', parts, IN_FLIGHT)).toEqual([]);
  const deadline = Date.now() + 20_000;
  while (changes < 2 && Date.now() < deadline) await sleep(20);
  await service.close();
  const result = { roll: roll(store), runs: runs(store), source: store.snapshot.meta()?.source };
  store.close();
  return result;
}

async function kamarDataFolder(port: number): Promise<string> {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const kamar = {
    id: 'kamar',
    kind: 'sms',
    provider: 'kamar',
    name: 'KAMAR',
    options: { receiverPort: port, receiverTls: 'none', receiverQuietMs: QUIET_MS },
  };
  writeFileSync(
    join(dir, 'school.json'),
    JSON.stringify({ format: 'classbridge-config', version: 1, connections: [kamar] }),
  );
  expect((await runCliAsync(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')])).status).toBe(0);
  const secret = await runCliAsync(['--data-dir', dataDir, 'secret', 'set', 'kamar', PUSH_SECRET], { stdin: SECRET });
  expect(secret.status).toBe(0);
  return dataDir;
}

/** Waits for the receiver in the serving process to answer (the engine starts it after the URL). */
async function receiverUp(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const reply = await post(url, JSON.stringify({ SMSDirectoryData: { sync: 'check' } }), AUTH);
      if (answerOf(reply).error === 0) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('the KAMAR receiver did not start');
}

type Trial = { signal: 'SIGTERM' | 'SIGKILL'; when: 'during' | 'after' };

describe(`KAMAR pushes survive a stop of the process (seed ${SEED})`, () => {
  const random = seededRandom(SEED);
  const trials: Trial[] = [
    { signal: 'SIGTERM', when: 'after' },
    { signal: 'SIGTERM', when: 'during' },
    { signal: 'SIGKILL', when: 'during' },
    { signal: 'SIGKILL', when: 'after' },
  ];

  it('after a stop or kill at a random moment and a restart, the stored roll is the uninterrupted one', async () => {
    const expected = await uninterruptedRoll();
    expect(expected.runs).toHaveLength(2);
    expect(expected.source).toBe(`KAMAR part push (${PARTS} parts)`);
    const keychain = new KeychainSecretStore();
    try {
      for (const trial of trials) {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}/kamar`;
        const dataDir = await kamarDataFolder(port);
        const first = await serve(dataDir);
        await receiverUp(url);
        const { full, parts } = messages();
        await retryUntilAcknowledged(url, full);
        // Killed after a random number of answers during the burst, or a random time after it.
        const killAfter = trial.when === 'during' ? 20 + Math.floor(random() * (PARTS - 40)) : PARTS;
        let stopped = false;
        let stoppedAt = 0;
        const stop = (): void => {
          if (stopped) return;
          stopped = true;
          stoppedAt = Date.now();
          first.child.kill(trial.signal);
        };
        const unanswered = await burst(url, parts, IN_FLIGHT, (n) => n >= killAfter && stop());
        if (trial.when === 'after') {
          await sleep(Math.floor(random() * 1500));
          stop();
        }
        const code = await first.exited;
        if (trial.signal === 'SIGTERM') expect(code, `${trial.signal} ${trial.when}`).toBe(0);
        // Nothing was complete yet (inside the quiet period): nothing stored, and nothing lost either.
        const between = openStore({ file: databaseFile(dataDir) });
        expect(between.snapshot.meta(), `${trial.signal} ${trial.when}`).toBeUndefined();
        expect(between.kamarSpool.count()).toBeGreaterThanOrEqual(3 + PARTS - unanswered.length);
        between.close();

        const second = await serve(dataDir);
        try {
          await retryUntilAcknowledged(url, unanswered);
          // KAMAR's resent chunks join the kept run only when they arrive inside its quiet period;
          // on a slow machine the restart can take longer, and then they make a run of their own.
          const strict = unanswered.length === 0 || Date.now() - stoppedAt < QUIET_MS - 500;
          const store = openStore({ file: databaseFile(dataDir) });
          try {
            const deadline = Date.now() + QUIET_MS + 20_000;
            while (store.runs.list({ limit: 5 }).length < (strict ? 2 : 3) && Date.now() < deadline) await sleep(100);
            await sleep(300);
            const what = `${trial.signal} ${trial.when} (${unanswered.length} resent, seed ${SEED})`;
            if (strict) expect(runs(store), what).toEqual(expected.runs);
            else
              expect(
                runs(store).every((r) => r.startsWith('ok: ')),
                what,
              ).toBe(true);
            expect(roll(store)).toEqual(expected.roll);
            expect(store.kamarSpool.count()).toBe(0);
          } finally {
            store.close();
          }
        } finally {
          second.child.kill('SIGTERM');
          expect(await second.exited).toBe(0);
        }
      }
    } finally {
      await keychain.deleteAll('kamar');
    }
  }, 240_000);
});
