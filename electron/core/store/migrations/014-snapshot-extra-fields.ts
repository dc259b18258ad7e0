import type { Migration } from './types';

/**
 * The fields the SMS adapters read that the snapshot tables had no place for: a person's other
 * identifiers and facts (USI, NSN, year level, … as a JSON object of strings) and an enrolment's own
 * outcome code (AVETMISS 20, 70, …). Until now the intake's schema stripped them, so they never reached
 * the store; an export imported again after this migration fills them.
 */
export const migration014: Migration = {
  version: 14,
  name: 'snapshot-extra-fields',
  up(db) {
    db.exec(`
      ALTER TABLE people ADD COLUMN extra TEXT;
      ALTER TABLE enrolments ADD COLUMN outcome TEXT;
    `);
  },
};
