import type { CourseListItem } from '../../../../electron/core/contract/contract';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { COURSE_STATE_LABELS, formatPercent, plural } from '../../format/labels';
import { courseKey } from './course-key';
import { CourseRowAction } from './course-row-action';
import { describeStateReason } from './describe-state-reason';
import { LeaveAloneToggle } from './leave-alone-toggle';

interface CoursesTableProps {
  courses: CourseListItem[];
  connectionNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onSelectedChange: (next: Set<string>) => void;
  clock: SchoolClock;
  /** A new filter's results are on the way; the old rows stay until they arrive. */
  updating: boolean;
  /** What a Leave alone switch did, for the page's status line. */
  onOutcome: (message: string) => void;
  /** A row's own Open / Close button (the page asks before closing a course with enrolments). */
  onChangeState: (course: CourseListItem, state: 'Open' | 'Closed') => void;
  changing: boolean;
}

/** A symbol beside each state's words, so the state never rests on colour alone. */
const STATE_ICONS: Record<CourseListItem['state'], string> = { New: '✦', Open: '✓', Closed: '–', Deleted: '✕' };

export function CoursesTable({
  courses,
  connectionNames,
  selected,
  onSelectedChange,
  clock,
  updating,
  onOutcome,
  onChangeState,
  changing,
}: CoursesTableProps) {
  // Deleted courses can no longer be opened or closed, so they are never selectable.
  const selectable = courses.filter((course) => course.state !== 'Deleted');
  const allSelected = selectable.length > 0 && selectable.every((course) => selected.has(courseKey(course)));
  const someSelected = !allSelected && selectable.some((course) => selected.has(courseKey(course)));

  function toggle(key: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(key);
    else next.delete(key);
    onSelectedChange(next);
  }

  return (
    <div className="table-scroll" aria-busy={updating}>
      <table className="data-table courses-table">
        <caption className="visually-hidden">LMS courses ({plural(courses.length, 'course')} shown)</caption>
        <thead>
          <tr>
            <th scope="col" className="select-column">
              <input
                type="checkbox"
                aria-label="Select all courses shown"
                checked={allSelected}
                ref={(input) => {
                  if (input) input.indeterminate = someSelected;
                }}
                disabled={selectable.length === 0}
                onChange={(event) =>
                  onSelectedChange(event.target.checked ? new Set(selectable.map(courseKey)) : new Set())
                }
              />
            </th>
            <th scope="col">Full name</th>
            <th scope="col">Short name</th>
            <th scope="col">ID number</th>
            <th scope="col">State</th>
            <th scope="col">Action</th>
            <th scope="col" className="number-column">
              Enrolments
            </th>
            <th scope="col">Last results</th>
            <th scope="col">Leave alone</th>
            <th scope="col">Connection</th>
          </tr>
        </thead>
        <tbody>
          {courses.map((course) => {
            const key = courseKey(course);
            return (
              <tr key={key} className={selected.has(key) ? 'is-selected' : undefined}>
                <td className="select-column">
                  <input
                    type="checkbox"
                    aria-label={`Select ${course.fullname}`}
                    checked={selected.has(key)}
                    disabled={course.state === 'Deleted'}
                    onChange={(event) => toggle(key, event.target.checked)}
                  />
                </td>
                <th scope="row">{course.fullname}</th>
                <td>{course.shortname}</td>
                <td>{course.idnumber || <span className="muted">none</span>}</td>
                <td>
                  <span className={`course-state course-state-badge course-state-${course.state.toLowerCase()}`}>
                    <span className="course-state-icon" aria-hidden="true">
                      {STATE_ICONS[course.state]}
                    </span>
                    {COURSE_STATE_LABELS[course.state]}
                  </span>
                  {describeStateReason(course) && (
                    <span className="muted course-state-reason"> {describeStateReason(course)}</span>
                  )}
                </td>
                <td>
                  <CourseRowAction course={course} busy={changing} onChangeState={onChangeState} />
                </td>
                <td className="number-column">
                  {course.enrolments === undefined ? <span className="muted">none</span> : course.enrolments}
                </td>
                <td>
                  {course.results ? (
                    <>
                      {plural(course.results.count, 'result')}, average progress{' '}
                      {formatPercent(course.results.averageProgress)}
                      {course.results.updatedAt && (
                        <span className="muted">
                          {' '}
                          (changed{' '}
                          <time dateTime={course.results.updatedAt}>
                            {formatDateTime(course.results.updatedAt, clock)}
                          </time>
                          )
                        </span>
                      )}
                    </>
                  ) : (
                    <span className="muted">none yet</span>
                  )}
                </td>
                <td>
                  <LeaveAloneToggle course={course} onOutcome={onOutcome} />
                </td>
                <td>{connectionNames.get(course.connectionId) ?? course.connectionId}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
