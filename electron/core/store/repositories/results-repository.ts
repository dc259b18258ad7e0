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

/** One student's result within a course, as storeCourse takes them. */
export type CourseResultInput = Omit<ResultInput, 'connectionId' | 'lmsCourseId'>;

/** A changed result as compareCourse found it: written by writeResults. */
export interface ResultWrite {
  readonly result: ResultInput;
  /** The report card as stored (JSON). */
  readonly activities: string;
  /** updated_at: when the change was seen. */
  readonly at: string;
}

type StoredContent = Pick<ResultRow, 'progress_percent' | 'grade' | 'grade_percent' | 'grade_exact' | 'activities'>;

const UPSERT_SQL = `INSERT INTO results (connection_id, lms_course_id, person_sms_id, progress_percent, grade, grade_percent, grade_exact, activities, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (connection_id, lms_course_id, person_sms_id) DO UPDATE SET
     progress_percent = excluded.progress_percent, grade = excluded.grade, grade_percent = excluded.grade_percent,
     grade_exact = excluded.grade_exact, activities = excluded.activities, updated_at = excluded.updated_at`;

/**
 * Results read from LMS gradebooks. Each row remembers a hash of what was last delivered to the SMS,
 * so only results that really changed are sent again.
 */
export class ResultsRepository {
  /** Prepared once, on first use: a download stores a result per student, and preparing costs more than the write. */
  private statements?: ReturnType<ResultsRepository['prepareStatements']>;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  private prepareStatements() {
    return {
      one: this.db.prepare(
        'SELECT progress_percent, grade, grade_percent, grade_exact, activities FROM results WHERE connection_id = ? AND lms_course_id = ? AND person_sms_id = ?',
      ),
      course: this.db.prepare(
        'SELECT person_sms_id, progress_percent, grade, grade_percent, grade_exact, activities FROM results WHERE connection_id = ? AND lms_course_id = ?',
      ),
      upsert: this.db.prepare(UPSERT_SQL),
    };
  }

  private get sql(): ReturnType<ResultsRepository['prepareStatements']> {
    return (this.statements ??= this.prepareStatements());
  }

  /** Stores a result; returns true when it differs from what was stored before. */
  upsert(result: ResultInput): boolean {
    const before = this.sql.one.get(result.connectionId, result.lmsCourseId, result.personSmsId) as
      StoredContent | undefined;
    const activities = JSON.stringify(result.activities);
    if (before && sameContent(before, result, activities)) return false;
    this.write(result, activities);
    return true;
  }

  /**
   * Stores one course's results as upsert would, one by one, with one read of what the course already
   * holds and a write only for the results that changed (all in one transaction); a course whose results
   * are all unchanged costs no write at all. Returns, in order, whether each result changed.
   */
  storeCourse(connectionId: string, lmsCourseId: number, results: readonly CourseResultInput[]): boolean[] {
    const { changed, writes } = this.compareCourse(connectionId, lmsCourseId, results);
    this.writeResults(writes);
    return changed;
  }

  /**
   * What storeCourse would do, without writing: whether each result changed (in order), and the writes
   * that store the changed ones (each stamped now, when the change was seen) for writeResults, which
   * may take several courses' writes in one transaction.
   */
  compareCourse(
    connectionId: string,
    lmsCourseId: number,
    results: readonly CourseResultInput[],
  ): { changed: boolean[]; writes: ResultWrite[] } {
    const stored = new Map(
      (this.sql.course.all(connectionId, lmsCourseId) as (StoredContent & { person_sms_id: string })[]).map(
        (row) => [row.person_sms_id, row as StoredContent] as const,
      ),
    );
    const writes: ResultWrite[] = [];
    const changed = results.map((r) => {
      const activities = JSON.stringify(r.activities);
      const before = stored.get(r.personSmsId);
      if (before && sameContent(before, r, activities)) return false;
      writes.push({ result: { connectionId, lmsCourseId, ...r }, activities, at: this.now().toISOString() });
      // A person met twice in one gradebook compares with what the first stored, as upsert's next read would.
      stored.set(r.personSmsId, {
        progress_percent: r.progressPercent,
        grade: r.grade,
        grade_percent: r.gradePercent,
        grade_exact: r.gradeExact ?? null,
        activities,
      });
      return true;
    });
    return { changed, writes };
  }

  /** Writes what compareCourse found, in one transaction (none when there is nothing to write). */
  writeResults(writes: readonly ResultWrite[]): void {
    if (writes.length === 0) return;
    this.db.transaction(() => {
      for (const w of writes) this.write(w.result, w.activities, w.at);
    })();
  }

  private write(result: ResultInput, activities: string, at = this.now().toISOString()): void {
    this.sql.upsert.run(
      result.connectionId,
      result.lmsCourseId,
      result.personSmsId,
      result.progressPercent,
      result.grade,
      result.gradePercent,
      result.gradeExact ?? null,
      activities,
      at,
    );
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

  /** Results whose content differs from what was last delivered (or never delivered); one query, the hash read with each row. */
  undelivered(connectionId: string): Result[] {
    const rows = this.db
      .prepare('SELECT * FROM results WHERE connection_id = ? ORDER BY lms_course_id, person_sms_id')
      .all(connectionId) as ResultRow[];
    const out: Result[] = [];
    for (const row of rows) {
      const result = toResult(row);
      if (contentHash(result) !== row.delivered_hash) out.push(result);
    }
    return out;
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
}

/** Whether the stored row holds exactly this content (activities compared as the JSON text stored). */
function sameContent(
  before: StoredContent,
  r: Pick<ResultInput, 'progressPercent' | 'grade' | 'gradePercent' | 'gradeExact'>,
  activities: string,
): boolean {
  return (
    before.progress_percent === r.progressPercent &&
    before.grade === r.grade &&
    before.grade_percent === r.gradePercent &&
    before.grade_exact === (r.gradeExact ?? null) &&
    before.activities === activities
  );
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
