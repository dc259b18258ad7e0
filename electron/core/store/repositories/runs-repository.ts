import type { Database } from 'better-sqlite3';
import type { Part, Run, RunError, RunOutcome } from '../../model';

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

/** Runs of each part and the per-record errors they left. */
export class RunsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  start(connectionId: string | null, part: Part, trigger: 'manual' | 'schedule'): number {
    const info = this.db
      .prepare(
        "INSERT INTO runs (connection_id, part, trigger_kind, started_at, outcome) VALUES (?, ?, ?, ?, 'running')",
      )
      .run(connectionId, part, trigger, this.now().toISOString());
    return Number(info.lastInsertRowid);
  }

  finish(id: number, outcome: Exclude<RunOutcome, 'running'>, counts: Record<string, number>, message?: string): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, outcome = ?, counts = ?, message = ? WHERE id = ?')
      .run(this.now().toISOString(), outcome, JSON.stringify(counts), message ?? null, id);
  }

  list(filter: { connectionId?: string; part?: Part; limit?: number } = {}): Run[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM runs
         WHERE (@connectionId IS NULL OR connection_id = @connectionId) AND (@part IS NULL OR part = @part)
         ORDER BY started_at DESC, id DESC LIMIT @limit`,
      )
      .all({ connectionId: filter.connectionId ?? null, part: filter.part ?? null, limit: filter.limit ?? 100 });
    return (rows as RunRow[]).map(toRun);
  }

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
