import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { classifyOpenError, StoreError } from './errors';
import { damagedDatabaseMessage, quickCheck, rememberIntegrityAtOpen, type IntegrityReport } from './integrity';
import { MIGRATIONS, type Migration } from './migrations';

/** 'CBRG' — marks the file as ClassBridge's, so we never migrate some other app's database. */
export const APPLICATION_ID = 0x43425247;

export interface OpenDatabaseOptions {
  file: string;
  /** How long to wait for another connection's lock before giving up (better-sqlite3 `timeout`). */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
  now?: () => Date;
}

export interface MigrationReport {
  from: number;
  to: number;
  /** The copy taken before upgrading an existing database; absent for a new file or no change. */
  backupFile?: string;
}

export interface OpenedDatabase {
  db: Database.Database;
  migration: MigrationReport;
  /** The quick check made at opening (also kept for `integrityAtOpen(db)`). */
  integrity: IntegrityReport;
}

/**
 * Opens (or creates) the database, refuses files it must not touch, backs up and migrates.
 * Order matters: every check that can refuse the file runs before the first write (even switching
 * to WAL writes to the header), so a refused file is left byte-for-byte as it was.
 */
export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const { file, busyTimeoutMs = 5000, migrations = MIGRATIONS, now = () => new Date() } = options;
  const existed = existsSync(file) && statSync(file).size > 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    const from = checkCanOpen(db, file, existed, migrations.length);
    const pending = migrations.filter((m) => m.version > from);
    const integrity = quickCheck(db);
    /*
     * A damaged file (pages broken, but the header and schema readable) is opened, not refused: the
     * app, `classbridge serve` and `status` must start far enough to show the problem, and
     * `classbridge restore` to replace it. It is not opened read-only either: the engine records runs
     * (the refused ones are what puts the problem on the dashboard and tray) and writes to healthy
     * pages are safe. What must not happen is planning from it: every run that writes to an LMS checks
     * again first (sync/run-part.ts) and stops with the restore message. Only an upgrade is refused,
     * since migrating damaged rows would spread the damage into the new schema and its backup.
     */
    if (!integrity.ok && pending.length > 0 && from > 0)
      throw new StoreError('corrupt', `${damagedDatabaseMessage(file, integrity)} It has not been upgraded.`, file);
    let backupFile: string | undefined;
    if (pending.length > 0 && from > 0) backupFile = backup(db, file, from, now());
    applyMigrations(db, pending, from === 0);
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk (the WAL fsynced) before it returns, so what KAMAR was answered "OK" for
    // (the push spool) and the LMS ids journalled after each batch survive a power cut, not only a killed
    // process. ClassBridge commits per batch or per push, so the cost is a few fsyncs a second.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const to = pending.at(-1)?.version ?? from;
    rememberIntegrityAtOpen(db, integrity);
    return { db, migration: { from, to, ...(backupFile ? { backupFile } : {}) }, integrity };
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err;
    throw classifyOpenError(err, file) ?? err;
  }
}

function checkCanOpen(db: Database.Database, file: string, existed: boolean, latest: number): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number })
    .n;
  if (existed && appId !== APPLICATION_ID && (appId !== 0 || tableCount > 0)) {
    throw new StoreError(
      'not-classbridge',
      `${file} is a database, but not a ClassBridge one. It has not been changed. Choose another data ` +
        `folder, or move that file away.`,
      file,
    );
  }
  if (version > latest) {
    throw new StoreError(
      'newer-version',
      `The database ${file} was written by a newer version of ClassBridge (schema ${version}; this version ` +
        `understands up to ${latest}). It has not been changed. Install the newer ClassBridge again, or ` +
        `restore a backup taken before the upgrade (files named ${basename(file)}.backup-*).`,
      file,
    );
  }
  return version;
}

/** A consistent copy via VACUUM INTO, next to the database, named after the version it holds. */
function backup(db: Database.Database, file: string, version: number, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const target = join(dirname(file), `${basename(file)}.backup-v${version}-${stamp}`);
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

function applyMigrations(db: Database.Database, pending: readonly Migration[], isNew: boolean): void {
  for (const migration of pending) {
    // IMMEDIATE takes the write lock first, so a busy file fails before any change is made.
    db.transaction(() => {
      if (isNew && migration === pending[0]) db.pragma(`application_id = ${APPLICATION_ID}`);
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
