import type { LmsCourse } from '../../../../electron/core/model';
import { COURSE_STATE_LABELS } from '../../format/labels';
import { courseKey } from './course-key';

interface CoursesTableProps {
  courses: LmsCourse[];
  connectionNames: ReadonlyMap<string, string>;
  selected: ReadonlySet<string>;
  onSelectedChange: (next: Set<string>) => void;
}

export function CoursesTable({ courses, connectionNames, selected, onSelectedChange }: CoursesTableProps) {
  // Deleted courses can no longer be opened or closed, so they are never selectable.
  const selectable = courses.filter((course) => course.state !== 'Deleted');
  const allSelected = selectable.length > 0 && selectable.every((course) => selected.has(courseKey(course)));

  function toggle(key: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(key);
    else next.delete(key);
    onSelectedChange(next);
  }

  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">LMS courses</caption>
        <thead>
          <tr>
            <th scope="col" className="select-column">
              <input
                type="checkbox"
                aria-label="Select all courses shown"
                checked={allSelected}
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
                  <span className={`course-state course-state-${course.state.toLowerCase()}`}>
                    {COURSE_STATE_LABELS[course.state]}
                  </span>
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
