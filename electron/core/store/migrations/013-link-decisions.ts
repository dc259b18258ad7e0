import type { Migration } from './types';

/**
 * Link decisions: an LMS account ClassBridge found for a person it was about to create, but will not
 * take over on its own (a username match with no idnumber, the site's admin, another auth method).
 * Both records are kept as they were seen, so the admin decides from what ClassBridge saw; nothing is
 * written to the account until then. One row per person and LMS connection.
 */
export const migration013: Migration = {
  version: 13,
  name: 'link-decisions',
  up(db) {
    db.exec(`
      CREATE TABLE link_decisions (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        sms_id        TEXT NOT NULL,
        lms_user_id   INTEGER NOT NULL,
        reason        TEXT NOT NULL,
        linkable      INTEGER NOT NULL,
        sms_record    TEXT NOT NULL,
        lms_record    TEXT NOT NULL,
        suggested_username TEXT,
        state         TEXT NOT NULL DEFAULT 'open',
        username      TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        decided_at    TEXT,
        applied_at    TEXT,
        UNIQUE (connection_id, sms_id)
      ) STRICT;
    `);
  },
};
