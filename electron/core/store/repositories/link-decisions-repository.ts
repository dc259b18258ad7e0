import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import {
  LinkDecisionStateSchema,
  LinkLmsRecordSchema,
  LinkReasonSchema,
  LinkSmsRecordSchema,
  type LinkDecision,
  type LinkDecisionState,
  type LinkReason,
} from '../../model/link-decision';

export type { LinkDecision, LinkDecisionState, LinkReason };

export interface NewLinkDecision {
  connectionId: string;
  smsId: string;
  reason: LinkReason;
  linkable: boolean;
  sms: z.infer<typeof LinkSmsRecordSchema>;
  lms: z.infer<typeof LinkLmsRecordSchema>;
  suggestedUsername: string | undefined;
}

const RowSchema = z.object({
  id: z.number().int(),
  connection_id: z.string(),
  sms_id: z.string(),
  lms_user_id: z.number().int(),
  reason: LinkReasonSchema,
  linkable: z.number().int(),
  sms_record: z.string(),
  lms_record: z.string(),
  suggested_username: z.string().nullable(),
  state: LinkDecisionStateSchema,
  username: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  decided_at: z.string().nullable(),
  applied_at: z.string().nullable(),
});

function toDecision(row: unknown): LinkDecision {
  const r = RowSchema.parse(row);
  return {
    id: r.id,
    connectionId: r.connection_id,
    smsId: r.sms_id,
    lmsUserId: r.lms_user_id,
    reason: r.reason,
    linkable: r.linkable === 1,
    sms: LinkSmsRecordSchema.parse(JSON.parse(r.sms_record)),
    lms: LinkLmsRecordSchema.parse(JSON.parse(r.lms_record)),
    suggestedUsername: r.suggested_username,
    state: r.state,
    username: r.username,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    decidedAt: r.decided_at,
    appliedAt: r.applied_at,
  };
}

/** Existing LMS accounts waiting for (or carrying) the admin's Link / Create / Skip (migration 013). */
export class LinkDecisionsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /**
   * Records that this person's create found an account it may not take over. A decision still open is
   * refreshed with what was seen now; a decided one is left as the admin decided it; one carried out
   * long ago (the person needs creating again) starts over as open.
   */
  record(d: NewLinkDecision): LinkDecision {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO link_decisions (connection_id, sms_id, lms_user_id, reason, linkable, sms_record, lms_record,
           suggested_username, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
         ON CONFLICT (connection_id, sms_id) DO UPDATE SET lms_user_id = excluded.lms_user_id,
           reason = excluded.reason, linkable = excluded.linkable, sms_record = excluded.sms_record,
           lms_record = excluded.lms_record, suggested_username = excluded.suggested_username,
           updated_at = excluded.updated_at, state = 'open', username = NULL, decided_at = NULL, applied_at = NULL
         WHERE link_decisions.state = 'open' OR link_decisions.applied_at IS NOT NULL`,
      )
      .run(
        d.connectionId,
        d.smsId,
        d.lms.id,
        d.reason,
        d.linkable ? 1 : 0,
        JSON.stringify(d.sms),
        JSON.stringify(d.lms),
        d.suggestedUsername ?? null,
        at,
        at,
      );
    return this.forPerson(d.connectionId, d.smsId)!;
  }

  get(id: number): LinkDecision | undefined {
    const row = this.db.prepare('SELECT * FROM link_decisions WHERE id = ?').get(id);
    return row === undefined ? undefined : toDecision(row);
  }

  forPerson(connectionId: string, smsId: string): LinkDecision | undefined {
    const row = this.db
      .prepare('SELECT * FROM link_decisions WHERE connection_id = ? AND sms_id = ?')
      .get(connectionId, smsId);
    return row === undefined ? undefined : toDecision(row);
  }

  /** Decisions not yet carried out (open or decided), or every one with `all`; oldest first. */
  list(filter: { connectionId?: string; all?: boolean } = {}): LinkDecision[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.connectionId !== undefined) {
      where.push('connection_id = ?');
      args.push(filter.connectionId);
    }
    if (!filter.all) where.push('applied_at IS NULL');
    const sql = `SELECT * FROM link_decisions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return this.db
      .prepare(sql)
      .all(...args)
      .map(toDecision);
  }

  /** The admin's choice; `username` only for 'create'. A decision already carried out is not changed. */
  decide(id: number, state: Exclude<LinkDecisionState, 'open'>, username?: string): LinkDecision | undefined {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `UPDATE link_decisions SET state = ?, username = ?, decided_at = ?, updated_at = ?
         WHERE id = ? AND applied_at IS NULL`,
      )
      .run(state, state === 'create' ? (username ?? null) : null, at, at, id);
    return this.get(id);
  }

  /**
   * SMS person → the username a carried-out "Create with another username" gave their LMS account. The
   * applied state keeps the SMS username (so uploads stay settled); reconcile compares with this one,
   * or it would take the chosen name for drift and try to rename the account back to a taken name.
   */
  createdUsernames(connectionId: string): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT sms_id, COALESCE(username, suggested_username) AS username FROM link_decisions
         WHERE connection_id = ? AND state = 'create' AND applied_at IS NOT NULL`,
      )
      .all(connectionId) as { sms_id: string; username: string | null }[];
    return new Map(rows.filter((r) => r.username !== null).map((r) => [r.sms_id, r.username as string]));
  }

  /** Decisions the admin has not made yet (state open), over every connection. */
  countOpen(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM link_decisions WHERE state = 'open'").get() as { n: number }).n;
  }

  /** An upload carried the decision out. */
  markApplied(id: number): void {
    const at = this.now().toISOString();
    this.db.prepare('UPDATE link_decisions SET applied_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
  }
}
