import type { Database } from 'better-sqlite3';
import { HeldPlanSchema, type HeldPlan, type HeldPlanState, type Part } from '../../model';

interface HeldPlanRow {
  id: number;
  connection_id: string;
  part: Part;
  run_id: number | null;
  fingerprint: string;
  removal_keys: string;
  state: HeldPlanState;
  message: string;
  details: string;
  created_at: string;
  decided_at: string | null;
}

export interface NewHeldPlan {
  connectionId: string;
  part: Part;
  runId: number;
  /** Identifies exactly which removals the plan makes (see sync/plan/held-plan.ts). */
  fingerprint: string;
  /** Every removal the plan makes (sync/plan/held-plan.ts removalKeys): what an approval covers. */
  removalKeys: readonly string[];
  message: string;
  details: HeldPlan['details'];
}

/**
 * Plans the safety rail held, and the admin's decision on each. The fingerprint ties a decision to
 * the exact removals reviewed: approving one plan never lets a different one through.
 */
export class HeldPlansRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /**
   * Records that a run held this plan. The same removals held again keep their one entry (and a
   * rejected one stays rejected); different removals supersede whatever was pending.
   */
  record(plan: NewHeldPlan): HeldPlan {
    return this.db.transaction((): HeldPlan => {
      const same = this.db
        .prepare(
          `SELECT * FROM held_plans WHERE connection_id = ? AND part = ? AND fingerprint = ?
             AND state IN ('pending', 'rejected') ORDER BY id DESC LIMIT 1`,
        )
        .get(plan.connectionId, plan.part, plan.fingerprint) as HeldPlanRow | undefined;
      if (same) {
        this.db.prepare('UPDATE held_plans SET run_id = ? WHERE id = ?').run(plan.runId, same.id);
        return toHeldPlan({ ...same, run_id: plan.runId });
      }
      this.db
        .prepare(
          `UPDATE held_plans SET state = 'superseded', decided_at = ?
           WHERE connection_id = ? AND part = ? AND state IN ('pending', 'approved')`,
        )
        .run(this.now().toISOString(), plan.connectionId, plan.part);
      const info = this.db
        .prepare(
          `INSERT INTO held_plans
             (connection_id, part, run_id, fingerprint, removal_keys, state, message, details, created_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(
          plan.connectionId,
          plan.part,
          plan.runId,
          plan.fingerprint,
          JSON.stringify(plan.removalKeys),
          plan.message,
          JSON.stringify(plan.details),
          this.now().toISOString(),
        );
      return this.get(Number(info.lastInsertRowid)) as HeldPlan;
    })();
  }

  get(id: number): HeldPlan | undefined {
    const row = this.db.prepare('SELECT * FROM held_plans WHERE id = ?').get(id) as HeldPlanRow | undefined;
    return row ? toHeldPlan(row) : undefined;
  }

  /**
   * The approved plan that covers every one of these removals, if the admin approved one. A subset
   * is covered too: an approved apply that stopped half-way carries on without a second approval.
   */
  approvedCovering(connectionId: string, part: Part, removalKeys: readonly string[]): HeldPlan | undefined {
    const row = this.db
      .prepare("SELECT * FROM held_plans WHERE connection_id = ? AND part = ? AND state = 'approved'")
      .get(connectionId, part) as HeldPlanRow | undefined;
    if (!row) return undefined;
    const approved = new Set(JSON.parse(row.removal_keys) as string[]);
    return removalKeys.every((k) => approved.has(k)) ? toHeldPlan(row) : undefined;
  }

  /** Approve or reject a pending plan; undefined when it is not pending (decided, superseded, unknown). */
  decide(id: number, decision: 'approved' | 'rejected'): HeldPlan | undefined {
    const changed = this.db
      .prepare("UPDATE held_plans SET state = ?, decided_at = ? WHERE id = ? AND state = 'pending'")
      .run(decision, this.now().toISOString(), id).changes;
    return changed > 0 ? this.get(id) : undefined;
  }

  markApplied(id: number): void {
    this.db.prepare("UPDATE held_plans SET state = 'applied' WHERE id = ? AND state = 'approved'").run(id);
  }

  /** A plan no longer needed: the next run's removals fit under the limit again (e.g. the SMS was fixed). */
  closeOpen(connectionId: string, part: Part): void {
    this.db
      .prepare(
        `UPDATE held_plans SET state = 'superseded', decided_at = ?
         WHERE connection_id = ? AND part = ? AND state IN ('pending', 'approved', 'rejected')`,
      )
      .run(this.now().toISOString(), connectionId, part);
  }

  list(filter: { connectionId?: string; states?: readonly HeldPlanState[] } = {}): HeldPlan[] {
    const states = filter.states ?? ['pending'];
    const rows = this.db
      .prepare(
        `SELECT * FROM held_plans
         WHERE (@connectionId IS NULL OR connection_id = @connectionId)
           AND state IN (SELECT value FROM json_each(@states))
         ORDER BY id DESC LIMIT 200`,
      )
      .all({ connectionId: filter.connectionId ?? null, states: JSON.stringify(states) }) as HeldPlanRow[];
    return rows.map(toHeldPlan);
  }
}

function toHeldPlan(row: HeldPlanRow): HeldPlan {
  return HeldPlanSchema.parse({
    id: row.id,
    connectionId: row.connection_id,
    part: row.part,
    runId: row.run_id,
    state: row.state,
    message: row.message,
    details: JSON.parse(row.details) as unknown,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  });
}
