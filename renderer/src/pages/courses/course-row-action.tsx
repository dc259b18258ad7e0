import type { CourseListItem } from '../../../../electron/core/contract/contract';

/**
 * The one thing to do with a course from its row: Open a New or Closed course (its enrolments are then
 * synced and its results read), Close an Open one. A Deleted course has nothing left to do.
 */
export function CourseRowAction({
  course,
  busy,
  onChangeState,
}: {
  course: CourseListItem;
  busy: boolean;
  onChangeState: (course: CourseListItem, state: 'Open' | 'Closed') => void;
}) {
  if (course.state === 'Deleted') return <span className="muted">none</span>;
  const next = course.state === 'Open' ? 'Closed' : 'Open';
  const verb = next === 'Open' ? (course.state === 'Closed' ? 'Open again' : 'Open') : 'Close';
  return (
    <button
      type="button"
      className="button-secondary"
      disabled={busy}
      aria-label={`${verb} ${course.fullname}`}
      onClick={() => onChangeState(course, next)}
    >
      {verb}
    </button>
  );
}
