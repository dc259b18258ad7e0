import type { Migration } from './types';

/** The course grade as a percentage beside its text, so results can go back to the SMS as a number. */
export const migration005: Migration = {
  version: 5,
  name: 'result-grade-percent',
  up(db) {
    db.exec(
      'ALTER TABLE results ADD COLUMN grade_percent REAL CHECK (grade_percent IS NULL OR grade_percent BETWEEN 0 AND 100)',
    );
  },
};
