/**
 * Course tracking: keeps each LMS connection's course list and the state of every course.
 *
 * - `trackCourses(adapter, store, connectionId)` — run the `course-tracking` part once: unseen
 *   courses become New, vanished ones Deleted, a Deleted course that reappears New again. Throws the
 *   adapter's LmsError (store untouched) when the LMS cannot be listed, and EmptyCourseListError when
 *   the LMS suddenly lists nothing (pass `{ allowEmpty: true }` once the admin confirms).
 * - `coursesById(store, connectionId)` — every course ever seen, Deleted included, to name the course
 *   of old enrolments and results.
 *
 * Admins set Open/Closed through `store.lmsCourses.setState`; Deleted courses are left out of
 * `store.lmsCourses.list()` by default.
 */
export {
  trackCourses,
  coursesById,
  EmptyCourseListError,
  type CourseTrackingCounts,
  type TrackCoursesOptions,
} from './track-courses';
