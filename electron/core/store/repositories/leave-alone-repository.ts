import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { LeaveAloneKind, LeaveAloneMark } from '../../model';

const RowSchema = z.object({
  connection_id: z.string(),
  kind: z.enum(['person', 'course']),
  sms_id: z.string(),
  created_at: z.string(),
  note: z.string().nullable(),
});

/** The SMS ids left alone on one connection, as the planner reads them. */
export interface LeaveAloneSets {
  people: ReadonlySet<string>;
  courses: ReadonlySet<string>;
}

/** The admin's leave-alone marks per LMS connection (migration 017). */
export class LeaveAloneRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** Marks of one connection (or all), courses first, then by SMS id. */
  list(connectionId?: string): LeaveAloneMark[] {
    const rows = this.db
      .prepare(
        `SELECT connection_id, kind, sms_id, created_at, note FROM leave_alone
         WHERE (@connectionId IS NULL OR connection_id = @connectionId) ORDER BY connection_id, kind, sms_id`,
      )
      .all({ connectionId: connectionId ?? null });
    return rows.map((row) => {
      const r = RowSchema.parse(row);
      return { connectionId: r.connection_id, kind: r.kind, smsId: r.sms_id, createdAt: r.created_at, note: r.note };
    });
  }

  /** The marks of one connection as two sets, for planning. */
  sets(connectionId: string): LeaveAloneSets {
    const people = new Set<string>();
    const courses = new Set<string>();
    for (const m of this.list(connectionId)) (m.kind === 'person' ? people : courses).add(m.smsId);
    return { people, courses };
  }

  /**
   * Marks one record; marking it again keeps the first date (when ClassBridge stopped touching it) and
   * takes the new note when one is given.
   */
  add(connectionId: string, kind: LeaveAloneKind, smsId: string, note?: string): LeaveAloneMark {
    this.db
      .prepare(
        `INSERT INTO leave_alone (connection_id, kind, sms_id, created_at, note) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (connection_id, kind, sms_id) DO UPDATE SET note = coalesce(excluded.note, leave_alone.note)`,
      )
      .run(connectionId, kind, smsId, this.now().toISOString(), note ?? null);
    return this.list(connectionId).find((m) => m.kind === kind && m.smsId === smsId)!;
  }

  /**
   * The record's name in the current SMS snapshot: "Aroha Ngata (angata)", "Year 10 Science (10SCI)";
   * null when the snapshot does not have the id (marked before an import, or gone from the SMS).
   */
  label(kind: LeaveAloneKind, smsId: string): string | null {
    if (kind === 'person') {
      const p = this.db.prepare('SELECT given_name, family_name, username FROM people WHERE sms_id = ?').get(smsId) as
        { given_name: string; family_name: string; username: string | null } | undefined;
      if (!p) return null;
      const name = `${p.given_name} ${p.family_name}`.trim() || smsId;
      return p.username ? `${name} (${p.username})` : name;
    }
    const c = this.db.prepare('SELECT code, name FROM courses WHERE sms_id = ?').get(smsId) as
      { code: string; name: string } | undefined;
    if (!c) return null;
    return c.name && c.name !== c.code ? `${c.name} (${c.code})` : c.code;
  }

  /** SMS course code → SMS course id, from the current snapshot (an LMS course matched by code names its SMS course). */
  courseIdsByCode(): Map<string, string> {
    const rows = this.db.prepare('SELECT sms_id, code FROM courses').all() as { sms_id: string; code: string }[];
    return new Map(rows.map((r) => [r.code, r.sms_id]));
  }

  /** Lifts a mark; false when there was none. */
  remove(connectionId: string, kind: LeaveAloneKind, smsId: string): boolean {
    const result = this.db
      .prepare('DELETE FROM leave_alone WHERE connection_id = ? AND kind = ? AND sms_id = ?')
      .run(connectionId, kind, smsId);
    return result.changes > 0;
  }
}
