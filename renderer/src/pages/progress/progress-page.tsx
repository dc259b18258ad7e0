import { useDeferredValue, useMemo, useState } from 'react';
import { useConnections, useCourses, useProgress } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { csvFileName, downloadCsv, toCsv } from '../../format/csv';
import { dayKey, formatDateTime } from '../../format/format-date-time';
import { useSchoolClock } from '../../format/school-clock';
import { courseKeyOf, enrolmentRows, matchesSearch, studentRows } from './progress-rows';
import { CourseProgressTable, StudentProgressTable, type CourseSortKey, type StudentSortKey } from './progress-tables';
import { sortRows, type Sort } from './sortable';
import { CourseFilter, SearchField } from '../../components/filter-fields';

type View = 'course' | 'student';

/** Rendering stays quick on a big school; the export and the counts always cover every matching row. */
export const MAX_ROWS_SHOWN = 500;

const ALL_STATES = ['New', 'Open', 'Closed', 'Deleted'] as const;

export function ProgressPage() {
  const [view, setView] = useState<View>('course');
  const [course, setCourse] = useState('all');
  const [searchText, setSearchText] = useState('');
  const search = useDeferredValue(searchText.trim());
  const [courseSort, setCourseSort] = useState<Sort<CourseSortKey>>({ key: 'course', direction: 'ascending' });
  const [studentSort, setStudentSort] = useState<Sort<StudentSortKey>>({ key: 'student', direction: 'ascending' });
  const results = useProgress({});
  const courses = useCourses({ states: [...ALL_STATES] });
  const connections = useConnections();
  const clock = useSchoolClock();

  const lmsNames = useMemo(
    () => new Map((connections.data ?? []).filter((c) => c.kind === 'lms').map((c) => [c.id, c.name])),
    [connections.data],
  );
  const allRows = useMemo(() => enrolmentRows(results.data ?? [], courses.data ?? []), [results.data, courses.data]);
  const courseOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const row of allRows) {
      const key = courseKeyOf(row.connectionId, row.lmsCourseId);
      if (!seen.has(key))
        seen.set(
          key,
          lmsNames.size > 1 ? `${row.course} (${lmsNames.get(row.connectionId) ?? row.connectionId})` : row.course,
        );
    }
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  }, [allRows, lmsNames]);

  const matching = useMemo(
    () =>
      allRows.filter(
        (row) =>
          (course === 'all' || courseKeyOf(row.connectionId, row.lmsCourseId) === course) && matchesSearch(row, search),
      ),
    [allRows, course, search],
  );
  const byCourse = useMemo(() => {
    const value = {
      course: (r: (typeof matching)[number]) => r.course,
      student: (r: (typeof matching)[number]) => r.student,
      progress: (r: (typeof matching)[number]) => r.progress,
      grade: (r: (typeof matching)[number]) => r.gradePercent ?? r.grade,
      updated: (r: (typeof matching)[number]) => r.updatedAt,
    }[courseSort.key];
    return sortRows(matching, value, courseSort.direction);
  }, [matching, courseSort]);
  const byStudent = useMemo(() => {
    const students = studentRows(matching);
    const value = {
      student: (s: (typeof students)[number]) => s.student,
      courses: (s: (typeof students)[number]) => s.courses.length,
      average: (s: (typeof students)[number]) => s.averageProgress,
      lowest: (s: (typeof students)[number]) => s.lowestProgress,
      updated: (s: (typeof students)[number]) => s.updatedAt,
    }[studentSort.key];
    return sortRows(students, value, studentSort.direction);
  }, [matching, studentSort]);

  const shownCount = view === 'course' ? byCourse.length : byStudent.length;
  const noun = view === 'course' ? 'enrolment' : 'student';

  function exportCsv() {
    const today = dayKey(new Date(), clock.timeZone);
    if (view === 'course') {
      const header = ['Course', 'Course short name', 'LMS', 'Student', 'Progress %', 'Grade', 'Grade %', 'Last update'];
      const rows = byCourse.map((r) => [
        r.course,
        r.courseShortname,
        lmsNames.get(r.connectionId) ?? r.connectionId,
        r.student,
        r.progress,
        r.grade,
        r.gradePercent,
        formatDateTime(r.updatedAt, clock),
      ]);
      downloadCsv(csvFileName('progress-by-course', today), toCsv(header, rows));
    } else {
      const header = ['Student', 'Courses', 'Average progress %', 'Lowest progress %', 'Last update'];
      const rows = byStudent.map((s) => [
        s.student,
        s.courses.map((c) => `${c.course}: ${c.progress} %${c.grade ? ` (${c.grade})` : ''}`).join('; '),
        Math.round(s.averageProgress * 10) / 10,
        s.lowestProgress,
        formatDateTime(s.updatedAt, clock),
      ]);
      downloadCsv(csvFileName('progress-by-student', today), toCsv(header, rows));
    }
  }

  const pending = results.isPending || courses.isPending;
  const error = results.error ?? courses.error;

  return (
    <>
      <h1 tabIndex={-1}>Progress</h1>
      <p className="page-intro">
        Each student’s progress (activities graded out of activities set) and course grade, from every Open course at
        the last download.
      </p>
      <search className="filters">
        <fieldset className="segmented">
          <legend>Show</legend>
          <label>
            <input type="radio" name="progress-view" checked={view === 'course'} onChange={() => setView('course')} />
            By course
          </label>
          <label>
            <input type="radio" name="progress-view" checked={view === 'student'} onChange={() => setView('student')} />
            By student
          </label>
        </fieldset>
        <CourseFilter value={course} options={courseOptions} onChange={setCourse} />
        <SearchField value={searchText} placeholder="Student name or ID, course or grade" onChange={setSearchText} />
      </search>

      <div className="toolbar">
        <button type="button" disabled={shownCount === 0} onClick={exportCsv}>
          Export CSV
        </button>
        {!pending && !error && (
          <span className="muted" role="status">
            {shownCount} {shownCount === 1 ? noun : `${noun}s`}
            {shownCount > MAX_ROWS_SHOWN &&
              ` — showing the first ${MAX_ROWS_SHOWN}; search or choose a course to narrow, or export them all`}
          </span>
        )}
      </div>

      {pending ? (
        <LoadingState>Loading progress…</LoadingState>
      ) : error ? (
        <EngineErrorState
          error={error}
          onRetry={() => {
            void results.refetch();
            void courses.refetch();
          }}
        />
      ) : allRows.length === 0 ? (
        <EmptyState heading="No progress yet — it appears after the first download from an Open course.">
          <p>Open courses on the Courses page, then use Download now on the Dashboard.</p>
        </EmptyState>
      ) : shownCount === 0 ? (
        <EmptyState heading="No progress matches this search." />
      ) : view === 'course' ? (
        <CourseProgressTable
          rows={byCourse.slice(0, MAX_ROWS_SHOWN)}
          sort={courseSort}
          onSort={setCourseSort}
          clock={clock}
        />
      ) : (
        <StudentProgressTable
          rows={byStudent.slice(0, MAX_ROWS_SHOWN)}
          sort={studentSort}
          onSort={setStudentSort}
          clock={clock}
        />
      )}
    </>
  );
}
