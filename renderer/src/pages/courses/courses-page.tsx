import { useDeferredValue, useMemo, useState } from 'react';
import { useConnections, useCourses, useSetCourseState } from '../../api/queries';
import { EmptyState, EngineErrorState, LoadingState } from '../../components/query-states';
import { useSchoolClock } from '../../format/school-clock';
import { CourseFilters, DEFAULT_COURSE_FILTERS, statesFor, type CourseFilterValues } from './course-filters';
import { courseKey } from './course-key';
import { CloseConfirm } from './close-confirm';
import { CoursesTable } from './courses-table';
import { describeStateChange } from './describe-state-change';
import { NotInLmsSection } from './not-in-lms-section';
import { ReadinessSection } from './readiness-section';
import type { CourseListItem } from '../../../../electron/core/contract/contract';

export function CoursesPage() {
  const [filters, setFilters] = useState<CourseFilterValues>(DEFAULT_COURSE_FILTERS);
  // Typing should stay smooth; the query follows the search box a render behind.
  const search = useDeferredValue(filters.search.trim());
  const courses = useCourses({
    states: statesFor(filters),
    ...(search ? { search } : {}),
    ...(filters.connectionId ? { connectionId: filters.connectionId } : {}),
  });
  const clock = useSchoolClock();
  const connections = useConnections();
  const setCourseState = useSetCourseState();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcome, setOutcome] = useState<string | null>(null);
  // Courses waiting for the admin's yes before they are closed (they hold enrolments).
  const [closing, setClosing] = useState<CourseListItem[] | null>(null);

  const connectionNames = useMemo(
    () => new Map((connections.data ?? []).map((connection) => [connection.id, connection.name])),
    [connections.data],
  );
  const lmsConnections = useMemo(
    () => (connections.data ?? []).filter((connection) => connection.kind === 'lms'),
    [connections.data],
  );
  // Only act on what the admin can see: a selection hidden by a filter is not part of the action.
  const selectedCourses = (courses.data ?? []).filter((course) => selected.has(courseKey(course)));
  const filtersActive = JSON.stringify(filters) !== JSON.stringify(DEFAULT_COURSE_FILTERS);

  function changeState(state: 'Open' | 'Closed', targets: CourseListItem[] = selectedCourses, confirmed = false) {
    setOutcome(null);
    const toChange = targets.filter((course) => course.state !== state && course.state !== 'Deleted');
    // Closing a course that holds enrolments is asked first: the page says what becomes of them.
    if (state === 'Closed' && !confirmed && toChange.some((course) => (course.enrolments ?? 0) > 0)) {
      setClosing(toChange);
      return;
    }
    setClosing(null);
    const keys = targets.map(({ connectionId, lmsId }) => ({ connectionId, lmsId }));
    setCourseState.mutate(
      { courses: keys, state },
      {
        onSuccess: (result) => {
          setOutcome(describeStateChange(state, result));
          setSelected(new Set());
        },
      },
    );
  }

  return (
    <>
      <h1 tabIndex={-1}>Courses</h1>
      <p className="page-intro">
        Every course ClassBridge finds in an LMS starts <strong>New</strong>. Open a course to sync its enrolments and
        read its results; close it to leave it alone. <strong>Leave alone</strong> keeps ClassBridge away from an SMS
        course&rsquo;s LMS course even while it is Open: no update, enrolment or class change, by the upload or the
        reconcile.
      </p>
      <p className="notice notice-info" role="note">
        <span>
          <strong>Results are read from Open courses only.</strong> A New or Closed course&rsquo;s results never reach
          the SMS: open the courses whose results the SMS needs.
        </span>
      </p>
      <CourseFilters value={filters} onChange={setFilters} lmsConnections={lmsConnections} />

      <div className="toolbar" role="group" aria-label="Change selected courses">
        <button
          type="button"
          disabled={selectedCourses.length === 0 || setCourseState.isPending}
          aria-describedby="courses-selected-count"
          onClick={() => changeState('Open')}
        >
          Open selected
        </button>
        <button
          type="button"
          disabled={selectedCourses.length === 0 || setCourseState.isPending}
          aria-describedby="courses-selected-count"
          onClick={() => changeState('Closed')}
        >
          Close selected
        </button>
        <span className="muted" id="courses-selected-count">
          {selectedCourses.length === 0 ? 'Select courses to open or close them' : `${selectedCourses.length} selected`}
          {setCourseState.isPending ? ' — saving…' : ''}
        </span>
      </div>
      {closing && (
        <CloseConfirm
          courses={closing}
          onConfirm={() => changeState('Closed', closing, true)}
          onCancel={() => setClosing(null)}
        />
      )}
      <div role="status" className="outcome">
        {outcome && <p className="notice notice-ok">{outcome}</p>}
      </div>
      {setCourseState.isError && (
        <p className="notice notice-problem" role="alert">
          Could not change the courses: {setCourseState.error.message}
        </p>
      )}

      {courses.isPending ? (
        <LoadingState>Loading courses…</LoadingState>
      ) : courses.isError ? (
        <EngineErrorState error={courses.error} onRetry={() => void courses.refetch()} />
      ) : courses.data.length === 0 ? (
        filtersActive ? (
          <EmptyState heading="No courses match these filters." />
        ) : (
          <EmptyState heading="No LMS courses yet — they appear after ClassBridge first reads each LMS's course list." />
        )
      ) : (
        <CoursesTable
          courses={courses.data}
          connectionNames={connectionNames}
          selected={selected}
          onSelectedChange={setSelected}
          clock={clock}
          updating={courses.isPlaceholderData}
          onOutcome={setOutcome}
          onChangeState={(course, state) => changeState(state, [course])}
          changing={setCourseState.isPending}
        />
      )}

      <ReadinessSection connectionId={filters.connectionId} />
      <NotInLmsSection connectionId={filters.connectionId} connectionNames={connectionNames} />
    </>
  );
}
