import type { Migration } from './types';

/**
 * Courses made from a template (mapping.courseTemplates):
 * - the SMS course's term and subject, which category and template rules may test (the snapshot's
 *   courses table had no place for them; an export imported again after this migration fills them);
 * - `course_copies`, the journal of copies under way. Moodle's core_course_duplicate_course makes the
 *   course itself, without an idnumber, so ClassBridge sets the idnumber and dates afterwards. A row is
 *   written before the copy is asked for and removed once the course has its idnumber: a run that stopped
 *   in between finds the copy again by its shortname (unique in Moodle) instead of making a second one,
 *   and only a course named in this journal is ever finished that way (an admin's course that happens to
 *   have the shortname is not taken).
 */
export const migration021: Migration = {
  version: 21,
  name: 'course-templates',
  up(db) {
    db.exec(`
      ALTER TABLE courses ADD COLUMN term TEXT;
      ALTER TABLE courses ADD COLUMN subject TEXT;
      CREATE TABLE course_copies (
        connection_id      TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        sms_id             TEXT NOT NULL CHECK (sms_id <> ''),
        shortname          TEXT NOT NULL CHECK (shortname <> ''),
        template_course_id INTEGER NOT NULL CHECK (template_course_id > 0),
        started_at         TEXT NOT NULL,
        lms_id             INTEGER,
        PRIMARY KEY (connection_id, sms_id)
      ) STRICT;
    `);
  },
};
