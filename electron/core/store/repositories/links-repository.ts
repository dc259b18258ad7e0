import type { Database } from 'better-sqlite3';
import type { LinkEntity } from '../../model';

/**
 * SMS id ↔ LMS id, per LMS connection. Written the moment an id is learnt, so a sync that stops
 * half-way looks its records up here instead of creating them twice.
 */
export class LinksRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  set(connectionId: string, entity: LinkEntity, smsId: string, lmsId: string): void {
    this.db
      .prepare(
        `INSERT INTO links (connection_id, entity, sms_id, lms_id, linked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (connection_id, entity, sms_id) DO UPDATE SET lms_id = excluded.lms_id, linked_at = excluded.linked_at`,
      )
      .run(connectionId, entity, smsId, lmsId, this.now().toISOString());
  }

  lmsId(connectionId: string, entity: LinkEntity, smsId: string): string | undefined {
    const row = this.db
      .prepare('SELECT lms_id FROM links WHERE connection_id = ? AND entity = ? AND sms_id = ?')
      .get(connectionId, entity, smsId) as { lms_id: string } | undefined;
    return row?.lms_id;
  }

  smsId(connectionId: string, entity: LinkEntity, lmsId: string): string | undefined {
    const row = this.db
      .prepare('SELECT sms_id FROM links WHERE connection_id = ? AND entity = ? AND lms_id = ?')
      .get(connectionId, entity, lmsId) as { sms_id: string } | undefined;
    return row?.sms_id;
  }

  /** Every link of one kind for a connection, SMS id → LMS id. */
  all(connectionId: string, entity: LinkEntity): Map<string, string> {
    const rows = this.db
      .prepare('SELECT sms_id, lms_id FROM links WHERE connection_id = ? AND entity = ?')
      .all(connectionId, entity) as { sms_id: string; lms_id: string }[];
    return new Map(rows.map((r) => [r.sms_id, r.lms_id]));
  }

  remove(connectionId: string, entity: LinkEntity, smsId: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM links WHERE connection_id = ? AND entity = ? AND sms_id = ?')
        .run(connectionId, entity, smsId).changes > 0
    );
  }
}
