import type { Migration } from './types';

/**
 * Results an RTO can submit (docs/results.md):
 * - `results.grade_exact`: the course percentage unrounded, which outcomes are decided from (49.995 %
 *   is not competent against 50 %, although it shows as 50.00);
 * - `result_deliveries`: what ClassBridge last delivered per record (LMS course × SMS person) and the
 *   SMS's value at that time, so a value a person changed in the SMS since is a conflict, not overwritten;
 * - `result_reviews`: records waiting for a person (delivery after review, within the margin of the pass
 *   mark, or a conflict) and what the admin decided. `content_hash` is the result the row was computed
 *   from: a result that changes again in the LMS is reviewed afresh.
 */
export const migration022: Migration = {
  version: 22,
  name: 'result-reviews',
  up(db) {
    db.exec(`
      ALTER TABLE results ADD COLUMN grade_exact REAL;

      CREATE TABLE result_deliveries (
        connection_id  TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        lms_course_id  INTEGER NOT NULL,
        person_sms_id  TEXT NOT NULL,
        course_sms_id  TEXT NOT NULL,
        value          TEXT,
        sms_value      TEXT,
        delivered_at   TEXT NOT NULL,
        PRIMARY KEY (connection_id, lms_course_id, person_sms_id)
      ) STRICT;

      CREATE TABLE result_reviews (
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        lms_course_id   INTEGER NOT NULL,
        person_sms_id   TEXT NOT NULL,
        course_sms_id   TEXT NOT NULL,
        reason          TEXT NOT NULL CHECK (reason IN ('review', 'margin', 'conflict')),
        state           TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'held', 'kept')),
        content_hash    TEXT NOT NULL,
        sms_value       TEXT,
        delivered_value TEXT,
        new_value       TEXT,
        detail          TEXT NOT NULL CHECK (json_valid(detail)),
        created_at      TEXT NOT NULL,
        decided_at      TEXT,
        PRIMARY KEY (connection_id, lms_course_id, person_sms_id)
      ) STRICT;
      CREATE INDEX result_reviews_state ON result_reviews (connection_id, state);
    `);
  },
};
