import type { Migration } from './types';

/**
 * Alerts (electron/core/alerts/, docs/alerts.md):
 * - `alert_state`: small JSON values by key — the transition memory (what was already told, so a
 *   restart does not tell it again) and when the last digest went out;
 * - `alert_outbox`: alerts decided and not yet delivered (quiet hours), saved with the memory in
 *   one transaction, so a restart neither loses nor repeats them; an alert leaves it once its
 *   delivery was tried (a webhook retries within that try);
 * - `alert_log`: each delivery tried, per channel, with the error when it failed (Settings → Alerts).
 */
export const migration023: Migration = {
  version: 23,
  name: 'alerts',
  up(db) {
    db.exec(`
      CREATE TABLE alert_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;

      CREATE TABLE alert_outbox (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        body       TEXT NOT NULL CHECK (json_valid(body)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE alert_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        kind    TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
        target  TEXT NOT NULL,
        ok      INTEGER NOT NULL CHECK (ok IN (0, 1)),
        error   TEXT
      ) STRICT;
      CREATE INDEX alert_log_at ON alert_log (at);
    `);
  },
};
