import type Database from 'better-sqlite3';
import { existsSync, readdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sqliteCode } from './errors';

/** What SQLite's own check found. `problems` are its lines, as it wrote them (at most PROBLEM_LIMIT). */
export interface IntegrityReport {
  ok: boolean;
  kind: 'quick' | 'full';
  problems: string[];
  /** The tables (and the tables of indexes) the problems are in, where SQLite's lines name them. */
  tables: string[];
}

/** SQLite stops listing after this many; enough to say what is damaged without reading the whole file twice. */
const PROBLEM_LIMIT = 100;

/**
 * `PRAGMA quick_check`: every page of every table and index is read and its structure checked, but
 * index contents are not matched against their tables (that is the full check's extra cost). Fast
 * enough to run at every start and before every run that writes to an LMS.
 */
export function quickCheck(db: Database.Database): IntegrityReport {
  return check(db, 'quick');
}

/** `PRAGMA integrity_check`: the quick check plus every index against its table and every CHECK/NOT NULL. */
export function integrityCheck(db: Database.Database): IntegrityReport {
  return check(db, 'full');
}

function check(db: Database.Database, kind: IntegrityReport['kind']): IntegrityReport {
  let problems: string[];
  try {
    const rows = db.pragma(`${kind === 'quick' ? 'quick_check' : 'integrity_check'}(${PROBLEM_LIMIT})`) as Record<
      string,
      unknown
    >[];
    problems = rows.map((row) => String(Object.values(row)[0] ?? '')).filter((line) => line !== 'ok');
  } catch (err) {
    // A page so broken that SQLite cannot even walk to it throws instead of listing.
    const code = sqliteCode(err) ?? '';
    if (code !== 'SQLITE_NOTADB' && !code.startsWith('SQLITE_CORRUPT')) throw err;
    problems = [err instanceof Error ? err.message : String(err)];
    return { ok: false, kind, problems, tables: tablesThatThrow(db, kind) };
  }
  return { ok: problems.length === 0, kind, problems, tables: problems.length > 0 ? tablesNamed(db, problems) : [] };
}

/** When the whole check throws, each table is checked on its own (SQLite ≥ 3.33) to say which ones are damaged. */
function tablesThatThrow(db: Database.Database, kind: IntegrityReport['kind']): string[] {
  let tables: string[];
  try {
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
  } catch {
    return [];
  }
  const damaged: string[] = [];
  for (const table of tables) {
    try {
      const rows = db.pragma(
        `${kind === 'quick' ? 'quick_check' : 'integrity_check'}("${table.replace(/"/g, '""')}")`,
      ) as Record<string, unknown>[];
      if (rows.some((row) => Object.values(row)[0] !== 'ok')) damaged.push(table);
    } catch {
      damaged.push(table);
    }
  }
  return damaged.sort();
}

/**
 * Which tables the lines are about: "Tree 7 page 12 …" names a root page, "… missing from index X" an
 * index, "CHECK constraint failed in people" and "NULL value in people.name" a table. The schema
 * itself may be unreadable; then only the names in the lines are used.
 */
