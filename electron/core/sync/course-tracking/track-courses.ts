import type { LmsAdapter } from '../../../../adapters/contract';
import type { LmsCourse } from '../../model';
import type { Store } from '../../store/store';

/** What one course-tracking run did, ready to be the run's counts. */
export interface CourseTrackingCounts {
  /** Courses seen for the first time (now New). */
  added: number;
  /** Known courses the LMS no longer lists (now Deleted). */
  deleted: number;
  /** Courses that had been Deleted and are listed again (back to New: an admin decides again). */
  returned: number;
  /** Courses the LMS listed. */
  total: number;
}

export interface TrackCoursesOptions {
  /**
   * Accept an empty course list as the truth. Off by default: Moodle lists only the courses the token's
   * user may see, so a role change on the LMS can make every course vanish at once; taking that at face
   * value would mark them all Deleted and, when they come back, reset every admin decision to New.
   */
  allowEmpty?: boolean;
}

/** The LMS listed no course at all while ClassBridge knows some: refused rather than deleting them all. */
export class EmptyCourseListError extends Error {
  override readonly name = 'EmptyCourseListError';
  readonly fix =
    "Check that the connector's role can still see courses on the LMS (moodle/course:view, viewhiddencourses). " +
    'If every course really was deleted, run course tracking with "accept an empty course list".';
  constructor(readonly knownCourses: number) {
    super(`The LMS listed no courses, but ClassBridge knows ${knownCourses}; nothing was marked Deleted.`);
  }
}

/**
 * Pulls the LMS course list and brings the connection's course states up to date: unseen courses
 * become New, vanished ones Deleted, and Deleted ones that reappear New again. Admin decisions
 * (Open/Closed) on courses still listed are kept. When the listing fails, the LmsError is thrown and
 * nothing in the store changes.
 */
export async function trackCourses(
  adapter: LmsAdapter,
  store: Store,
  connectionId: string,
  options: TrackCoursesOptions = {},
): Promise<CourseTrackingCounts> {
  const listed = await adapter.listCourses();
  const known = store.lmsCourses.list({ connectionId, states: ['New', 'Open', 'Closed', 'Deleted'] });
  const knownLive = known.filter((c) => c.state !== 'Deleted').length;
  if (listed.length === 0 && knownLive > 0 && !options.allowEmpty) throw new EmptyCourseListError(knownLive);

  // Counted from what was known before, not from recordSeen's answer: that one compares timestamps,
  // which two runs within the same millisecond (or under a frozen test clock) share.
  const knownIds = new Set(known.map((c) => c.lmsId));
  const wasDeleted = new Set(known.filter((c) => c.state === 'Deleted').map((c) => c.lmsId));
  let deleted = 0;
  // One transaction, so a crash between "seen" and "missing" never leaves half a picture.
  store.db.transaction(() => {
    store.lmsCourses.recordSeen(
      connectionId,
      listed.map((c) => ({ lmsId: c.id, shortname: c.shortname, fullname: c.fullname, idnumber: c.idnumber })),
    );
    deleted = store.lmsCourses.markMissingDeleted(
      connectionId,
      listed.map((c) => c.id),
    );
  })();
  return {
    added: listed.filter((c) => !knownIds.has(c.id)).length,
    deleted,
    returned: listed.filter((c) => wasDeleted.has(c.id)).length,
    total: listed.length,
  };
}

/**
 * Every course of a connection ever seen, Deleted ones included, by LMS id: what old enrolments and
 * results use to name their course (the default course list hides Deleted courses).
 */
export function coursesById(store: Store, connectionId: string): Map<number, LmsCourse> {
  const all = store.lmsCourses.list({ connectionId, states: ['New', 'Open', 'Closed', 'Deleted'] });
  return new Map(all.map((c) => [c.lmsId, c]));
}
