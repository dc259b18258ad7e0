import type { Database } from 'better-sqlite3';

/** One numbered schema change. Versions are consecutive from 1; a released migration never changes. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
