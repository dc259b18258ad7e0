import type { Migration } from './types';

/**
 * One writer per LMS across processes: the app's schedule, `classbridge serve` and a `classbridge
 * sync` typed in a terminal each open the same database, and two of them applying to one LMS at
 * once would plan from the same baseline and send the same writes twice. A writing part (the upload
 * and its parts, reconcile) holds its connection's row here while it runs: who (pid, host, what the
 * process is; with the pid, when that process started, so a pid the system has since given to another
 * program is not taken for the holder), since when, and a heartbeat that shows it is still alive
 * (repositories/write-lease-repository.ts).
 */
export const migration012: Migration = {
  version: 12,
  name: 'write-leases',
  up(db) {
    db.exec(`
      CREATE TABLE write_leases (
        connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        part          TEXT NOT NULL,
        owner_id      TEXT NOT NULL,
        pid           INTEGER NOT NULL,
        pid_started   TEXT,
        host          TEXT NOT NULL,
        process_label TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        heartbeat_at  TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
