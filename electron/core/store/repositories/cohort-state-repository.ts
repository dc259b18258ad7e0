import type { Database } from 'better-sqlite3';
import { z } from 'zod';

const CohortRowSchema = z.object({ cohort_key: z.string(), lms_id: z.number().int().positive(), name: z.string() });
const MemberRowSchema = z.object({ cohort_key: z.string(), person_key: z.string() });

/** What the cohort planner reads (sync/plan/cohorts.ts AppliedCohorts has this shape). */
export interface StoredCohorts {
  cohorts: Map<string, { lmsId: number; name: string }>;
  members: Map<string, Set<string>>;
}

/**
 * The cohorts ClassBridge made in an LMS and the members it added, per LMS connection (migration 019).
 * Written as each batch of the apply returns (sync/apply/cohorts.ts): a cohort before its members, so a
 * crash between two batches leaves nothing a re-plan would create twice.
 */
export class CohortStateRepository {
  constructor(private readonly db: Database) {}

  read(connectionId: string): StoredCohorts {
    const cohorts = new Map<string, { lmsId: number; name: string }>();
    for (const row of this.db
      .prepare('SELECT cohort_key, lms_id, name FROM lms_cohorts WHERE connection_id = ?')
      .all(connectionId)) {
      const r = CohortRowSchema.parse(row);
      cohorts.set(r.cohort_key, { lmsId: r.lms_id, name: r.name });
    }
    const members = new Map<string, Set<string>>();
    for (const row of this.db
      .prepare('SELECT cohort_key, person_key FROM lms_cohort_members WHERE connection_id = ?')
      .all(connectionId)) {
      const r = MemberRowSchema.parse(row);
      let set = members.get(r.cohort_key);
      if (!set) members.set(r.cohort_key, (set = new Set()));
      set.add(r.person_key);
    }
    return { cohorts, members };
  }

  /** Cohorts made (or found by idnumber) in the LMS. */
  recordCohorts(connectionId: string, cohorts: readonly { key: string; lmsId: number; name: string }[]): void {
    if (cohorts.length === 0) return;
    const put = this.db.prepare(
      `INSERT INTO lms_cohorts (connection_id, cohort_key, lms_id, name) VALUES (?, ?, ?, ?)
       ON CONFLICT (connection_id, cohort_key) DO UPDATE SET lms_id = excluded.lms_id, name = excluded.name`,
    );
    this.db.transaction(() => {
      for (const c of cohorts) put.run(connectionId, c.key, c.lmsId, c.name);
    })();
  }

  /** A cohort gone from the LMS (deleted by hand): forgotten with its members, so the next upload makes it again. */
  forgetCohort(connectionId: string, key: string): void {
    this.db.prepare('DELETE FROM lms_cohorts WHERE connection_id = ? AND cohort_key = ?').run(connectionId, key);
  }

  addMembers(connectionId: string, members: readonly { cohort: string; person: string }[]): void {
    if (members.length === 0) return;
    const put = this.db.prepare(
      'INSERT OR IGNORE INTO lms_cohort_members (connection_id, cohort_key, person_key) VALUES (?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const m of members) put.run(connectionId, m.cohort, m.person);
    })();
  }

  removeMembers(connectionId: string, members: readonly { cohort: string; person: string }[]): void {
    if (members.length === 0) return;
    const del = this.db.prepare(
      'DELETE FROM lms_cohort_members WHERE connection_id = ? AND cohort_key = ? AND person_key = ?',
    );
    this.db.transaction(() => {
      for (const m of members) del.run(connectionId, m.cohort, m.person);
    })();
  }
}
