import type { Database } from 'better-sqlite3';
import type { CourseState, LmsCourse } from '../../model';

interface LmsCourseRow {
  connection_id: string;
  lms_id: number;
  shortname: string;
  fullname: string;
  idnumber: string;
  state: CourseState;
  first_seen: string;
  last_seen: string;
  state_changed_at: string | null;
  state_changed_by: 'admin' | 'classbridge' | null;
  state_reason: string | null;
  lms_hidden_at: string | null;
}

export interface SeenCourse {
  lmsId: number;
  shortname: string;
  fullname: string;
  idnumber: string;
}

export interface CourseFilter {
  connectionId?: string;
  states?: readonly CourseState[];
  search?: string;
}

/** What ClassBridge knows happens in one LMS course (see LmsCoursesRepository.activity). */
export interface CourseActivity {
  enrolments: number;
  results: number;
  averageProgress: number | null;
  resultsUpdatedAt: string | null;
}

/** The LMS course list with each course's state. Deleted rows stay so old records still name them. */
export class LmsCoursesRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /**
   * Records the courses the LMS listed: unseen ones start New, known ones get their names refreshed
   * (a course that had vanished and is back returns to New, since an admin must decide again).
   * Returns how many were new.
   */
  recordSeen(connectionId: string, courses: readonly SeenCourse[]): number {
    const at = this.now().toISOString();
    const insert = this.db.prepare(
      `INSERT INTO lms_courses (connection_id, lms_id, shortname, fullname, idnumber, state, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, 'New', ?, ?)
       ON CONFLICT (connection_id, lms_id) DO UPDATE SET shortname = excluded.shortname,
         fullname = excluded.fullname, idnumber = excluded.idnumber, last_seen = excluded.last_seen,
         state = CASE WHEN lms_courses.state = 'Deleted' THEN 'New' ELSE lms_courses.state END
       RETURNING first_seen`,
    );
    let added = 0;
    this.db.transaction(() => {
      for (const c of courses) {
        const row = insert.get(connectionId, c.lmsId, c.shortname, c.fullname, c.idnumber, at, at) as {
          first_seen: string;
        };
        if (row.first_seen === at) added += 1;
      }
    })();
    return added;
  }

  /** Marks every course of the connection that the LMS no longer lists as Deleted; returns how many. */
  markMissingDeleted(connectionId: string, listedIds: readonly number[]): number {
    const listed = new Set(listedIds);
    const known = this.db
      .prepare("SELECT lms_id FROM lms_courses WHERE connection_id = ? AND state != 'Deleted'")
      .all(connectionId) as { lms_id: number }[];
    const gone = known.filter((r) => !listed.has(r.lms_id));
    const update = this.db.prepare(
      "UPDATE lms_courses SET state = 'Deleted', state_changed_at = ? WHERE connection_id = ? AND lms_id = ?",
    );
    const at = this.now().toISOString();
    this.db.transaction(() => gone.forEach((r) => update.run(at, connectionId, r.lms_id)))();
    return gone.length;
  }

  /**
   * An admin's decision. Only New/Open/Closed courses can be changed, and only to Open or Closed:
   * a Deleted course is gone from the LMS, so there is nothing to open.
   */
  setState(
    connectionId: string,
    lmsId: number,
    state: 'Open' | 'Closed',
  ): 'changed' | 'unchanged' | 'not-found' | 'deleted' {
    const row = this.db
      .prepare('SELECT state FROM lms_courses WHERE connection_id = ? AND lms_id = ?')
      .get(connectionId, lmsId) as { state: CourseState } | undefined;
    if (!row) return 'not-found';
    if (row.state === 'Deleted') return 'deleted';
    if (row.state === state) return 'unchanged';
    this.db
      .prepare(
        `UPDATE lms_courses SET state = ?, state_changed_at = ?, state_changed_by = 'admin', state_reason = NULL
         WHERE connection_id = ? AND lms_id = ?`,
      )
      .run(state, this.now().toISOString(), connectionId, lmsId);
    return 'changed';
  }

  /**
   * ClassBridge's own Close (the ended-course rule, sync/plan/lifecycle.ts), with its reason. Only a New
   * or Open course: an admin's Close and a Deleted course stay as they are. Returns whether it changed.
   */
  closeByRule(connectionId: string, lmsId: number, reason: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE lms_courses SET state = 'Closed', state_changed_at = ?, state_changed_by = 'classbridge', state_reason = ?
           WHERE connection_id = ? AND lms_id = ? AND state IN ('New', 'Open')`,
        )
        .run(this.now().toISOString(), reason, connectionId, lmsId).changes > 0
    );
  }

  /** ClassBridge hid the course in the LMS (visible 0), or — `hidden` false — showed it again. */
  markHiddenInLms(connectionId: string, lmsId: number, hidden: boolean): void {
    this.db
      .prepare('UPDATE lms_courses SET lms_hidden_at = ? WHERE connection_id = ? AND lms_id = ?')
      .run(hidden ? this.now().toISOString() : null, connectionId, lmsId);
  }

  list(filter: CourseFilter = {}): LmsCourse[] {
    const states = filter.states ?? ['New', 'Open', 'Closed'];
    const search = filter.search?.trim() ? `%${filter.search.trim().toLowerCase()}%` : null;
    const rows = this.db
      .prepare(
        `SELECT * FROM lms_courses
         WHERE (@connectionId IS NULL OR connection_id = @connectionId)
           AND state IN (SELECT value FROM json_each(@states))
           AND (@search IS NULL OR lower(fullname) LIKE @search OR lower(shortname) LIKE @search OR lower(idnumber) LIKE @search)
         ORDER BY fullname COLLATE NOCASE, lms_id`,
      )
      .all({ connectionId: filter.connectionId ?? null, states: JSON.stringify(states), search }) as LmsCourseRow[];
    return rows.map((r) => ({
      connectionId: r.connection_id,
      lmsId: r.lms_id,
      shortname: r.shortname,
      fullname: r.fullname,
      idnumber: r.idnumber,
      state: r.state,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      ...(r.state_changed_by ? { stateChangedBy: r.state_changed_by } : {}),
      ...(r.state_changed_at && r.state_changed_by ? { stateChangedAt: r.state_changed_at } : {}),
      ...(r.state_reason ? { stateReason: r.state_reason } : {}),
      ...(r.lms_hidden_at ? { hiddenInLmsAt: r.lms_hidden_at } : {}),
    }));
  }

  /**
   * Per LMS course: the active SMS enrolments of the SMS course linked to it (what an upload keeps in
   * it), and the results last read from its gradebook. Courses with neither are absent from the map.
   */
  activity(connectionId?: string): Map<string, CourseActivity> {
    const byCourse = new Map<string, CourseActivity>();
    const entry = (connection: string, lmsId: number): CourseActivity => {
      const key = `${connection}:${lmsId}`;
      const existing = byCourse.get(key);
      if (existing) return existing;
      const created: CourseActivity = { enrolments: 0, results: 0, averageProgress: null, resultsUpdatedAt: null };
      byCourse.set(key, created);
      return created;
    };
    const enrolments = this.db
      .prepare(
        `SELECT l.connection_id, CAST(l.lms_id AS INTEGER) AS lms_id, sum(e.n) AS n
         FROM links l
         JOIN (SELECT course_sms_id, count(*) AS n FROM enrolments WHERE active = 1 GROUP BY course_sms_id) e
           ON e.course_sms_id = l.sms_id
         WHERE l.entity = 'course' AND (@connectionId IS NULL OR l.connection_id = @connectionId)
         GROUP BY l.connection_id, l.lms_id`,
      )
      .all({ connectionId: connectionId ?? null }) as { connection_id: string; lms_id: number; n: number }[];
    for (const r of enrolments) entry(r.connection_id, r.lms_id).enrolments = r.n;
    const results = this.db
      .prepare(
        `SELECT connection_id, lms_course_id, count(*) AS n, avg(progress_percent) AS progress, max(updated_at) AS updated
         FROM results WHERE (@connectionId IS NULL OR connection_id = @connectionId)
         GROUP BY connection_id, lms_course_id`,
      )
      .all({ connectionId: connectionId ?? null }) as {
      connection_id: string;
      lms_course_id: number;
      n: number;
      progress: number | null;
      updated: string | null;
    }[];
    for (const r of results) {
      const activity = entry(r.connection_id, r.lms_course_id);
      activity.results = r.n;
      activity.averageProgress = r.progress;
      activity.resultsUpdatedAt = r.updated;
    }
    return byCourse;
  }

  countByState(): Record<CourseState, number> {
    const counts: Record<CourseState, number> = { New: 0, Open: 0, Closed: 0, Deleted: 0 };
    const rows = this.db.prepare('SELECT state, count(*) AS n FROM lms_courses GROUP BY state').all() as {
      state: CourseState;
      n: number;
    }[];
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }
}
