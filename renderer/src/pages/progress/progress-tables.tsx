import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { formatPercent } from '../../format/labels';
import type { EnrolmentProgress, StudentProgress } from './progress-rows';
import { SortableHeader, type Sort } from './sortable';

export type CourseSortKey = 'course' | 'student' | 'progress' | 'grade' | 'updated';
export type StudentSortKey = 'student' | 'courses' | 'average' | 'lowest' | 'updated';

/** The number is the signal; the bar only repeats it for a quick scan (hidden from screen readers). */
function ProgressValue({ value }: { value: number }) {
  return (
    <span className="progress-value">
      <span className="progress-bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      {formatPercent(value)}
    </span>
  );
}

export function CourseProgressTable({
  rows,
  sort,
  onSort,
  clock,
}: {
  rows: EnrolmentProgress[];
  sort: Sort<CourseSortKey>;
  onSort: (next: Sort<CourseSortKey>) => void;
  clock: SchoolClock;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Progress by course, one row per enrolment</caption>
        <thead>
          <tr>
            <SortableHeader column="course" sort={sort} onSort={onSort}>
              Course
            </SortableHeader>
            <SortableHeader column="student" sort={sort} onSort={onSort}>
              Student
            </SortableHeader>
            <SortableHeader column="progress" sort={sort} onSort={onSort} numeric>
              Progress
            </SortableHeader>
            <SortableHeader column="grade" sort={sort} onSort={onSort} numeric>
              Grade
            </SortableHeader>
            <SortableHeader column="updated" sort={sort} onSort={onSort} numeric>
              Last update
            </SortableHeader>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td>
                {row.course}
                {row.courseShortname && row.courseShortname !== row.course && (
                  <span className="muted block">{row.courseShortname}</span>
                )}
              </td>
              <th scope="row">{row.student}</th>
              <td className="numeric">
                <ProgressValue value={row.progress} />
              </td>
              <td className="numeric">{row.grade ?? <span className="muted">no grade yet</span>}</td>
              <td className="nowrap">{formatDateTime(row.updatedAt, clock)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StudentProgressTable({
  rows,
  sort,
  onSort,
  clock,
}: {
  rows: StudentProgress[];
  sort: Sort<StudentSortKey>;
  onSort: (next: Sort<StudentSortKey>) => void;
  clock: SchoolClock;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Progress by student, across their courses</caption>
        <thead>
          <tr>
            <SortableHeader column="student" sort={sort} onSort={onSort}>
              Student
            </SortableHeader>
            <SortableHeader column="courses" sort={sort} onSort={onSort} numeric>
              Courses
            </SortableHeader>
            <SortableHeader column="average" sort={sort} onSort={onSort} numeric>
              Average progress
            </SortableHeader>
            <SortableHeader column="lowest" sort={sort} onSort={onSort} numeric>
              Lowest progress
            </SortableHeader>
            <SortableHeader column="updated" sort={sort} onSort={onSort} numeric>
              Last update
            </SortableHeader>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.student}>
              <th scope="row">{row.student}</th>
              <td>
                <ul className="plain-list compact-list">
                  {row.courses.map((course) => (
                    <li key={course.key}>
                      {course.course}: {formatPercent(course.progress)}
                      {course.grade && <span className="muted"> · grade {course.grade}</span>}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="numeric">
                <ProgressValue value={row.averageProgress} />
              </td>
              <td className="numeric">{formatPercent(row.lowestProgress)}</td>
              <td className="nowrap">{formatDateTime(row.updatedAt, clock)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
