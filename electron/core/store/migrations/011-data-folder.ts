import { randomUUID } from 'node:crypto';
import type { Migration } from './types';

/**
 * The data folder's identity: a random id, made once, that keys its secrets in the OS keychain
 * (secrets/keychain-secret-store.ts), so two data folders with the same connection id never share a
 * token. `shared_secrets` is about the keychain entries from before this id (account
 * `<connection>:<name>`, shared by every folder): 'pending' while the folder may still adopt them,
 * 'adopted' once it has. Only a folder that already had connections when it was upgraded can own such
 * entries; any other starts 'none' and never reads them.
 */
export const migration011: Migration = {
  version: 11,
  name: 'data-folder',
  up(db) {
    db.exec(`
      CREATE TABLE data_folder (
        only_row       INTEGER PRIMARY KEY CHECK (only_row = 1),
        id             TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        shared_secrets TEXT NOT NULL CHECK (shared_secrets IN ('none', 'pending', 'adopted'))
      ) STRICT;
    `);
    const connections = (db.prepare('SELECT count(*) AS n FROM connections').get() as { n: number }).n;
    db.prepare('INSERT INTO data_folder (only_row, id, created_at, shared_secrets) VALUES (1, ?, ?, ?)').run(
      randomUUID(),
      new Date().toISOString(),
      connections > 0 ? 'pending' : 'none',
    );
  },
};
