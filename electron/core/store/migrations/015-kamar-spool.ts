import type { Migration } from './types';

/**
 * The KAMAR receiver's spool: every chunk it answered "OK" to, kept until its push has ended (stored
 * or recorded as refused), so a stop inside the quiet period loses nothing (adapters/sms/kamar/spool.ts).
 * A run is one push (one `full` or `part` burst); a chunk is keyed by its run and arrival index and
 * is unique per run by digest, so a chunk KAMAR sends again is kept once. `received_at` (ms since the
 * epoch) is when it was accepted: a run picked up after a restart completes when the quiet period
 * after its last chunk ends. Bodies hold only what the roll needs (no passwords, photos, caregivers).
 */
export const migration015: Migration = {
  version: 15,
  name: 'kamar-spool',
  up(db) {
    db.exec(`
      CREATE TABLE kamar_spool_runs (
        run_id TEXT PRIMARY KEY,
        sync TEXT NOT NULL CHECK (sync IN ('full', 'part')),
        failed_reason TEXT
      );
      CREATE TABLE kamar_spool_chunks (
        run_id TEXT NOT NULL REFERENCES kamar_spool_runs (run_id) ON DELETE CASCADE,
        chunk_index INTEGER NOT NULL CHECK (chunk_index >= 1),
        received_at INTEGER NOT NULL,
        digest TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, chunk_index),
        UNIQUE (run_id, digest)
      );
    `);
  },
};
