import type { Migration } from './types';

/**
 * Leave-alone marks: per LMS connection, an SMS person or course ClassBridge does not touch (upload and
 * reconcile alike), with when the admin set it and an optional note saying why. Keyed by SMS id, not LMS
 * id, so a record can be marked before it ever reaches the LMS.
 */
export const migration017: Migration = {
  version: 17,
  name: 'leave-alone',
  up(db) {
    db.exec(`
      CREATE TABLE leave_alone (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('person', 'course')),
        sms_id        TEXT NOT NULL CHECK (sms_id <> ''),
        created_at    TEXT NOT NULL,
        note          TEXT,
        PRIMARY KEY (connection_id, kind, sms_id)
      ) STRICT;
    `);
  },
};
