import type { Migration } from './types';

/**
 * Role ids per LMS connection, as ClassBridge learnt or verified them. Moodle has no web service that
 * lists roles, so an id found once (from course participants, or a default checked at the first
 * enrolment) is kept: the next run does not have to search again.
 */
export const migration010: Migration = {
  version: 10,
  name: 'lms-roles',
  up(db) {
    db.exec(`
      CREATE TABLE lms_roles (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        shortname     TEXT NOT NULL,
        role_id       INTEGER NOT NULL,
        source        TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, shortname)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
