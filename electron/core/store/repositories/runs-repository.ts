import type { Database } from 'better-sqlite3';
import type { Part, Run, RunError, RunOutcome, RunRepair } from '../../model';
import { processIsAlive } from '../process-identity';

interface RunRow {
  id: number;
  connection_id: string | null;
  part: Part;
  trigger_kind: 'manual' | 'schedule';
  started_at: string;
  finished_at: string | null;
  outcome: RunOutcome;
  counts: string;
  message: string | null;
}

interface RunErrorRow {
  id: number;
  run_id: number;
  connection_id: string | null;
  part: Part;
  record_kind: string;
  record_key: string;
  course: string | null;
  message: string;
  fix: string;
  created_at: string;
  resolved_at: string | null;
}

export interface NewRunError {
  recordKind: string;
  recordKey: string;
  course?: string;
  message: string;
  fix: string;
}

export interface ErrorFilter {
  part?: Part;
  connectionId?: string;
  includeResolved?: boolean;
  limit?: number;
}

/**
 * Errors with one cause: the same connection, part, kind of record and fix. The fix names the cause
 * ("Choose a category for new courses…"); messages often name the record ("No LMS course matches
 * 10ENG…"), so they may differ within a group: `message` is the first one and `messages` how many differ.
 */
export interface RunErrorGroupRow {
  connectionId: string | null;
  part: Part;
  recordKind: string;
  message: string;
  messages: number;
  fix: string;
  count: number;
  lastAt: string;
  /** Every error of the group resolved (only listed with includeResolved). */
  resolved: boolean;
  /** The first few errors of the group, oldest first, to name their records. */
  examples: RunError[];
}

