import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema } from '../../model';
import { openStore, type Store } from '../store';
import { WriteLeaseRepository, type WriteLeaseOptions } from './write-lease-repository';

/**
 * The lease repository as several processes see one database: each "process" is a repository with
 * its own pid and host on its own connection to the same file; a fake clock and a table of live
 * pids stand in for time passing and processes dying.
 */
const tempDir = useTempDirs();
let clock = new Date('2026-12-04T09:00:00Z');
let file: string;
const stores: Store[] = [];
const alive = new Set<number>();
/** pid → when that process started (a pid reused by another program starts at another time). */
const started = new Map<number, string>();

beforeEach(() => {
  clock = new Date('2026-12-04T09:00:00Z');
  alive.clear();
  started.clear();
  file = join(tempDir(), 'cb.db');
  const first = open();
  first.connections.save(
    ConnectionSchema.parse({
      id: 'moodle',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://m.example.org',
    }),
  );
  return () => {
    for (const s of stores.splice(0)) s.close();
  };
});

function open(): Store {
  const store = openStore({ file, now: () => clock });
  stores.push(store);
  return store;
}

/** Another process on this database: its own connection, pid and host. */
function processOn(pid: number, host = 'school-pc', options: WriteLeaseOptions = {}): WriteLeaseRepository {
  alive.add(pid);
  if (!started.has(pid)) started.set(pid, `start-${pid}`);
  return new WriteLeaseRepository(open().db, () => clock, {
    pid,
    host,
    isAlive: (p) => alive.has(p),
    startOf: (p) => started.get(p) ?? null,
    ...options,
  });
}

const seconds = (s: number) => {
  clock = new Date(clock.getTime() + s * 1000);
};
const claim = { part: 'upload', processLabel: 'classbridge sync upload' };

describe('write leases', () => {
  it('gives the lease to one process; a second is told who holds it, since when', () => {
    const terminal = processOn(100);
    const app = processOn(200);
    const got = terminal.acquire('moodle', claim);
    expect(got.acquired).toBe(true);
    seconds(5);
    const second = app.acquire('moodle', { part: 'reconcile', processLabel: 'the ClassBridge app' });
    expect(second).toEqual({
      acquired: false,
      holder: expect.objectContaining({
        part: 'upload',
        pid: 100,
        host: 'school-pc',
        processLabel: 'classbridge sync upload',
        startedAt: '2026-12-04T09:00:00.000Z',
      }),
    });
    expect(app.holder('moodle')?.pid).toBe(100);
  });

  it('is free again once released, and a release only gives back the releasing owner’s lease', () => {
    const a = processOn(100);
    const b = processOn(200);
    const first = a.acquire('moodle', claim);
    if (!first.acquired) throw new Error('not acquired');
    b.release('moodle', 'someone-else');
    expect(b.acquire('moodle', claim).acquired).toBe(false);
    a.release('moodle', first.lease.ownerId);
    expect(b.holder('moodle')).toBeUndefined();
    const second = b.acquire('moodle', claim);
    expect(second.acquired && second.lease.pid).toBe(200);
    expect(second.acquired && second.tookOver).toBeUndefined();
  });

  it('takes over at once from a process on this host that no longer exists (kill -9)', () => {
    const killed = processOn(100);
    const next = processOn(200);
    expect(killed.acquire('moodle', claim).acquired).toBe(true);
    alive.delete(100);
    const got = next.acquire('moodle', claim);
    expect(got.acquired).toBe(true);
    expect(got.acquired && got.tookOver?.pid).toBe(100);
  });

  it('takes over at once when the pid now belongs to a program started later (the system reused it)', () => {
    const killed = processOn(100);
    const next = processOn(200);
    expect(killed.acquire('moodle', claim).acquired).toBe(true);
    // The holder died and pid 100 went to another program: alive, but not the process that took the lease.
    started.set(100, 'start-of-another-program');
    const got = next.acquire('moodle', claim);
    expect(got.acquired && got.tookOver?.pid).toBe(100);
  });

  it('trusts a live pid on this host over a late heartbeat (a long synchronous plan), up to the same-host limit', () => {
    const busy = processOn(100);
    const other = processOn(200, 'school-pc', { sameHostStaleAfterMs: 600_000 });
    expect(busy.acquire('moodle', claim).acquired).toBe(true);
    seconds(120);
    expect(other.acquire('moodle', claim).acquired).toBe(false);
    // After ten minutes without a heartbeat the pid is taken for one reused by some other program.
    seconds(481);
    expect(other.acquire('moodle', claim).acquired).toBe(true);
  });

  it('on another host, goes by the heartbeat: held while it beats, stale after the timeout', () => {
    const remote = processOn(100, 'office-pc');
    const here = processOn(100, 'school-pc', { staleAfterMs: 60_000 });
    const got = remote.acquire('moodle', claim);
    if (!got.acquired) throw new Error('not acquired');
    for (let i = 0; i < 6; i++) {
      seconds(10);
      expect(remote.heartbeat('moodle', got.lease.ownerId)).toBe(true);
    }
    expect(here.acquire('moodle', claim).acquired).toBe(false);
    seconds(60);
    expect(here.acquire('moodle', claim).acquired).toBe(false);
    seconds(1);
    const taken = here.acquire('moodle', claim);
    expect(taken.acquired && taken.tookOver?.host).toBe('office-pc');
    // The old holder learns it lost the lease at its next heartbeat, and its release leaves the new one.
    expect(remote.heartbeat('moodle', got.lease.ownerId)).toBe(false);
    remote.release('moodle', got.lease.ownerId);
    expect(here.holder('moodle')?.host).toBe('school-pc');
  });

  it('keeps one lease per LMS connection: another LMS is free', () => {
    open().connections.save(
      ConnectionSchema.parse({
        id: 'totara',
        kind: 'lms',
        provider: 'moodle',
        name: 'T',
        url: 'https://t.example.org',
      }),
    );
    const a = processOn(100);
    const b = processOn(200);
    expect(a.acquire('moodle', claim).acquired).toBe(true);
    expect(b.acquire('totara', claim).acquired).toBe(true);
    expect(b.acquire('moodle', claim).acquired).toBe(false);
  });

  it('the store has it, and a connection deleted takes its lease with it', () => {
    const store = open();
    expect(store.writeLeases.acquire('moodle', claim).acquired).toBe(true);
    store.connections.remove('moodle');
    expect(store.writeLeases.holder('moodle')).toBeUndefined();
  });
});
