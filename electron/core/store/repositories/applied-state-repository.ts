import type { Database } from 'better-sqlite3';

/**
 * The upload planner's AppliedState per LMS connection, kept as JSON. The store does not interpret
 * it (the planner owns its schema and checks it on read); a connection never applied to has none.
 */
export class AppliedStateRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  read(connectionId: string): unknown {
    const row = this.db.prepare('SELECT state FROM applied_state WHERE connection_id = ?').get(connectionId) as
      { state: string } | undefined;
    return row ? (JSON.parse(row.state) as unknown) : undefined;
  }

  write(connectionId: string, state: unknown): void {
    this.db
      .prepare(
        `INSERT INTO applied_state (connection_id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(connectionId, JSON.stringify(state), this.now().toISOString());
  }
}
