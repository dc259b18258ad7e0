import type { Migration } from './types';

/**
 * What was last applied to each LMS connection (the upload planner's AppliedState, as JSON): the
 * baseline the next plan is diffed against, so an unchanged SMS costs no LMS request.
 */
export const migration006: Migration = {
  version: 6,
  name: 'applied-state',
  up(db) {
    db.exec(`
      CREATE TABLE applied_state (
        connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        state         TEXT NOT NULL CHECK (json_valid(state)),
        updated_at    TEXT NOT NULL
      ) STRICT;
    `);
  },
};