function tablesNamed(db: Database.Database, problems: readonly string[]): string[] {
  let objects: { name: string; tbl_name: string; rootpage: number }[] = [];
  try {
    objects = db.prepare('SELECT name, tbl_name, rootpage FROM sqlite_master').all() as typeof objects;
  } catch {
    // The schema page is damaged too: the lines alone must do.
  }
  const byRoot = new Map(objects.map((o) => [o.rootpage, o.tbl_name]));
  const byName = new Map(objects.map((o) => [o.name, o.tbl_name]));
  const found = new Set<string>();
  for (const line of problems) {
    const tree = /Tree (\d+) page/.exec(line);
    if (tree) {
      const table = byRoot.get(Number(tree[1]));
      if (table) found.add(table);
    }
    for (const m of line.matchAll(/(?:index|in) ([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const table = byName.get(m[1] ?? '');
      if (table) found.add(table);
    }
  }
  return [...found].sort();
}

/** "people, links: 14 problems, first: Tree 5 page 9 cell 0: …" — for a message or doctor's detail. */
export function describeDamage(report: IntegrityReport): string {
  const first = report.problems[0] ?? 'damaged';
  const where = report.tables.length > 0 ? `in ${report.tables.join(', ')}; ` : '';
  const count =
    report.problems.length >= PROBLEM_LIMIT
      ? `${PROBLEM_LIMIT} or more problems`
      : `${report.problems.length} problem(s)`;
  return `${where}${count}, first: ${first}`;
}

/** The folder the dated backups go to: `backups/` beside the database. */
export function backupsFolder(databaseFile: string): string {
  return join(dirname(databaseFile), 'backups');
}

/** Dated backups (`classbridge-YYYY-MM-DD.db`), newest first. */
export function listBackups(databaseFile: string): { file: string; date: string }[] {
  const folder = backupsFolder(databaseFile);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => ({ name, m: /^classbridge-(\d{4}-\d{2}-\d{2})\.db$/.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null && statSync(join(folder, e.name)).isFile())
    .map((e) => ({ file: join(folder, e.name), date: e.m[1] ?? '' }))
    .sort((a, b) => b.date.localeCompare(a.date));
}

/**
 * The one problem a damaged database gives, everywhere it is shown (a refused run, doctor, the log):
 * what is damaged and the command that mends it, naming the newest backup when there is one.
 */
export function damagedDatabaseMessage(databaseFile: string, report: IntegrityReport): string {
  const newest = listBackups(databaseFile)[0];
  const restore = newest
    ? `restore the newest backup with \`classbridge restore ${newest.file}\``
    : `restore the newest backup with \`classbridge restore <file>\` (no dated backup was found in ${backupsFolder(databaseFile)})`;
  return `The ClassBridge database is damaged (${describeDamage(report)}): ${restore}. Nothing is sent to the LMS until then.`;
}

/** Thrown where a run must not go on from a damaged database (the pre-run check, a backup). */
export class DatabaseDamagedError extends Error {
  override readonly name = 'DatabaseDamagedError';
  constructor(
    message: string,
    readonly report: IntegrityReport,
  ) {
    super(message);
  }
}

/** What the check at opening found; kept per connection so the host can show it without checking again. */
const atOpen = new WeakMap<Database.Database, IntegrityReport>();

export function rememberIntegrityAtOpen(db: Database.Database, report: IntegrityReport): void {
  atOpen.set(db, report);
}

export function integrityAtOpen(db: Database.Database): IntegrityReport | undefined {
  return atOpen.get(db);
}

/** SQLite's SQLITE_FULL ("database or disk is full"), or the system's ENOSPC on a file ClassBridge writes. */
export function isDiskFull(err: unknown): boolean {
  const code = sqliteCode(err) ?? '';
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || /database or disk is full/.test(String(err));
}

/** Free space on the disk holding `folder`, in whole MB; undefined where the system does not say. */
export function freeMegabytes(folder: string): number | undefined {
  try {
    const stats = statfsSync(folder);
    return Math.floor((stats.bavail * stats.bsize) / (1024 * 1024));
  } catch {
    return undefined;
  }
}

/**
 * The words for a full disk instead of SQLite's: which disk, how much is left, what to do, and that
 * nothing stored before was lost (a write that does not fit is rolled back whole).
 */
export function diskFullMessage(dataFolder: string, what: 'import' | 'run'): string {
  const free = freeMegabytes(dataFolder);
  const head = `The disk that holds ${dataFolder} is full (${free === undefined ? 'unknown' : free} MB free)`;
  return what === 'import'
    ? `${head}: free space and import again. The previous SMS data is kept.`
    : `${head}: free space and run it again. What was sent before is recorded, and the rest is sent by the next run.`;
}
