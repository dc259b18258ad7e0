import pLimit from 'p-limit';
import { LmsError, type LmsAdapter, type LmsErrorKind } from '../../../../adapters/contract';
import type { LmsCourse } from '../../model';
import type { CourseResultInput } from '../../store/repositories/results-repository';
import type { Store } from '../../store/store';
import { computeCourseResult, type HiddenTotals } from './compute-course-result';
import { explainNoOpenCourse, explainNotStarted } from './empty-download';
import { PersonMatcher } from './person-matcher';
import { ResultWrites } from './result-writes';

/**
 * Errors that say the connection itself is unusable, so every other course would fail the same way:
 * the run stops and the error is thrown for the engine's diagnosis (health, describe()).
 */
export const CONNECTION_ERROR_KINDS: readonly LmsErrorKind[] = [
  'invalid-token',
  'access',
  'web-services-disabled',
  // Not course-specific either: the whole site is down for maintenance.
  'maintenance',
];

/** One course whose gradebook could not be read; shaped to be stored as a run error as it is. */
export interface CourseDownloadError {
  recordKind: 'course';
  /** The LMS course id. */
  recordKey: string;
  /** The course's full name, for the admin. */
  course: string;
  kind: LmsErrorKind;
  message: string;
  fix: string;
}

/** The run's counts (a plain record of numbers, as runs.finish takes them). */
export interface DownloadCounts {
  /** Open courses whose gradebook was read. */
  courses: number;
  /** Results computed and stored (one per matched student per course). */
  results: number;
  changed: number;
  unchanged: number;
  /** Courses that failed (see errors). */
  errors: number;
  /** Gradebook users who are no SMS person (see PersonMatcher); they get no result. */
  unmatched: number;
  [key: string]: number;
}

export interface DownloadSummary {
  counts: DownloadCounts;
  errors: CourseDownloadError[];
  /**
   * Why results the admin may expect are missing, one sentence each with what to do (no course is
   * Open; enrolments that have not started, which Moodle reports no grades for): for the run message.
   */
  notes: string[];
}

export interface DownloadOptions {
  /**
   * Gradebooks in hand at once (default 8). The adapter bounds the requests in flight itself (4 by
   * default), so with twice that many courses under way the next requests are already waiting when one
   * returns, and storing a gradebook overlaps the others' network time instead of adding to it.
   */
  concurrency?: number;
  /** A course total a hidden mark counts in: not sent (default) or recomputed (see HiddenTotals). */
  hiddenTotals?: HiddenTotals;
  /** The time enrolment starts are compared with (default: now). */
  now?: () => Date;
  /** Told as each course ends (read or failed): courses done of the Open courses, for the progress bar. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * The `results` part (download, LMS → store): reads the gradebook of every Open course of the
 * connection and stores each matched student's result; the store tells whether it changed. New,
 * Closed and Deleted courses are not read. A course that fails becomes a CourseDownloadError and the
 * others go on; an error about the connection (CONNECTION_ERROR_KINDS) stops the run and is thrown —
 * results already stored stay, and the next run simply finds them unchanged.
 */
export async function downloadResults(
  adapter: LmsAdapter,
  store: Store,
  connectionId: string,
  options: DownloadOptions = {},
): Promise<DownloadSummary> {
  const courses = store.lmsCourses.list({ connectionId, states: ['Open'] });
  const people = new PersonMatcher(store, connectionId);
  const counts: DownloadCounts = { courses: 0, results: 0, changed: 0, unchanged: 0, errors: 0, unmatched: 0 };
  const errors: CourseDownloadError[] = [];
  let stop: LmsError | undefined;
  const limit = pLimit(options.concurrency ?? 8);
  /** Open courses whose gradebook had nobody in it: enrolments that have not started are the usual cause. */
  const emptyCourses: number[] = [];
  const writes = new ResultWrites(store);

  const readCourse = async (course: LmsCourse): Promise<void> => {
    if (stop) return;
    let gradebook;
    try {
      gradebook = await adapter.readGradebook(course.lmsId);
    } catch (error) {
      if (!(error instanceof LmsError)) throw error;
      if (CONNECTION_ERROR_KINDS.includes(error.kind)) stop ??= error;
      else errors.push(courseError(course, error));
      return;
    }
    counts.courses += 1;
    if (gradebook.users.length === 0) emptyCourses.push(course.lmsId);
    // Synchronous from here: each course's results are compared together (one read of what the course
    // holds) and its changed ones handed on whole to `writes`, which commits several courses at once.
    const results: CourseResultInput[] = [];
    for (const user of gradebook.users) {
      const person = people.match(user);
      if (!person) {
        counts.unmatched += 1;
        continue;
      }
      const { progressPercent, grade, gradePercent, gradeExact, activities } = computeCourseResult(user, {
        ...(options.hiddenTotals ? { hiddenTotals: options.hiddenTotals } : {}),
      });
      results.push({ personSmsId: person.personSmsId, progressPercent, grade, gradePercent, gradeExact, activities });
    }
    const compared = store.results.compareCourse(connectionId, course.lmsId, results);
    writes.add(compared.writes);
    for (const changed of compared.changed) {
      counts.results += 1;
      if (changed) counts.changed += 1;
      else counts.unchanged += 1;
    }
  };

  // 0 of the courses as the first is read: the bar shows at once, and its rate is measured from here.
  if (courses.length > 0) options.onProgress?.({ done: 0, total: courses.length });
  let ended = 0;
  const readAndCount = async (course: LmsCourse): Promise<void> => {
    await readCourse(course);
    ended += 1;
    options.onProgress?.({ done: ended, total: courses.length });
  };
  try {
    await Promise.all(courses.map((course) => limit(() => readAndCount(course))));
  } finally {
    // However the run ends (a connection error included), what was read is stored.
    writes.finish();
  }
  if (stop) throw stop;
  counts.errors = errors.length;
  const notes: string[] = [];
  if (courses.length === 0) notes.push(explainNoOpenCourse(store, connectionId));
  const notStarted = explainNotStarted(store, connectionId, emptyCourses, (options.now ?? (() => new Date()))());
  if (notStarted) notes.push(notStarted);
  return { counts, errors, notes };
}

function courseError(course: LmsCourse, error: LmsError): CourseDownloadError {
  return {
    recordKind: 'course',
    recordKey: String(course.lmsId),
    course: course.fullname,
    kind: error.kind,
    message: error.message,
    fix:
      error.fix ??
      (error.retryable
        ? 'The LMS failed for a moment; the next results run tries this course again.'
        : `Check that ClassBridge's LMS user can still open "${course.fullname}" and read its gradebook.`),
  };
}
