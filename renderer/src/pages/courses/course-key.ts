import type { LmsCourse } from '../../../../electron/core/model';

/** A course is only unique per LMS connection: two sites may both have a course with id 42. */
export function courseKey(course: Pick<LmsCourse, 'connectionId' | 'lmsId'>): string {
  return `${course.connectionId}:${course.lmsId}`;
}
