import type { Migration } from './types';

/**
 * Cohorts ClassBridge made in an LMS (mapping.cohorts), and the members it added to them, per LMS
 * connection: the cohort planner's baseline (sync/plan/cohorts.ts). Kept apart from applied_entries so
 * the upload's other sections are untouched. A cohort's key is its idnumber (`classbridge:<from>:<value>`);
 * a member row exists only for a membership ClassBridge added, so a member added by hand is never removed.
 * Rows are written as each batch returns (sync/apply/cohorts.ts), so a crash resumes without duplicates.
 */
export const migration019: Migration = {
  version: 19,
  name: 'cohorts',
  up(db) {
    db.exec(`
      CREATE TABLE lms_cohorts (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        cohort_key    TEXT NOT NULL CHECK (cohort_key <> ''),
        lms_id        INTEGER NOT NULL CHECK (lms_id > 0),
        name          TEXT NOT NULL,
        PRIMARY KEY (connection_id, cohort_key)
      ) STRICT;
      CREATE TABLE lms_cohort_members (
        connection_id TEXT NOT NULL,
        cohort_key    TEXT NOT NULL,
        person_key    TEXT NOT NULL CHECK (person_key <> ''),
        PRIMARY KEY (connection_id, cohort_key, person_key),
        FOREIGN KEY (connection_id, cohort_key) REFERENCES lms_cohorts(connection_id, cohort_key) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
