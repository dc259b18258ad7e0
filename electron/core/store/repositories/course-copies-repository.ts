import type { Database } from 'better-sqlite3';
import { z } from 'zod';

const RowSchema = z.object({
  sms_id: z.string(),
  shortname: z.string(),
  template_course_id: z.number().int(),
  started_at: z.string(),
  lms_id: z.number().int().nullable(),
});

/** A copy of a template course that was asked for and is not finished (the course has no idnumber yet). */
export interface PendingCourseCopy {
  smsId: string;
  shortname: string;
  templateCourseId: number;
  startedAt: string;
  /** The copy's LMS id once Moodle answered; null while the answer is not known. */
  lmsId: number | null;
}

/**
 * The journal of course copies under way, per LMS connection (migration 021): written before
 * core_course_duplicate_course is called, given the new id when it answers, removed once the course has
 * its idnumber. What it says is the only reason an unlinked course found by shortname is finished as
 * ClassBridge's own (sync/apply/course-copies.ts).
 */
export class CourseCopiesRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The pending copies of one connection, by SMS id. */
  pending(connectionId: string): Map<string, PendingCourseCopy> {
    const rows = this.db
      .prepare(
        'SELECT sms_id, shortname, template_course_id, started_at, lms_id FROM course_copies WHERE connection_id = ?',
      )
      .all(connectionId);
    const out = new Map<string, PendingCourseCopy>();
    for (const row of rows) {
      const r = RowSchema.parse(row);
      out.set(r.sms_id, {
        smsId: r.sms_id,
        shortname: r.shortname,
        templateCourseId: r.template_course_id,
        startedAt: r.started_at,
        lmsId: r.lms_id,
      });
    }
    return out;
  }

  /** Before the copy is asked for (again: a retry keeps the first date). */
  start(connectionId: string, smsId: string, shortname: string, templateCourseId: number): void {
    this.db
      .prepare(
        `INSERT INTO course_copies (connection_id, sms_id, shortname, template_course_id, started_at, lms_id)
         VALUES (?, ?, ?, ?, ?, NULL)
         ON CONFLICT (connection_id, sms_id) DO UPDATE SET shortname = excluded.shortname,
           template_course_id = excluded.template_course_id, lms_id = NULL`,
      )
      .run(connectionId, smsId, shortname, templateCourseId, this.now().toISOString());
  }

  /** The LMS answered with the new course's id. */
  made(connectionId: string, smsId: string, lmsId: number): void {
    this.db
      .prepare('UPDATE course_copies SET lms_id = ? WHERE connection_id = ? AND sms_id = ?')
      .run(lmsId, connectionId, smsId);
  }

  /** Finished (the course has its idnumber and is linked), or nothing was made (the LMS refused). */
  remove(connectionId: string, smsId: string): void {
    this.db.prepare('DELETE FROM course_copies WHERE connection_id = ? AND sms_id = ?').run(connectionId, smsId);
  }
}
