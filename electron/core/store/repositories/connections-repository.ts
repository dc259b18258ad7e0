import type { Database } from 'better-sqlite3';
import { ConnectionSchema, type Connection } from '../../model';

interface ConnectionRow {
  id: string;
  kind: string;
  provider: string;
  name: string;
  config: string;
}

/** The SMS connection and the LMS connections. Never holds a secret: those live in the keychain. */
export class ConnectionsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  list(): Connection[] {
    const rows = this.db
      .prepare('SELECT * FROM connections ORDER BY kind DESC, created_at, id') // 'sms' before 'lms'
      .all() as ConnectionRow[];
    return rows.map(toConnection);
  }

  get(id: string): Connection | undefined {
    const row = this.db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRow | undefined;
    return row ? toConnection(row) : undefined;
  }

  save(connection: Connection): void {
    const { id, kind, provider, name, ...config } = connection;
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO connections (id, kind, provider, name, config, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, provider = excluded.provider,
           name = excluded.name, config = excluded.config, updated_at = excluded.updated_at`,
      )
      .run(id, kind, provider, name, JSON.stringify(config), at, at);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }
}

function toConnection(row: ConnectionRow): Connection {
  const config = JSON.parse(row.config) as Record<string, unknown>;
  return ConnectionSchema.parse({ ...config, id: row.id, kind: row.kind, provider: row.provider, name: row.name });
}
