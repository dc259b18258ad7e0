import type { Migration } from './types';

/**
 * Held plans (uploads the safety rail stopped, waiting for the admin's approve or reject), the
 * repairs a reconcile run made, and which process owns a running run — so a run left "running" by a
 * process that was killed can be closed as interrupted by the next engine to start.
 */
export const migration007: Migration = {
  version: 7,
  name: 'held-plans-and-repairs',
  up(db) {
    db.exec(`
      CREATE TABLE held_plans (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        part          TEXT NOT NULL,
        run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        fingerprint   TEXT NOT NULL,
        removal_keys  TEXT NOT NULL CHECK (json_valid(removal_keys)),
        state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'applied', 'superseded')),
        message       TEXT NOT NULL,
        details       TEXT NOT NULL CHECK (json_valid(details)),
        created_at    TEXT NOT NULL,
        decided_at    TEXT
      ) STRICT;
      CREATE INDEX held_plans_open ON held_plans (connection_id, part, state);

      CREATE TABLE run_repairs (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        record_kind   TEXT NOT NULL,
        record_key    TEXT NOT NULL,
        course        TEXT,
        drift         TEXT NOT NULL,
        repair        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_repairs_by_run ON run_repairs (run_id);

      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    `);
  },
};
