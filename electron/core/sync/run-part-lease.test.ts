import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { WriteLeaseRepository } from '../store/repositories/write-lease-repository';
import { useTempDirs } from '../../test-support/temp';
import {
  CONNECTION_ID,
  startSimulatedSchool,
  stopSimulatedSchool,
  writeRequests,
} from '../../test-support/upload-harness';
import { runPart, type PartRunDeps } from './run-part';

/**
 * runPart under the write lease, with another process played by a second connection to the same
 * database holding it (a live pid on this host: the test runner's parent).
 */
const tempDir = useTempDirs();
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setUp() {
  const dir = tempDir();
  const school = await startSimulatedSchool(dir);
  const other = openStore({ file: join(dir, 'classbridge.db') });
  cleanup.push(async () => {
    other.close();
    await stopSimulatedSchool(school);
  });
  const secrets = new MemorySecretStore();
  await secrets.set(CONNECTION_ID, 'token', school.sim.token);
  const deps: PartRunDeps = { store: school.store, secrets, logger: silentLogger, dataDir: dir };
  return { ...school, deps, other };
}

/** The other process's view of the lease: its own connection, pid and label. */
function otherProcess(store: Store, pid: number) {
  return new WriteLeaseRepository(store.db, () => new Date(), { pid });
}

function hold(store: Store, pid = process.ppid, part = 'upload') {
  const leases = otherProcess(store, pid);
  const got = leases.acquire(CONNECTION_ID, { part, processLabel: 'classbridge sync upload' });
  if (!got.acquired) throw new Error('the other process could not take the lease');
  return { release: () => leases.release(CONNECTION_ID, got.lease.ownerId) };
}

describe('runPart and the write lease', () => {
  it('turns an upload away while another process writes to the LMS: busy, naming it, no run, no request', async () => {
    const { sim, store, deps, other } = await setUp();
    hold(other);
    const outcome = await runPart(deps, CONNECTION_ID, 'upload', 'manual');
    expect(outcome.outcome).toBe('busy');
    expect(outcome.message).toMatch(
      new RegExp(
        `^An upload to Simulated Moodle is already running in classbridge sync upload \\(pid ${process.ppid} on ${hostname()}\\), started \\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d:\\d\\d UTC\\.$`,
      ),
    );
    expect(outcome.holder).toMatchObject({ pid: process.ppid, part: 'upload' });
    expect(store.runs.list({ connectionId: CONNECTION_ID })).toEqual([]);
    expect(sim.requestCount()).toBe(0);
  });

  it('keeps one lease per LMS for every writing part: a reconcile waits for an upload, and is named', async () => {
    const { store, deps, other } = await setUp();
    const upload = hold(other);
    expect((await runPart(deps, CONNECTION_ID, 'reconcile', 'manual')).outcome).toBe('busy');
    expect((await runPart(deps, CONNECTION_ID, 'upload', 'manual', { only: 'profiles' })).outcome).toBe('busy');
    upload.release();
    hold(other, process.ppid, 'reconcile');
    expect((await runPart(deps, CONNECTION_ID, 'upload', 'manual')).message).toMatch(
      /^A reconcile of Simulated Moodle is already running in/,
    );
    expect(store.runs.list({ connectionId: CONNECTION_ID })).toEqual([]);
  });

  it('with whenBusy "wait", waits for the other writer, then runs from what it left (and says it waits)', async () => {
    const { sim, store, deps, other } = await setUp();
    const lease = hold(other);
    const waiting: string[] = [];
    const run = runPart(deps, CONNECTION_ID, 'upload', 'schedule', {
      whenBusy: 'wait',
      onWaiting: (m) => waiting.push(m),
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(waiting).toEqual([expect.stringMatching(/^An upload to Simulated Moodle is already running/)]);
    expect(sim.requestCount()).toBe(0);
    lease.release();
    const outcome = await run;
    expect(outcome.outcome, outcome.message).toMatch(/^(ok|partial)$/);
    expect(writeRequests(sim)).toBeGreaterThan(0);
    expect(store.runs.list({ connectionId: CONNECTION_ID })).toHaveLength(1);
    // The run gave the lease back.
    expect(store.writeLeases.holder(CONNECTION_ID)).toBeUndefined();
  });

  it('stops waiting when the engine shuts down, recording nothing', async () => {
    const { store, deps, other } = await setUp();
    hold(other);
    const shutdown = new AbortController();
    const run = runPart(deps, CONNECTION_ID, 'upload', 'schedule', {
      whenBusy: 'wait',
      signal: shutdown.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    shutdown.abort();
    const outcome = await run;
    expect(outcome.outcome).toBe('busy');
    expect(outcome.message).toMatch(/^ClassBridge is closing; the run did not start\./);
    expect(store.runs.list({ connectionId: CONNECTION_ID })).toEqual([]);
  });

  it('takes over at once the lease of a process that is gone (kill -9), and gives it back at the end', async () => {
    const { store, deps, other } = await setUp();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    hold(other, gone);
    const outcome = await runPart(deps, CONNECTION_ID, 'upload', 'manual');
    expect(outcome.outcome, outcome.message).toMatch(/^(ok|partial)$/);
    expect(store.writeLeases.holder(CONNECTION_ID)).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) AS n FROM write_leases').get()).toEqual({ n: 0 });
  });

  it('a run whose lease was taken over (its heartbeat went quiet too long) stops after the batch in flight', async () => {
    const { sim, store, deps, other } = await setUp();
    // One record at a time and slow writes: the take-over lands while the users are being created.
    sim.setLatency({ perRequestMs: 0, perItemMs: 0, perWriteItemMs: 40 });
    const run = runPart({ ...deps, leaseHeartbeatMs: 20 }, CONNECTION_ID, 'upload', 'manual');
    const deadline = Date.now() + 10_000;
    while (sim.requestCount('core_user_create_users') === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 2));
    // Another computer judged it stale and took it (simulated: the row now names that process).
    other.db
      .prepare(
        "UPDATE write_leases SET owner_id = 'office-pc:1', pid = 1, host = 'office-pc', process_label = 'classbridge sync upload', heartbeat_at = ?",
      )
      .run(new Date().toISOString());
    const outcome = await run;
    expect(outcome.outcome).toBe('failed');
    expect(outcome.message).toMatch(
      /^Stopped: classbridge sync upload \(pid 1 on office-pc\) took over writing to Simulated Moodle, because this one had not shown for too long that it was still running\. \d+ of \d+ changes were sent and recorded/,
    );
    // Nothing after the users batch in flight: no course or enrolment was sent.
    expect(sim.requestCount('core_course_create_courses')).toBe(0);
    expect(sim.requestCount('enrol_manual_enrol_users')).toBe(0);
    expect(store.runs.last(CONNECTION_ID, 'upload')?.outcome).toBe('failed');
    // Its release left the new holder's lease alone.
    expect(other.writeLeases.holder(CONNECTION_ID)).toMatchObject({ host: 'office-pc', ownerId: 'office-pc:1' });
  });

  it('in one engine, a second writer queues behind the first rather than being turned away', async () => {
    const { store, deps } = await setUp();
    const [a, b] = await Promise.all([
      runPart(deps, CONNECTION_ID, 'upload', 'manual'),
      runPart(deps, CONNECTION_ID, 'reconcile', 'manual'),
    ]);
    expect(a.outcome, a.message).toMatch(/^(ok|partial)$/);
    expect(b.outcome, b.message).toMatch(/^(ok|partial)$/);
    expect(store.runs.list({ connectionId: CONNECTION_ID })).toHaveLength(2);
  });
});
