import type { Migration } from './types';

/**
 * Why a course is in its state (issue 15, term lifecycle): who made the last Open/Closed change (an
 * admin, or ClassBridge's ended-course rule), ClassBridge's reason in words ("Its SMS end date
 * 2026-11-30 has passed."), and when ClassBridge hid the course in the LMS (visible 0), so it shows
 * again only a course it hid itself when the admin opens it again. Existing rows: nothing known (NULL).
 */
export const migration018: Migration = {
  version: 18,
  name: 'course-state-reason',
  up(db) {
    db.exec(`
      ALTER TABLE lms_courses ADD COLUMN state_changed_by TEXT CHECK (state_changed_by IN ('admin', 'classbridge'));
      ALTER TABLE lms_courses ADD COLUMN state_reason TEXT;
      ALTER TABLE lms_courses ADD COLUMN lms_hidden_at TEXT;
    `);
  },
};
