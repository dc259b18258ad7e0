import type { Migration } from './types';

/**
 * The applied state one row per record instead of one JSON document per connection: an upload
 * persists after every operation kind, and rewriting (and re-reading) the whole document — 220,000
 * entries for a large school — cost hundreds of MB of memory and seconds per write. Each row holds one
 * section entry (a record as JSON, or an LMS id for the links); `applied_state` keeps the header
 * (`{"version": n}`) and when the state last changed. Existing documents are split into rows here.
 * Rows are read back in rowid order, which keeps the order the document had.
 */
export const migration008: Migration = {
  version: 8,
  name: 'applied-state-entries',
  up(db) {
    db.exec(`
      CREATE TABLE applied_entries (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES applied_state(connection_id) ON DELETE CASCADE,
        section       TEXT NOT NULL CHECK (section IN ('people', 'courses', 'groups', 'enrolments', 'memberships',
                                                       'links.people', 'links.courses', 'links.groups')),
        key           TEXT NOT NULL,
        value         TEXT NOT NULL,
        UNIQUE (connection_id, section, key)
      ) STRICT;
    `);
    const split = db.prepare(`
      INSERT INTO applied_entries (connection_id, section, key, value)
      SELECT s.connection_id, ?, e.key, CASE WHEN e.type IN ('object', 'array') THEN e.value ELSE json_quote(e.value) END
      FROM applied_state s, json_each(s.state, ?) e
      WHERE json_type(s.state, ?) = 'object'
      ORDER BY s.connection_id, e.id
    `);
    for (const section of [
      'people',
      'courses',
      'groups',
      'enrolments',
      'memberships',
      'links.people',
      'links.courses',
      'links.groups',
    ]) {
      split.run(section, `$.${section}`, `$.${section}`);
    }
    db.exec(`UPDATE applied_state SET state = json_object('version', json_extract(state, '$.version'))`);
  },
};
