import type { Migration } from './types';

/** Settings (one JSON value per key) and the SMS and LMS connections an admin configured. */
export const migration001: Migration = {
  version: 1,
  name: 'config',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;

      CREATE TABLE connections (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('sms', 'lms')),
        provider   TEXT NOT NULL,
        name       TEXT NOT NULL,
        config     TEXT NOT NULL CHECK (json_valid(config)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
