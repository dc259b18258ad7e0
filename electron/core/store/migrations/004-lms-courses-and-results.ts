import type { Migration } from './types';

/** The LMS course list with each course's admin-set state, and the results read from gradebooks. */
export const migration004: Migration = {
  version: 4,
  name: 'lms-courses-and-results',
  up(db) {
    db.exec(`
      CREATE TABLE lms_courses (
        connection_id    TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        lms_id           INTEGER NOT NULL,
        shortname        TEXT NOT NULL,
        fullname         TEXT NOT NULL,
        idnumber         TEXT NOT NULL DEFAULT '',
        state            TEXT NOT NULL DEFAULT 'New' CHECK (state IN ('New', 'Open', 'Closed', 'Deleted')),
        first_seen       TEXT NOT NULL,
        last_seen        TEXT NOT NULL,
        state_changed_at TEXT,
        PRIMARY KEY (connection_id, lms_id)
      ) STRICT;
      CREATE INDEX lms_courses_by_state ON lms_courses (state);

      CREATE TABLE results (
        connection_id    TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        lms_course_id    INTEGER NOT NULL,
        person_sms_id    TEXT NOT NULL,
        progress_percent REAL NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
        grade            TEXT,
        activities       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(activities)),
        updated_at       TEXT NOT NULL,
        delivered_at     TEXT,
        delivered_hash   TEXT,
        PRIMARY KEY (connection_id, lms_course_id, person_sms_id)
      ) STRICT;
    `);
  },
};
