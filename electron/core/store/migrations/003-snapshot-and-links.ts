import type { Migration } from './types';

/**
 * The last SMS snapshot that imported cleanly (people, courses, groups, enrolments keyed by the
 * SMS's own ids) and, per LMS connection, the LMS id learnt for each SMS record.
 */
export const migration003: Migration = {
  version: 3,
  name: 'snapshot-and-links',
  up(db) {
    db.exec(`
      CREATE TABLE people (
        sms_id      TEXT PRIMARY KEY,
        role        TEXT NOT NULL CHECK (role IN ('student', 'staff')),
        given_name  TEXT NOT NULL,
        family_name TEXT NOT NULL,
        email       TEXT,
        username    TEXT,
        active      INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE courses (
        sms_id     TEXT PRIMARY KEY,
        code       TEXT NOT NULL,
        name       TEXT NOT NULL,
        start_date TEXT,
        end_date   TEXT
      ) STRICT;

      CREATE TABLE groups (
        sms_id        TEXT PRIMARY KEY,
        course_sms_id TEXT NOT NULL REFERENCES courses(sms_id) ON DELETE CASCADE,
        name          TEXT NOT NULL
      ) STRICT;

      CREATE TABLE enrolments (
        person_sms_id TEXT NOT NULL REFERENCES people(sms_id) ON DELETE CASCADE,
        course_sms_id TEXT NOT NULL REFERENCES courses(sms_id) ON DELETE CASCADE,
        group_sms_id  TEXT REFERENCES groups(sms_id) ON DELETE SET NULL,
        role          TEXT NOT NULL,
        start_date    TEXT,
        end_date      TEXT,
        active        INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (person_sms_id, course_sms_id, role)
      ) STRICT;

      CREATE TABLE snapshot_meta (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        source      TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        counts      TEXT NOT NULL CHECK (json_valid(counts))
      ) STRICT;

      CREATE TABLE links (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        entity        TEXT NOT NULL CHECK (entity IN ('person', 'course', 'group', 'enrolment')),
        sms_id        TEXT NOT NULL,
        lms_id        TEXT NOT NULL,
        linked_at     TEXT NOT NULL,
        PRIMARY KEY (connection_id, entity, sms_id),
        UNIQUE (connection_id, entity, lms_id)
      ) STRICT;
    `);
  },
};
