import pLimit from 'p-limit';
import { LmsError, type LmsAdapter } from '../../../../../adapters/contract';
import type { CourseReadiness } from '../../../model/course-readiness';
import type { Store } from '../../../store/store';
import { CONNECTION_ERROR_KINDS } from '../download-results';
import { courseReadiness, type ResultsNeeds } from './course-readiness';

export interface ReadinessOptions {
  /** Gradebooks read at once (default 4, as the download). */
  concurrency?: number;
  /** Only these LMS course ids (default: every Open course of the connection). */
  courseIds?: readonly number[];
}

/**
 * Readiness of every Open course of one LMS connection: the gradebook read the results download makes
 * (adapter.readGradebook, one request per course, never one per student), checked by courseReadiness.
 * A course whose gradebook cannot be read is `unknown` with the LMS's reason and fix; an error about the
 * connection itself (token, web services off) is thrown, as the download does.
 */
export async function checkReadiness(
  adapter: LmsAdapter,
  store: Store,
  connectionId: string,
  needs: ResultsNeeds,
  options: ReadinessOptions = {},
): Promise<CourseReadiness[]> {
  const only = options.courseIds ? new Set(options.courseIds) : undefined;
  const courses = store.lmsCourses
    .list({ connectionId, states: ['Open'] })
    .filter((c) => only === undefined || only.has(c.lmsId));
  const limit = pLimit(options.concurrency ?? 4);
  return Promise.all(
    courses.map((course) =>
      limit(async (): Promise<CourseReadiness> => {
        const base = { connectionId, lmsCourseId: course.lmsId, course: course.fullname };
        try {
          const gradebook = await adapter.readGradebook(course.lmsId);
          return { ...base, ...courseReadiness(gradebook, needs) };
        } catch (error) {
          if (!(error instanceof LmsError) || CONNECTION_ERROR_KINDS.includes(error.kind)) throw error;
          return {
            ...base,
            state: 'unknown',
            students: 0,
            problems: [
              {
                kind: 'unreadable',
                message: `The gradebook could not be read: ${error.message}`,
                fix:
                  error.fix ??
                  `Check that ClassBridge's LMS user can open "${course.fullname}" and read its gradebook.`,
              },
            ],
          };
        }
      }),
    ),
  );
}
