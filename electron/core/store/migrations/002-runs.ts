import type { Migration } from './types';

/** Every run of every part, and the records that failed in it. */
export const migration002: Migration = {
  version: 2,
  name: 'runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT REFERENCES connections(id) ON DELETE SET NULL,
        part          TEXT NOT NULL,
        trigger_kind  TEXT NOT NULL CHECK (trigger_kind IN ('manual', 'schedule')),
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        outcome       TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'partial', 'failed', 'held')),
        counts        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts)),
        message       TEXT
      ) STRICT;
      CREATE INDEX runs_by_part ON runs (connection_id, part, started_at);

      CREATE TABLE run_errors (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        connection_id TEXT REFERENCES connections(id) ON DELETE SET NULL,
        part          TEXT NOT NULL,
        record_kind   TEXT NOT NULL,
        record_key    TEXT NOT NULL,
        course        TEXT,
        message       TEXT NOT NULL,
        fix           TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        resolved_at   TEXT
      ) STRICT;
      CREATE INDEX run_errors_open ON run_errors (resolved_at, part);
    `);
  },
};
