import { useEffect, useRef } from 'react';
import type { CourseListItem } from '../../../../electron/core/contract/contract';
import { plural } from '../../format/labels';

/**
 * What closing does, asked before it is done when the courses hold enrolments. It says what the engine
 * really does with a Closed course (sync/plan/courses.ts and enrolments.ts skip it; results are read from
 * Open courses only): nothing in it is changed, added or removed, and its results are no longer read.
 */
export function describeClosing(courses: readonly Pick<CourseListItem, 'fullname' | 'enrolments'>[]): {
  question: string;
  effects: string[];
} {
  const enrolments = courses.reduce((sum, c) => sum + (c.enrolments ?? 0), 0);
  const which = courses.length === 1 ? courses[0]!.fullname : plural(courses.length, 'course');
  const their = courses.length === 1 ? 'its' : 'their';
  return {
    question: `Close ${which}?`,
    effects: [
      `ClassBridge stops reading ${their} results, so they no longer reach the SMS.`,
      `${plural(enrolments, 'enrolment')} from the SMS ${enrolments === 1 ? 'stays' : 'stay'} as ${enrolments === 1 ? 'it is' : 'they are'} in the LMS: nobody is unenrolled or suspended, and SMS changes (new students, leavers) are no longer made there.`,
      `Open ${courses.length === 1 ? 'it' : 'them'} again at any time to sync and read results again.`,
    ],
  };
}

export function CloseConfirm({
  courses,
  onConfirm,
  onCancel,
}: {
  courses: readonly CourseListItem[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { question, effects } = describeClosing(courses);
  return (
    <section role="alertdialog" aria-labelledby="close-confirm-heading" className="notice notice-warning close-confirm">
      <div>
        <h2 id="close-confirm-heading" tabIndex={-1} ref={heading}>
          {question}
        </h2>
        <ul>
          {effects.map((effect) => (
            <li key={effect}>{effect}</li>
          ))}
        </ul>
        <div className="toolbar">
          <button type="button" onClick={onConfirm}>
            {courses.length === 1 ? 'Close the course' : `Close ${plural(courses.length, 'course')}`}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </section>
  );
}
