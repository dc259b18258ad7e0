import type { Migration } from './types';

/**
 * Parents and guardians (issue 15 item 5), in tables of their own so the snapshot's people, the links
 * table and the applied state stay as they were:
 * - `snapshot_guardians`, `snapshot_guardian_links`: the SMS's guardians and guardian ↔ child links,
 *   replaced with the rest of the snapshot in one transaction (only name, email and relationship: no
 *   phone or address);
 * - `parent_accounts`: per LMS connection, the LMS account ClassBridge made (or found by its idnumber)
 *   for a guardian, with the name and email last written (a change in the SMS is sent as an update);
 * - `parent_roles`: per LMS connection, each parent role ClassBridge assigned in a child's user context,
 *   with the LMS ids it was assigned with, so only these are ever unassigned (and with the same ids).
 */
export const migration020: Migration = {
  version: 20,
  name: 'parents',
  up(db) {
    db.exec(`
      CREATE TABLE snapshot_guardians (
        sms_id       TEXT PRIMARY KEY CHECK (sms_id <> ''),
        given_name   TEXT NOT NULL,
        family_name  TEXT NOT NULL,
        email        TEXT,
        relationship TEXT
      ) STRICT;

      CREATE TABLE snapshot_guardian_links (
        guardian_sms_id TEXT NOT NULL REFERENCES snapshot_guardians(sms_id) ON DELETE CASCADE,
        child_sms_id    TEXT NOT NULL,
        relationship    TEXT,
        PRIMARY KEY (guardian_sms_id, child_sms_id)
      ) STRICT;

      CREATE TABLE parent_accounts (
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        guardian_sms_id TEXT NOT NULL CHECK (guardian_sms_id <> ''),
        lms_id          INTEGER NOT NULL CHECK (lms_id > 0),
        username        TEXT NOT NULL,
        idnumber        TEXT NOT NULL,
        firstname       TEXT NOT NULL,
        lastname        TEXT NOT NULL,
        email           TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        PRIMARY KEY (connection_id, guardian_sms_id),
        UNIQUE (connection_id, lms_id)
      ) STRICT;

      CREATE TABLE parent_roles (
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        guardian_sms_id TEXT NOT NULL,
        child_sms_id    TEXT NOT NULL,
        role_id         INTEGER NOT NULL CHECK (role_id > 0),
        parent_lms_id   INTEGER NOT NULL CHECK (parent_lms_id > 0),
        child_lms_id    INTEGER NOT NULL CHECK (child_lms_id > 0),
        assigned_at     TEXT NOT NULL,
        PRIMARY KEY (connection_id, guardian_sms_id, child_sms_id)
      ) STRICT;
    `);
  },
};
