import type { Database } from 'better-sqlite3';
import { dirname } from 'node:path';
import { z } from 'zod';
import { diskFullMessage, isDiskFull } from '../integrity';
import type { KamarSpool, SpooledChunk, SpooledRun } from '../../../../adapters/sms/kamar/spool';

const RunRowSchema = z.object({
  run_id: z.string(),
  sync: z.enum(['full', 'part']),
  failed_reason: z.string().nullable(),
});
const ChunkRowSchema = z.object({
  run_id: z.string(),
  chunk_index: z.number().int(),
  received_at: z.number(),
  digest: z.string(),
  body: z.string(),
});

/**
 * The KAMAR receiver's spool in SQLite (migration 015). Each append is its own transaction: better-
 * sqlite3 is synchronous, so when it returns the WAL commit is done and the chunk survives the process
 * being stopped or killed before the receiver answers KAMAR.
 */
export class KamarSpoolRepository implements KamarSpool {
  // Prepared on first use (a store opened at an older schema has no spool tables) and then kept:
  // an append runs while KAMAR waits for its answer.
  private appendChunk: ((chunk: SpooledChunk) => void) | undefined;

  constructor(private readonly db: Database) {}

  append(chunk: SpooledChunk): void {
    this.appendChunk ??= this.prepareAppend();
    try {
      this.appendChunk(chunk);
    } catch (err) {
      // The receiver puts this reason on the failed push: the standard words for a full disk, not SQLite's.
      if (isDiskFull(err)) throw new Error(diskFullMessage(dirname(this.db.name), 'import'), { cause: err });
      throw err;
    }
  }

  private prepareAppend(): (chunk: SpooledChunk) => void {
    const insertRun = this.db.prepare(
      'INSERT INTO kamar_spool_runs (run_id, sync) VALUES (?, ?) ON CONFLICT (run_id) DO NOTHING',
    );
    // A chunk KAMAR sent again (same digest) is already here: kept once.
    const insertChunk = this.db.prepare(
      `INSERT INTO kamar_spool_chunks (run_id, chunk_index, received_at, digest, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, digest) DO NOTHING`,
    );
    return this.db.transaction((chunk: SpooledChunk) => {
      insertRun.run(chunk.runId, chunk.sync);
      insertChunk.run(chunk.runId, chunk.index, chunk.receivedAt, chunk.digest, chunk.body);
    });
  }

  markFailed(run: { runId: string; sync: 'full' | 'part'; reason: string }): void {
    this.db
      .prepare(
        `INSERT INTO kamar_spool_runs (run_id, sync, failed_reason) VALUES (?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET failed_reason = excluded.failed_reason`,
      )
      .run(run.runId, run.sync, run.reason);
  }

  runs(): SpooledRun[] {
    const runs = z.array(RunRowSchema).parse(this.db.prepare('SELECT * FROM kamar_spool_runs').all());
    const chunks = z
      .array(ChunkRowSchema)
      .parse(this.db.prepare('SELECT * FROM kamar_spool_chunks ORDER BY run_id, chunk_index').all());
    const byRun = new Map<string, SpooledRun['chunks']>();
    for (const c of chunks) {
      const list = byRun.get(c.run_id) ?? [];
      list.push({ index: c.chunk_index, receivedAt: c.received_at, digest: c.digest, body: c.body });
      byRun.set(c.run_id, list);
    }
    const firstAt = (id: string) => byRun.get(id)?.[0]?.receivedAt ?? 0;
    return runs
      .map((r) => ({
        runId: r.run_id,
        sync: r.sync,
        ...(r.failed_reason !== null ? { failedReason: r.failed_reason } : {}),
        chunks: byRun.get(r.run_id) ?? [],
      }))
      .sort((a, b) => firstAt(a.runId) - firstAt(b.runId));
  }

  remove(runId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM kamar_spool_chunks WHERE run_id = ?').run(runId);
      this.db.prepare('DELETE FROM kamar_spool_runs WHERE run_id = ?').run(runId);
    })();
  }

  /** How many chunks are kept (all runs), for tests and status. */
  count(): number {
    return z.number().parse(this.db.prepare('SELECT count(*) AS n FROM kamar_spool_chunks').pluck().get());
  }
}