/** Runs of each part and the per-record errors they left. */
export class RunsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  start(connectionId: string | null, part: Part, trigger: 'manual' | 'schedule'): number {
    const info = this.db
      .prepare(
        `INSERT INTO runs (connection_id, part, trigger_kind, started_at, outcome, owner_pid)
         VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(connectionId, part, trigger, this.now().toISOString(), process.pid);
    return Number(info.lastInsertRowid);
  }

  /**
   * Closes runs left 'running' by a process that no longer exists (killed, crashed, the computer
   * restarted) as failed, so health and history do not show them running forever. What they applied
   * is journalled; the next run carries on from it. Returns how many were closed.
   */
  closeInterrupted(isAlive: (pid: number) => boolean = processIsAlive): number {
    const rows = this.db.prepare("SELECT id, owner_pid FROM runs WHERE outcome = 'running'").all() as {
      id: number;
      owner_pid: number | null;
    }[];
    const dead = rows.filter((r) => r.owner_pid !== process.pid && (r.owner_pid === null || !isAlive(r.owner_pid)));
    for (const run of dead) {
      this.finish(
        run.id,
        'failed',
        {},
        'ClassBridge stopped during this run (it was closed or the computer restarted). What was applied is kept; the next run carries on from there.',
      );
    }
    return dead.length;
  }

  addRepair(runId: number, repair: Omit<RunRepair, 'id' | 'runId'>): void {
    this.db
      .prepare(
        'INSERT INTO run_repairs (run_id, record_kind, record_key, course, drift, repair) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(runId, repair.recordKind, repair.recordKey, repair.course, repair.drift, repair.repair);
  }

  listRepairs(runId: number, limit = 1000): RunRepair[] {
    const rows = this.db
      .prepare('SELECT * FROM run_repairs WHERE run_id = ? ORDER BY id LIMIT ?')
      .all(runId, limit) as {
      id: number;
      run_id: number;
      record_kind: string;
      record_key: string;
      course: string | null;
      drift: string;
      repair: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      recordKind: r.record_kind,
      recordKey: r.record_key,
      course: r.course,
      drift: r.drift,
      repair: r.repair,
    }));
  }

  /**
   * A run of this part went through: the connection problems earlier runs of it recorded (token,
   * missing function, host unreachable) are over, so their errors are resolved.
   */
  settleConnectionErrors(connectionId: string, part: Part, runId: number): number {
    return this.db
      .prepare(
        `UPDATE run_errors SET resolved_at = ?
         WHERE connection_id = ? AND part = ? AND record_kind = 'connection' AND resolved_at IS NULL AND run_id < ?`,
      )
      .run(this.now().toISOString(), connectionId, part, runId).changes;
  }

  /**
   * An SMS import went through: what earlier refused imports recorded (a bad file, a dropped push) is
   * over, so those errors are resolved. SMS import runs are the upload runs with no LMS connection.
   */
  settleSmsImportErrors(runId: number): number {
    return this.db
      .prepare(
        `UPDATE run_errors SET resolved_at = ?
         WHERE connection_id IS NULL AND part = 'upload' AND resolved_at IS NULL AND run_id < ?`,
      )
      .run(this.now().toISOString(), runId).changes;
  }

  /** The error about the connection (not a record) a failed run recorded: its diagnosis. */
  connectionError(runId: number): RunError | undefined {
    const row = this.db
      .prepare("SELECT * FROM run_errors WHERE run_id = ? AND record_kind = 'connection' ORDER BY id DESC LIMIT 1")
      .get(runId) as RunErrorRow | undefined;
    return row ? toRunError(row) : undefined;
  }

  /** The record keys that failed in one run. */
  errorKeys(runId: number): string[] {
    return (
      this.db.prepare('SELECT record_key FROM run_errors WHERE run_id = ?').all(runId) as { record_key: string }[]
    ).map((r) => r.record_key);
  }

  getError(id: number): RunError | undefined {
    const row = this.db.prepare('SELECT * FROM run_errors WHERE id = ?').get(id) as RunErrorRow | undefined;
    return row ? toRunError(row) : undefined;
  }

  /**
   * After a run that went through to the end: open errors from earlier runs of this connection, of
   * these record kinds (and, when given, this one record), are closed. A record that synced is
   * resolved; one that still fails was recorded again by `runId`, so each failing record shows once.
   */
  settleEarlierErrors(connectionId: string, runId: number, recordKinds: readonly string[], recordKey?: string): number {
    return this.db
      .prepare(
        `UPDATE run_errors SET resolved_at = @now
         WHERE connection_id = @connectionId AND resolved_at IS NULL AND run_id < @runId
           AND part = 'upload'
           AND record_kind IN (SELECT value FROM json_each(@kinds))
           AND (@recordKey IS NULL OR record_key = @recordKey)`,
      )
      .run({
        now: this.now().toISOString(),
        connectionId,
        runId,
        kinds: JSON.stringify(recordKinds),
        recordKey: recordKey ?? null,
      }).changes;
  }

  /**
   * The results run's record errors (conflicts, kind 'result'): each run records every conflict still
   * open, so those of earlier results runs of the connection are closed — a settled one stays closed.
   */
  settleEarlierResultErrors(connectionId: string, runId: number): number {
    return this.db
      .prepare(
        `UPDATE run_errors SET resolved_at = ?
         WHERE connection_id = ? AND part = 'results' AND record_kind = 'result' AND resolved_at IS NULL AND run_id < ?`,
      )
      .run(this.now().toISOString(), connectionId, runId).changes;
  }

  finish(id: number, outcome: Exclude<RunOutcome, 'running'>, counts: Record<string, number>, message?: string): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, outcome = ?, counts = ?, message = ? WHERE id = ?')
      .run(this.now().toISOString(), outcome, JSON.stringify(counts), message ?? null, id);
  }

  /**
   * Runs newest first, of one connection and part when given. An upload is one part since migration
   * 016, so an upload run is the only run that ran the upload (before, a profiles filter also had to
   * find the uploads recorded under enrolments).
   */
  list(filter: { connectionId?: string; part?: Part; limit?: number } = {}): Run[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM runs
         WHERE (@connectionId IS NULL OR connection_id = @connectionId)
           AND (@part IS NULL OR part = @part)
         ORDER BY started_at DESC, id DESC LIMIT @limit`,
      )
      .all({
        connectionId: filter.connectionId ?? null,
        part: filter.part ?? null,
        limit: filter.limit ?? 100,
      });
    return (rows as RunRow[]).map(toRun);
  }

  /**
   * The newest run of this part for this connection (null: the SMS imports): callers ask for the run
   * they just started, e.g. run-part.ts settling its connection errors.
   */
  last(connectionId: string | null, part: Part): Run | undefined {
    const row = this.db
      .prepare('SELECT * FROM runs WHERE connection_id IS ? AND part = ? ORDER BY started_at DESC, id DESC LIMIT 1')
      .get(connectionId, part) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  addError(runId: number, error: NewRunError): number {
    const info = this.db
      .prepare(
        `INSERT INTO run_errors (run_id, connection_id, part, record_kind, record_key, course, message, fix, created_at)
         SELECT id, connection_id, part, ?, ?, ?, ?, ?, ? FROM runs WHERE id = ?`,
      )
      .run(
        error.recordKind,
        error.recordKey,
        error.course ?? null,
        error.message,
        error.fix,
        this.now().toISOString(),
        runId,
      );
    if (info.changes === 0) throw new Error(`No run ${runId} to attach an error to`);
    return Number(info.lastInsertRowid);
  }

  listErrors(filter: ErrorFilter = {}): RunError[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM run_errors
         WHERE (@part IS NULL OR part = @part) AND (@connectionId IS NULL OR connection_id = @connectionId)
           AND (@all = 1 OR resolved_at IS NULL)
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({
        part: filter.part ?? null,
        connectionId: filter.connectionId ?? null,
        all: filter.includeResolved ? 1 : 0,
        limit: filter.limit ?? 500,
      });
    return (rows as RunErrorRow[]).map(toRunError);
  }

  /** The open error that names this record now, if any (a retried record that failed again is recorded anew). */
  openErrorFor(connectionId: string, recordKind: string, recordKey: string): RunError | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM run_errors
         WHERE connection_id = ? AND record_kind = ? AND record_key = ? AND resolved_at IS NULL
         ORDER BY id DESC LIMIT 1`,
      )
      .get(connectionId, recordKind, recordKey) as RunErrorRow | undefined;
    return row ? toRunError(row) : undefined;
  }

  /**
   * Errors grouped by cause (see RunErrorGroupRow), newest group first, with the total the groups add up to (the same count
   * the dashboard shows). One query over the table whatever its size: 12,000 enrolments refused for one
   * missing role id are one group with a count, not 500 rows of a longer list.
   */
  errorGroups(filter: ErrorFilter = {}, examplesPerGroup = 5): { total: number; groups: RunErrorGroupRow[] } {
    const params = {
      part: filter.part ?? null,
      connectionId: filter.connectionId ?? null,
      all: filter.includeResolved ? 1 : 0,
      limit: filter.limit ?? 200,
      examples: examplesPerGroup,
    };
    const where = `(@part IS NULL OR part = @part) AND (@connectionId IS NULL OR connection_id = @connectionId)
      AND (@all = 1 OR resolved_at IS NULL)`;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM run_errors WHERE ${where}`).get(params) as { n: number })
      .n;
    const rows = this.db
      .prepare(
        `WITH chosen AS (SELECT * FROM run_errors WHERE ${where}),
         grouped AS (
           SELECT connection_id, part, record_kind, fix, count(*) AS n, count(DISTINCT message) AS messages,
                  max(created_at) AS last_at, min(resolved_at IS NOT NULL) AS resolved
           FROM chosen GROUP BY connection_id, part, record_kind, fix
           ORDER BY last_at DESC LIMIT @limit),
         ranked AS (
           SELECT chosen.*, row_number() OVER (
             PARTITION BY chosen.connection_id, chosen.part, chosen.record_kind, chosen.fix ORDER BY chosen.id) AS rank
           FROM chosen)
         SELECT g.n, g.messages, g.last_at, g.resolved, r.*
         FROM grouped g JOIN ranked r
           ON r.connection_id IS g.connection_id AND r.part = g.part AND r.record_kind = g.record_kind
          AND r.fix = g.fix AND r.rank <= @examples
         ORDER BY g.last_at DESC, g.connection_id, g.part, g.record_kind, g.fix, r.rank`,
      )
      .all(params) as (RunErrorRow & { n: number; messages: number; last_at: string; resolved: number })[];
    const groups: RunErrorGroupRow[] = [];
    let current: RunErrorGroupRow | undefined;
    for (const row of rows) {
      const same =
        current &&
        current.connectionId === row.connection_id &&
        current.part === row.part &&
        current.recordKind === row.record_kind &&
        current.fix === row.fix;
      if (!same) {
        current = {
          connectionId: row.connection_id,
          part: row.part,
          recordKind: row.record_kind,
          message: row.message,
          messages: row.messages,
          fix: row.fix,
          count: row.n,
          lastAt: row.last_at,
          resolved: row.resolved === 1,
          examples: [],
        };
        groups.push(current);
      }
      current?.examples.push(toRunError(row));
    }
    return { total, groups };
  }

  countOpenErrors(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM run_errors WHERE resolved_at IS NULL').get() as { n: number }).n;
  }

  resolveError(id: number): boolean {
    return (
      this.db
        .prepare('UPDATE run_errors SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL')
        .run(this.now().toISOString(), id).changes > 0
    );
  }
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    connectionId: row.connection_id,
    part: row.part,
    trigger: row.trigger_kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    counts: JSON.parse(row.counts) as Record<string, number>,
    message: row.message,
  };
}

function toRunError(row: RunErrorRow): RunError {
  return {
    id: row.id,
    runId: row.run_id,
    connectionId: row.connection_id,
    part: row.part,
    recordKind: row.record_kind,
    recordKey: row.record_key,
    course: row.course,
    message: row.message,
    fix: row.fix,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}
