import type { CourseListItem } from '../../../../electron/core/contract/contract';

/**
 * Why a course is in its state, under the state on the Courses page: ClassBridge's own Close (the
 * ended-course rule) with its reason, and whether ClassBridge hid it in the LMS. An admin's own
 * decision needs no explanation, so it gives null.
 */
export function describeStateReason(
  course: Pick<CourseListItem, 'state' | 'stateChangedBy' | 'stateReason' | 'hiddenInLmsAt'>,
): string | null {
  const parts: string[] = [];
  if (course.state === 'Closed' && course.stateChangedBy === 'classbridge') {
    const reason = course.stateReason
      ? `: ${course.stateReason.charAt(0).toLowerCase()}${course.stateReason.slice(1)}`
      : '.';
    parts.push(`Closed by ClassBridge${reason}`);
  }
  if (course.hiddenInLmsAt)
    parts.push(
      course.state === 'Open'
        ? 'Hidden in the LMS by ClassBridge; shown again at the next upload.'
        : 'Hidden in the LMS by ClassBridge.',
    );
  if (parts.length > 0 && course.state === 'Closed' && course.stateChangedBy === 'classbridge')
    parts.push('Open it to keep it open.');
  return parts.length > 0 ? parts.join(' ') : null;
}
