import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Result } from '../../model';

interface ResultRow {
  connection_id: string;
  lms_course_id: number;
  person_sms_id: string;
  progress_percent: number;
  grade: string | null;
  grade_percent: number | null;
  grade_exact: number | null;
  activities: string;
  updated_at: string;
  delivered_at: string | null;
  delivered_hash: string | null;
}

export type ResultInput = Omit<Result, 'updatedAt' | 'deliveredAt'>;

/**
 * Results read from LMS gradebooks. Each row remembers a hash of what was last delivered to the SMS,
 * so only results that really changed are sent again.
 */
export class ResultsRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** Stores a result; returns true when it differs from what was stored before. */
  upsert(result: ResultInput): boolean {
    const before = this.db
      .prepare(
        'SELECT progress_percent, grade, grade_percent, grade_exact, activities FROM results WHERE connection_id = ? AND lms_course_id = ? AND person_sms_id = ?',
      )
      .get(result.connectionId, result.lmsCourseId, result.personSmsId) as
      Pick<ResultRow, 'progress_percent' | 'grade' | 'grade_percent' | 'grade_exact' | 'activities'> | undefined;
    const activities = JSON.stringify(result.activities);
    const exact = result.gradeExact ?? null;
    if (
      before &&
      before.progress_percent === result.progressPercent &&
      before.grade === result.grade &&
      before.grade_percent === result.gradePercent &&
      before.grade_exact === exact &&
      before.activities === activities
    ) {
      return false;
    }
    this.db
      .prepare(
        `INSERT INTO results (connection_id, lms_course_id, person_sms_id, progress_percent, grade, grade_percent, grade_exact, activities, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (connection_id, lms_course_id, person_sms_id) DO UPDATE SET
           progress_percent = excluded.progress_percent, grade = excluded.grade, grade_percent = excluded.grade_percent,
           grade_exact = excluded.grade_exact, activities = excluded.activities, updated_at = excluded.updated_at`,
      )
      .run(
        result.connectionId,
        result.lmsCourseId,
        result.personSmsId,
        result.progressPercent,
        result.grade,
        result.gradePercent,
        exact,
        activities,
        this.now().toISOString(),
      );
    return true;
  }

  list(filter: { connectionId?: string; lmsCourseId?: number; personSmsId?: string } = {}): Result[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM results
         WHERE (@connectionId IS NULL OR connection_id = @connectionId)
           AND (@lmsCourseId IS NULL OR lms_course_id = @lmsCourseId)
           AND (@personSmsId IS NULL OR person_sms_id = @personSmsId)
         ORDER BY lms_course_id, person_sms_id`,
      )
      .all({
        connectionId: filter.connectionId ?? null,
        lmsCourseId: filter.lmsCourseId ?? null,
        personSmsId: filter.personSmsId ?? null,
      }) as ResultRow[];
    return rows.map(toResult);
  }

  /** SMS person id → "Given Family" for everyone with a result, from the current snapshot. */
  personNames(): Map<string, string> {
    const rows = this.db
      .prepare(
        `SELECT p.sms_id AS id, p.given_name || ' ' || p.family_name AS name FROM people p
         WHERE p.sms_id IN (SELECT DISTINCT person_sms_id FROM results)`,
      )
      .all() as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Results whose content differs from what was last delivered (or never delivered). */
  undelivered(connectionId: string): Result[] {
    return this.list({ connectionId }).filter((r) => contentHash(r) !== this.deliveredHash(r));
  }

  markDelivered(results: readonly Result[]): void {
    const update = this.db.prepare(
      'UPDATE results SET delivered_at = ?, delivered_hash = ? WHERE connection_id = ? AND lms_course_id = ? AND person_sms_id = ?',
    );
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const r of results) update.run(at, contentHash(r), r.connectionId, r.lmsCourseId, r.personSmsId);
    })();
  }

  private deliveredHash(r: Result): string | null {
    const row = this.db
      .prepare('SELECT delivered_hash FROM results WHERE connection_id = ? AND lms_course_id = ? AND person_sms_id = ?')
      .get(r.connectionId, r.lmsCourseId, r.personSmsId) as { delivered_hash: string | null } | undefined;
    return row?.delivered_hash ?? null;
  }
}

/**
 * What was delivered, as a hash. The unrounded percentage counts only where it differs from the
 * rounded one, so results delivered before it was kept are not all sent again; a change the rounding
 * hides (49.999 → 50.001, both "50.00") still counts, as it can change the outcome.
 */
export function contentHash(
  r: Pick<Result, 'progressPercent' | 'grade' | 'gradePercent' | 'gradeExact' | 'activities'>,
): string {
  const exact = r.gradeExact ?? null;
  const parts: unknown[] = [r.progressPercent, r.grade, r.gradePercent, r.activities];
  if (exact !== null && exact !== r.gradePercent) parts.push(exact);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function toResult(r: ResultRow): Result {
  return {
    connectionId: r.connection_id,
    lmsCourseId: r.lms_course_id,
    personSmsId: r.person_sms_id,
    progressPercent: r.progress_percent,
    grade: r.grade,
    gradePercent: r.grade_percent,
    gradeExact: r.grade_exact,
    activities: JSON.parse(r.activities) as Result['activities'],
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}
