import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AdapterLogger } from '../../../adapters/contract';
import type { Part } from '../model';
import { sqliteCode } from './errors';
import {
  backupsFolder,
  damagedDatabaseMessage,
  DatabaseDamagedError,
  integrityCheck,
  listBackups,
  quickCheck,
} from './integrity';
import { APPLICATION_ID, openDatabase } from './open-database';
import { MIGRATIONS } from './migrations';
import { WriteLeaseRepository } from './repositories/write-lease-repository';
import type { Store } from './store';

/** The date a backup is named by, in the school's time zone (a backup at 00:30 belongs to that day). */
export function backupDate(at: Date, timeZone: string): string {
  try {
    // en-CA formats as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** Dated backups older than the setting's keepDays, removed after this one was written. */
  pruned: string[];
}

export interface BackupOptions {
  now?: () => Date;
}

/**
 * A consistent copy of the open database through SQLite's online backup API (better-sqlite3's
 * `db.backup`), taken while the engine keeps running, as `backups/classbridge-<date>.db`. The full
 * integrity check runs first: a damaged database is never backed up, because its copy would replace
 * today's good one and let the good older ones be pruned. Written beside the target and renamed, so a
 * backup cut short (a full disk) never leaves a half file under a backup's name.
 */
export async function backupDatabase(store: Pick<Store, 'db' | 'file' | 'settings'>, options: BackupOptions = {}) {
  const now = options.now ?? (() => new Date());
  const report = integrityCheck(store.db);
  if (!report.ok) throw new DatabaseDamagedError(damagedDatabaseMessage(store.file, report), report);
  const settings = store.settings.get();
  const folder = backupsFolder(store.file);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const date = backupDate(now(), settings.timeZone);
  const target = join(folder, `classbridge-${date}.db`);
  // Unique per call: two connections' first runs of the day may back up at the same moment.
  const partial = `${target}.partial-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await store.db.backup(partial);
    // The database holds names and enrolments: readable by this user only, like the data folder.
    chmodSync(partial, 0o600);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  const pruned = pruneBackups(store.file, date, settings.backups.keepDays);
  return { file: target, bytes: statSync(target).size, pruned } satisfies BackupResult;
}

/** Removes dated backups more than keepDays before `today` (replaced-… copies are the admin's to delete). */
function pruneBackups(databaseFile: string, today: string, keepDays: number): string[] {
  const cutoff = new Date(`${today}T00:00:00Z`);
  cutoff.setUTCDate(cutoff.getUTCDate() - keepDays);
  const oldest = cutoff.toISOString().slice(0, 10);
  const pruned: string[] = [];
  for (const backup of listBackups(databaseFile)) {
    if (backup.date >= oldest) continue;
    rmSync(backup.file, { force: true });
    pruned.push(backup.file);
  }
  return pruned;
}

/** Whether today's backup has been taken (the daily backup piggybacks on the runs that write to an LMS). */
export function hasBackupFor(store: Pick<Store, 'file' | 'settings'>, at: Date): boolean {
  const date = backupDate(at, store.settings.get().timeZone);
  return listBackups(store.file).some((b) => b.date === date);
}

/** The parts that write to an LMS: the upload parts and reconcile. */
const WRITES_TO_LMS: ReadonlySet<Part> = new Set<Part>(['upload', 'reconcile']);

export interface DatabaseCheckFailure {
  message: string;
  fix: string;
}

/**
 * The check before a run that writes to an LMS (sync/run-part.ts): a quick check of the database the
 * run would plan from, and, once a day (the first such run of the day, the engine's only daily
 * rhythm), the full check and the day's backup. Undefined when the run may go on; else the one
 * problem to record. A backup that fails for another reason (say the disk is full) does not stop the
 * run: it is logged and tried again by the next run.
 */
export async function checkBeforeLmsWrite(
  store: Pick<Store, 'db' | 'file' | 'settings'>,
  part: Part,
  logger: AdapterLogger,
  now: () => Date = () => new Date(),
): Promise<DatabaseCheckFailure | undefined> {
  if (!WRITES_TO_LMS.has(part)) return undefined;
  const quick = quickCheck(store.db);
  const fix =
    'Restore the newest backup with `classbridge restore <file>` (`classbridge doctor` lists what is damaged).';
  if (!quick.ok) return { message: damagedDatabaseMessage(store.file, quick), fix };
  if (hasBackupFor(store, now())) return undefined;
  try {
    const backup = await backupDatabase(store, { now });
    logger.info({ file: backup.file, bytes: backup.bytes, pruned: backup.pruned.length }, 'daily database backup');
  } catch (err) {
    if (err instanceof DatabaseDamagedError) return { message: err.message, fix };
    logger.warn({ err: (err as Error).message, code: sqliteCode(err) }, 'daily database backup failed');
  }
  return undefined;
}

export interface RestoreOptions {
  /** The database file to replace (databaseFile(dataDir)). */
  file: string;
  /** The backup to restore. */
  source: string;
  now?: () => Date;
}

export interface RestoreResult {
  restored: string;
  /** Where the database it replaced was kept, when there was one. */
  replacedBy?: string;
  /** When the restored copy was last written to: its newest run, else the file's time. */
  copyDate: string;
  /** Runs the replaced database recorded after copyDate (null when it could not be read). */
  runsSince: number | null;
  schemaVersion: number;
  message: string;
}

/** Refused restores say why; the current database has not been touched. */
export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused';
}

/**
 * Replaces the database with a backup. The backup is checked in full first (a damaged or foreign file
 * is refused); so does another process with the database open (a live write lease names it; else an
 * exclusive-lock probe tells), since it would go on writing into the file being replaced. The current database is kept aside, never deleted, as
 * `backups/classbridge-replaced-<time>.db` (with its -wal, if a checkpoint could not fold it in).
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const now = options.now ?? (() => new Date());
  const { file, source } = options;
  const checked = checkBackupFile(source);
  if (existsSync(file)) refuseWhileWriting(file, now);
  const replacedBy = existsSync(file) ? setAside(file, now()) : undefined;
  mkdirSync(dirname(file), { recursive: true });
  const src = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(file);
  } finally {
    src.close();
  }
  chmodSync(file, 0o600);
  // Opening migrates a copy from an older version (taking its own backup first) and checks it again.
  const opened = openDatabase({ file, now });
  // Leases copied from the moment of the backup belong to no one now.
  opened.db.prepare('DELETE FROM write_leases').run();
  const schemaVersion = opened.migration.to;
  opened.db.close();
  const runsSince = replacedBy ? countRunsSince(replacedBy, checked.copyDate) : null;
  const message =
    `Restored ${source} (written up to ${checked.copyDate}). It does not have what was recorded after that` +
    (runsSince !== null ? ` (${runsSince} run(s) in the replaced database)` : '') +
    ': links, course Open/Closed decisions, held-plan decisions and results delivered since then. ' +
    'The next reconcile re-plans every LMS from what the LMS holds now, so runs since then are not sent twice; ' +
    're-import the SMS export if the newest one came after that date.' +
    (replacedBy ? ` The database it replaced is kept as ${replacedBy}.` : '');
  return {
    restored: file,
    ...(replacedBy ? { replacedBy } : {}),
    copyDate: checked.copyDate,
    runsSince,
    schemaVersion,
    message,
  };
}

function checkBackupFile(source: string): { copyDate: string } {
  if (!existsSync(source) || !statSync(source).isFile()) throw new RestoreRefused(`There is no file ${source}.`);
  let db: Database.Database | undefined;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID)
      throw new RestoreRefused(`${source} is not a ClassBridge database; nothing was changed.`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length)
      throw new RestoreRefused(
        `${source} was written by a newer ClassBridge (schema ${version}); install that version to restore it. Nothing was changed.`,
      );
    const report = integrityCheck(db);
    if (!report.ok)
      throw new RestoreRefused(
        `${source} is damaged too (${report.problems[0] ?? 'integrity check failed'}); choose an older backup. Nothing was changed.`,
      );
    const last = db.prepare('SELECT max(started_at) AS at FROM runs').get() as { at: string | null };
    return { copyDate: last.at ?? statSync(source).mtime.toISOString() };
  } catch (err) {
    if (err instanceof RestoreRefused) throw err;
    throw new RestoreRefused(
      `${source} cannot be read as a ClassBridge database (${err instanceof Error ? err.message : String(err)}); nothing was changed.`,
    );
  } finally {
    db?.close();
  }
}

/** A live write lease in the current database: another ClassBridge process is writing to an LMS now. */
function refuseWhileWriting(file: string, now: () => Date): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 2000 });
    const leases = new WriteLeaseRepository(db, now);
    const ids = db.prepare('SELECT connection_id AS id FROM write_leases').all() as { id: string }[];
    for (const { id } of ids) {
      const holder = leases.holder(id);
      if (holder)
        throw new RestoreRefused(
          `${holder.processLabel} (pid ${holder.pid} on ${holder.host}) is writing to an LMS from this database. ` +
            'Stop it (quit the app, or stop `classbridge serve`) and restore again. Nothing was changed.',
        );
    }
  } catch (err) {
    if (err instanceof RestoreRefused) throw err;
    // A database too damaged to read its leases is exactly the one being replaced.
  } finally {
    db?.close();
  }
  if (openElsewhere(file))
    throw new RestoreRefused(
      `Another program has the ClassBridge database ${file} open (the app, \`classbridge serve\`, or a command ` +
        'still running). Restore from it while it runs (Settings → Database in the window), or quit it and ' +
        'restore again. Nothing was changed.',
    );
}

/**
 * Whether any other connection has the database open: in WAL mode every open connection holds a
 * shared lock, so an exclusive transaction is refused at once (SQLITE_BUSY) while the app or
 * `classbridge serve` runs, even idle. The probe writes nothing.
 */
function openElsewhere(file: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 200 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (err) {
    return (sqliteCode(err) ?? '').startsWith('SQLITE_BUSY') || (sqliteCode(err) ?? '').startsWith('SQLITE_LOCKED');
  } finally {
    db?.close();
  }
}

/** Moves the current database (and its WAL, folded in where possible) to backups/…-replaced-<time>.db. */
function setAside(file: string, at: Date): string {
  try {
    const db = new Database(file, { fileMustExist: true, timeout: 2000 });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // Damaged past checkpointing: its -wal is moved with it, so nothing in it is lost.
  }
  const folder = backupsFolder(file);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, `classbridge-replaced-${at.toISOString().replace(/[:.]/g, '-')}.db`);
  renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  return target;
}

function countRunsSince(replaced: string, since: string): number | null {
  try {
    const db = new Database(replaced, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM runs WHERE started_at > ?').get(since) as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}
