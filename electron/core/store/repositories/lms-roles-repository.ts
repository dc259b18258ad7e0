import type { Database } from 'better-sqlite3';
import { z } from 'zod';

const RoleRowSchema = z.object({
  shortname: z.string(),
  role_id: z.number().int().positive(),
  source: z.enum(['configured', 'cached', 'learnt', 'verified']),
});

export interface StoredRoleId {
  shortname: string;
  id: number;
  source: 'configured' | 'cached' | 'learnt' | 'verified';
}

/** Role shortname → id per LMS connection, kept between runs (migration 010). */
export class LmsRolesRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  list(connectionId: string): StoredRoleId[] {
    const rows = this.db
      .prepare('SELECT shortname, role_id, source FROM lms_roles WHERE connection_id = ? ORDER BY shortname')
      .all(connectionId);
    return rows.map((row) => {
      const r = RoleRowSchema.parse(row);
      return { shortname: r.shortname, id: r.role_id, source: r.source };
    });
  }

  /** Keeps these ids; an id the admin configured is not stored (the mapping holds it). */
  save(connectionId: string, roles: readonly { shortname: string; id: number | null; source: string }[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO lms_roles (connection_id, shortname, role_id, source, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, shortname) DO UPDATE SET role_id = excluded.role_id, source = excluded.source,
       updated_at = excluded.updated_at WHERE lms_roles.role_id <> excluded.role_id OR lms_roles.source <> excluded.source`,
    );
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const role of roles) {
        if (role.id === null || role.source === 'configured' || role.source === 'cached') continue;
        if (role.source !== 'learnt' && role.source !== 'verified') continue;
        upsert.run(connectionId, role.shortname, role.id, role.source, at);
      }
    })();
  }

  /** Forgets what was learnt, e.g. after the admin changed the role mapping or the site was rebuilt. */
  clear(connectionId: string): void {
    this.db.prepare('DELETE FROM lms_roles WHERE connection_id = ?').run(connectionId);
  }
}
