import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { databaseFile } from '../core/paths/data-dir';
import { KeychainSecretStore } from '../core/secrets';
import { openStore } from '../core/store/store';
import { REPO_ROOT, runCliAsync, serve, type CliResult } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

/**
 * Issue 13 item 4: one writer per LMS across processes. Two real `classbridge sync upload`
 * processes on one data folder, against a slow simulator: the second, started while the first is
 * sending, exits 1 naming the first, records no run and sends nothing; the LMS holds every write once.
 */
const tempDir = useTempDirs();
const BIN = join(REPO_ROOT, 'bin/classbridge.mjs');

interface Child {
  pid: number;
  exited(): boolean;
  done: Promise<CliResult>;
}

function startCli(args: readonly string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.once('exit', () => (exited = true));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.once('close', (status) => resolve({ status, stdout, stderr })),
  );
  if (child.pid === undefined) throw new Error('the CLI did not start');
  return { pid: child.pid, exited: () => exited, done };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The lease row as another process sees it (read-only: the test must not take part in locking). */
function leaseRow(dataDir: string): { pid: number; process_label: string } | undefined {
  const db = new Database(databaseFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT pid, process_label FROM write_leases').get() as
      { pid: number; process_label: string } | undefined;
  } finally {
    db.close();
  }
}

function duplicates(sim: MoodleSim): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const u of sim.state.users.values()) {
    if (u.deleted) continue;
    if (seen.has(u.username)) dup.push(u.username);
    seen.add(u.username);
  }
  for (const ue of sim.state.userEnrolments) {
    const key = `enrolment ${ue.enrolid}/${ue.userid}`;
    if (seen.has(key)) dup.push(key);
    seen.add(key);
  }
  return dup;
}

describe('one writer per LMS across processes', () => {
  it('a second `classbridge sync upload` while one is sending exits 1 naming it, and sends nothing', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 41);
      // Slow enough that the first upload is still sending when the second has started.
      sim.setLatency({ perRequestMs: 2500, perItemMs: 0 });
      const first = startCli(['--data-dir', dataDir, 'sync', 'upload']);
      await until('the first upload to write', () => sim.requestCount('core_user_create_users') > 0);
      expect(leaseRow(dataDir)?.pid).toBe(first.pid);

      const second = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(first.exited(), 'the first upload had already finished').toBe(false);
      expect(second.status, second.stderr).toBe(1);
      expect(second.stdout).toMatch(
        new RegExp(
          `Moodle \\(main\\): busy — An upload to Moodle \\(main\\) is already running in classbridge sync upload \\(pid ${first.pid} on ${hostname()}\\), started \\d`,
        ),
      );
      expect(second.stdout).toContain('Wait for it to finish');
      const firstResult = await first.done;
      expect(firstResult.status, firstResult.stderr).toBeLessThanOrEqual(1);

      // Only the first upload ran and wrote: one run, each student created once, no duplicates.
      const store = openStore({ file: databaseFile(dataDir) });
      try {
        const runs = store.runs.list({ connectionId: 'moodle-main', part: 'upload' });
        expect(runs.map((r) => r.outcome)).toEqual([expect.stringMatching(/^(ok|partial)$/)]);
        expect(store.writeLeases.holder('moodle-main')).toBeUndefined();
      } finally {
        store.close();
      }
      expect(sim.itemCount('core_user_create_users')).toBe(school.students.length);
      expect(duplicates(sim)).toEqual([]);
      expect(leaseRow(dataDir)).toBeUndefined();

      // Free again: the next upload runs (and has nothing left to create).
      sim.setLatency({ perRequestMs: 0, perItemMs: 0 });
      sim.resetCounters();
      const third = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(third.stdout).toMatch(/Moodle \(main\): (ok|partial)/);
      expect(sim.requestCount('core_user_create_users')).toBe(0);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  }, 90_000);

  it('`classbridge sync upload --wait` waits for the other process, then runs from what it left', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 43);
      sim.setLatency({ perRequestMs: 1500, perItemMs: 0 });
      const first = startCli(['--data-dir', dataDir, 'sync', 'upload']);
      await until('the first upload to write', () => sim.requestCount('core_user_create_users') > 0);
      const waiting = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload', '--wait']);
      expect(first.exited(), 'the waiting upload ended before the first').toBe(true);
      expect(waiting.stdout).toMatch(/Moodle \(main\): (ok|partial)/);
      expect(waiting.stdout).not.toContain('busy');
      // Each student created once: the waiting upload found everything the first one made.
      expect(sim.itemCount('core_user_create_users')).toBe(school.students.length);
      expect(duplicates(sim)).toEqual([]);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  }, 90_000);

  it('the app (`classbridge serve`) waits quietly for an upload from a terminal, then runs from what it left', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 42);
      sim.setLatency({ perRequestMs: 2500, perItemMs: 0 });
      const terminal = startCli(['--data-dir', dataDir, 'sync', 'upload']);
      await until('the terminal upload to write', () => sim.requestCount('core_user_create_users') > 0);
      const host = await serve(dataDir);
      try {
        const res = await fetch(`${host.origin}/api/sync:runNow`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ target: 'upload' }),
        });
        const answer = (await res.json()) as { ok: boolean; result: { outcome: string; message: string }[] };
        // Upload now answered only once the terminal's upload had finished, and ran after it.
        expect(terminal.exited(), 'Upload now ran while the terminal upload was still sending').toBe(true);
        expect(answer.result[0]?.outcome, answer.result[0]?.message).toMatch(/^(ok|partial)$/);
        expect((await terminal.done).status).toBeLessThanOrEqual(1);
      } finally {
        expect(await host.stop()).toBe(0);
      }
      // Every student created once; the app's run planned from what the terminal's left (nothing to
      // create), and waiting was no failure: no failed run, so no backoff and no problem shown.
      expect(sim.itemCount('core_user_create_users')).toBe(school.students.length);
      expect(duplicates(sim)).toEqual([]);
      const store = openStore({ file: databaseFile(dataDir) });
      try {
        const runs = store.runs.list({ connectionId: 'moodle-main', part: 'upload' });
        expect(runs.filter((r) => r.outcome === 'failed')).toEqual([]);
        // Oldest first: the terminal's run, then the app's, each started after the one before ended.
        const [terminalRun, ...appRuns] = [...runs].reverse();
        expect(terminalRun?.trigger).toBe('manual');
        expect(appRuns.length).toBeGreaterThanOrEqual(1);
        let previousEnd = terminalRun?.finishedAt ?? '';
        for (const run of appRuns) {
          expect(run.startedAt >= previousEnd, `a run started at ${run.startedAt}, before ${previousEnd}`).toBe(true);
          expect(run.counts.created ?? 0).toBe(0);
          previousEnd = run.finishedAt ?? '';
        }
      } finally {
        store.close();
      }
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  }, 90_000);
});
