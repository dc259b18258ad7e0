import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { databaseFile } from '../core/paths/data-dir';
import { runCliAsync, serve } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

/**
 * Issue 22 item 7, through the built `classbridge` command with real files: a backup taken while
 * `classbridge serve` runs, the database then changed and damaged, `classbridge restore` bringing the
 * backup back (the damaged file kept aside); and the files restore must refuse.
 */
const tempDir = useTempDirs();
let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

function query<T>(file: string, sql: string): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}
const count = (file: string, table: string) => query<{ n: number }>(file, `SELECT count(*) AS n FROM ${table}`).n;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function datedBackups(dataDir: string): string[] {
  const folder = join(dataDir, 'backups');
  return existsSync(folder)
    ? readdirSync(folder)
        .filter((n) => /^classbridge-\d{4}-\d{2}-\d{2}\.db$/.test(n))
        .map((n) => join(folder, n))
    : [];
}

function damagePage(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const { pageno } = db.prepare('SELECT max(pageno) AS pageno FROM dbstat WHERE name = ?').get(table) as {
    pageno: number;
  };
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
  closeSync(fd);
}

describe('classbridge backup and restore', () => {
  it('backs up while serve runs; restores it over a damaged database, keeping that one aside', async () => {
    const dir = tempDir();
    const { dataDir } = await setUpSchoolWithLms(dir, sim, 7);
    const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
    // The upload fills links and applied state (a few records the simulator refuses do not matter here).
    expect((await cli('sync', 'upload')).stdout).toContain('Upload:');
    const file = databaseFile(dataDir);
    const host = await serve(dataDir);
    let backupFile: string;
    try {
      const backup = await cli('backup');
      expect(backup.stderr).toBe('');
      expect(backup.status).toBe(0);
      const backups = datedBackups(dataDir);
      expect(backups).toHaveLength(1);
      backupFile = backups[0] ?? '';
      expect(backup.stdout).toContain(backupFile);
      // Restoring under a running ClassBridge would pull the file from under it: refused, nothing changed.
      const busy = await cli('restore', backupFile);
      expect(busy.status).toBe(1);
      expect(busy.stderr).toContain('Another program has the ClassBridge database');
      expect(readdirSync(join(dataDir, 'backups')).filter((n) => n.includes('replaced'))).toEqual([]);
    } finally {
      await host.stop();
    }
    // The copy is whole and holds what the live database held at that moment.
    expect(query<{ r: string }>(backupFile, 'SELECT integrity_check AS r FROM pragma_integrity_check()').r).toBe('ok');
    const linksAtBackup = count(file, 'links');
    expect(linksAtBackup).toBeGreaterThan(0);
    expect(count(backupFile, 'links')).toBe(linksAtBackup);
    const sourceAtBackup = query<{ source: string }>(file, 'SELECT source FROM snapshot_meta').source;

    // After the backup: a newer export, then the disk damages the links.
    writeFileSync(join(dir, 'newer.csv'), combinedCsv(generateSchool({ seed: 8 })));
    expect((await cli('import', '--provider', 'csv', join(dir, 'newer.csv'))).status).toBe(0);
    damagePage(file, 'links');
    const doctor = await cli('doctor');
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL Database: .* is damaged \(in links/);
    expect(doctor.stdout).toContain(`fix: classbridge restore ${backupFile}`);
    const damagedHash = sha(file);

    const restore = await cli('restore', backupFile);
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    expect(restore.stdout).toContain('re-plans');
    const replaced = /kept as (\S+\.db)\./.exec(restore.stdout)?.[1] ?? '';
    expect(replaced).toMatch(/backups\/classbridge-replaced-.+\.db$/);
    // The damaged one is kept aside, byte for byte; the restored one is whole and is the backup's.
    expect(sha(replaced)).toBe(damagedHash);
    expect(query<{ r: string }>(file, 'SELECT integrity_check AS r FROM pragma_integrity_check()').r).toBe('ok');
    expect(count(file, 'links')).toBe(linksAtBackup);
    expect(query<{ source: string }>(file, 'SELECT source FROM snapshot_meta').source).toBe(sourceAtBackup);
    const after = await cli('doctor');
    expect(after.stdout).toMatch(/ok +Database: .*integrity ok/);
    expect((await cli('status')).status).toBe(0);
  });

  it('round-trips a backup through the running host: the engine swaps the database and carries on', async () => {
    const dir = tempDir();
    const { dataDir } = await setUpSchoolWithLms(dir, sim, 11);
    const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
    expect((await cli('sync', 'upload')).stdout).toContain('Upload:');
    const file = databaseFile(dataDir);
    const host = await serve(dataDir);
    type Answer<T> = { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
    const call = async <T>(method: string, input: unknown = {}): Promise<Answer<T>> => {
      const res = await fetch(`${host.origin}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as Answer<T>;
    };
    const ok = <T>(answer: Answer<T>): T => {
      if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
      return answer.result;
    };
    let linksAtBackup: number;
    try {
      const backup = ok(await call<{ file: string; bytes: number }>('database:backup'));
      const backupFile = backup.file;
      expect(backup.bytes).toBeGreaterThan(0);
      const listed = ok(await call<{ backups: { file: string; date: string }[] }>('database:backups'));
      expect(listed.backups.map((b) => b.file)).toEqual([backupFile]);
      linksAtBackup = count(backupFile, 'links');
      const sourceAtBackup = query<{ source: string }>(backupFile, 'SELECT source FROM snapshot_meta').source;

      // After the backup: a newer export arrives while the host runs.
      writeFileSync(join(dir, 'newer.csv'), combinedCsv(generateSchool({ seed: 12 })));
      expect((await cli('import', '--provider', 'csv', join(dir, 'newer.csv'))).status).toBe(0);
      expect(query<{ source: string }>(file, 'SELECT source FROM snapshot_meta').source).not.toBe(sourceAtBackup);

      // A file that is not a backup is refused, and the engine goes on from the database it had.
      writeFileSync(join(dir, 'notes.db'), 'not a database\n'.repeat(300));
      const refused = await call('database:restore', { file: join(dir, 'notes.db') });
      expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(ok(await call<{ snapshot: { source: string } | null }>('status:get')).snapshot?.source).not.toBe(
        sourceAtBackup,
      );

      const restored = ok(
        await call<{ message: string; replacedBy?: string }>('database:restore', { file: backupFile }),
      );
      expect(restored.message).toContain('re-plans');
      expect(restored.replacedBy).toMatch(/backups\/classbridge-replaced-.+\.db$/);
      // The running engine answers from the restored copy at once, and its sync still works.
      const status = ok(await call<{ snapshot: { source: string } | null }>('status:get'));
      expect(status.snapshot?.source).toBe(sourceAtBackup);
      const runs = ok(await call<{ outcome: string }[]>('sync:runNow', { target: 'upload' }));
      expect(runs.map((r) => r.outcome)).not.toContain('failed');
    } finally {
      expect(await host.stop()).toBe(0);
    }
    expect(query<{ r: string }>(file, 'SELECT integrity_check AS r FROM pragma_integrity_check()').r).toBe('ok');
    expect(count(file, 'links')).toBeGreaterThanOrEqual(linksAtBackup);
    expect((await cli('doctor')).stdout).toMatch(/ok +Database: .*integrity ok/);
  });

  it('refuses a file that is not a ClassBridge database, a damaged backup, and a restore while a run writes', async () => {
    const dir = tempDir();
    const { dataDir } = await setUpSchoolWithLms(dir, sim, 9);
    const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
    const backup = await cli('backup');
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const backupFile = datedBackups(dataDir)[0] ?? '';
    const file = databaseFile(dataDir);
    const before = sha(file);

    const text = join(dir, 'notes.db');
    writeFileSync(text, 'not a database at all\n'.repeat(400));
    const other = join(dir, 'other-app.db');
    new Database(other).exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);').close();
    for (const bad of [text, other]) {
      const refused = await cli('restore', bad);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/not a ClassBridge database|cannot be read as a ClassBridge database/);
    }
    const damaged = join(dir, 'damaged-backup.db');
    writeFileSync(damaged, readFileSync(backupFile));
    damagePage(damaged, 'people');
    const refusedDamaged = await cli('restore', damaged);
    expect(refusedDamaged.status).toBe(1);
    expect(refusedDamaged.stderr).toContain('is damaged too');

    // A live write lease: this test process, on this host, "writing to" the LMS right now.
    const db = new Database(file);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO write_leases (connection_id, part, owner_id, pid, pid_started, host, process_label, started_at, heartbeat_at)
       VALUES ('moodle-main', 'upload', 'test:1', ?, NULL, ?, 'classbridge sync upload', ?, ?)`,
    ).run(process.pid, hostname(), now, now);
    db.close();
    const busy = await cli('restore', backupFile);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain(`classbridge sync upload (pid ${process.pid}`);
    expect(existsSync(join(dataDir, 'backups'))).toBe(true);
    expect(readdirSync(join(dataDir, 'backups')).filter((n) => n.includes('replaced'))).toEqual([]);
    expect(count(file, 'write_leases')).toBe(1);
    expect(before).not.toBe(''); // the refused restores above left the file in place
  });
});
