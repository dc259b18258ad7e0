import type { CourseListItem } from '../../../../electron/core/contract/contract';
import { useSetLeaveAlone } from '../../components/leave-alone/use-leave-alone';

/**
 * The Courses page's per-course "Leave alone" switch: while on, no upload or reconcile changes the SMS
 * course's LMS course (no update, enrolment or class change). Only a course ClassBridge can tie to an
 * SMS course (linked, or matching by code) can be marked: the mark names the SMS course.
 */
export function LeaveAloneToggle({
  course,
  onOutcome,
}: {
  course: CourseListItem;
  onOutcome: (message: string) => void;
}) {
  const setLeaveAlone = useSetLeaveAlone();
  if (course.smsCourseId === undefined) return <span className="muted">not in the SMS</span>;
  const on = course.leftAlone !== undefined;
  return (
    <label
      className="leave-alone-toggle"
      title={
        on
          ? `Left alone since ${course.leftAlone!.createdAt.slice(0, 10)}${course.leftAlone!.note ? `: ${course.leftAlone!.note}` : ''}`
          : undefined
      }
    >
      <input
        type="checkbox"
        role="switch"
        aria-label={`Leave ${course.fullname} alone`}
        checked={on}
        disabled={setLeaveAlone.isPending}
        onChange={(event) =>
          setLeaveAlone.mutate(
            {
              connectionId: course.connectionId,
              kind: 'course',
              smsId: course.smsCourseId!,
              on: event.target.checked,
            },
            {
              onSuccess: (result) => onOutcome(result.message),
              onError: (error) => onOutcome(`Could not change it: ${error.message}`),
            },
          )
        }
      />{' '}
      {on ? 'Left alone' : 'Synced'}
    </label>
  );
}
