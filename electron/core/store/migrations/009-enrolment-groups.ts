import type { Migration } from './types';

/**
 * One enrolment per person, course and role, with its classes in `enrolment_groups`. Until now an
 * enrolment row held one class, so a person in two classes of one course (a teacher of 10ENG-1 and
 * 10ENG-2; every KAMAR school's full push) failed the whole import on the primary key. The enrolments
 * table is rebuilt without `group_sms_id` (SQLite cannot drop a column that has a foreign key), and
 * each stored class moves to the new table.
 */
export const migration009: Migration = {
  version: 9,
  name: 'enrolment-groups',
  up(db) {
    db.exec(`
      ALTER TABLE enrolments RENAME TO enrolments_v8;

      CREATE TABLE enrolments (
        person_sms_id TEXT NOT NULL REFERENCES people(sms_id) ON DELETE CASCADE,
        course_sms_id TEXT NOT NULL REFERENCES courses(sms_id) ON DELETE CASCADE,
        role          TEXT NOT NULL,
        start_date    TEXT,
        end_date      TEXT,
        active        INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (person_sms_id, course_sms_id, role)
      ) STRICT;

      INSERT INTO enrolments (person_sms_id, course_sms_id, role, start_date, end_date, active)
      SELECT person_sms_id, course_sms_id, role, start_date, end_date, active FROM enrolments_v8;

      CREATE TABLE enrolment_groups (
        person_sms_id TEXT NOT NULL,
        course_sms_id TEXT NOT NULL,
        role          TEXT NOT NULL,
        group_sms_id  TEXT NOT NULL REFERENCES groups(sms_id) ON DELETE CASCADE,
        PRIMARY KEY (person_sms_id, course_sms_id, role, group_sms_id),
        FOREIGN KEY (person_sms_id, course_sms_id, role)
          REFERENCES enrolments(person_sms_id, course_sms_id, role) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      INSERT INTO enrolment_groups (person_sms_id, course_sms_id, role, group_sms_id)
      SELECT person_sms_id, course_sms_id, role, group_sms_id FROM enrolments_v8 WHERE group_sms_id IS NOT NULL;

      DROP TABLE enrolments_v8;
    `);
  },
};
