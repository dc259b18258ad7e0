import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { plural } from '../../format/labels';

type ConnectionReadiness = ApiOutput<'courses:readiness'>[number];
type CourseReadiness = ConnectionReadiness['courses'][number];

const STATE_LABEL: Record<CourseReadiness['state'], string> = {
  ready: 'Ready',
  'not-ready': 'Not ready',
  unknown: 'Not checked',
};

/**
 * Whether each Open course's results can come out right (docs/results.md, "Readiness"). The check reads
 * every Open course's gradebook from the LMS (one request per course), so it runs when the admin asks,
 * not on every visit to the page; under the courses key, so opening or closing a course refreshes it.
 */
function useReadiness(connectionId: string, enabled: boolean) {
  const api = useApi();
  const input = connectionId ? { connectionId } : {};
  return useQuery({
    queryKey: [...queryKeys.courses, 'readiness', input],
    queryFn: () => api.call('courses:readiness', input),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function ReadinessSection({ connectionId }: { connectionId: string }) {
  const [asked, setAsked] = useState(false);
  const readiness = useReadiness(connectionId, asked);
  return (
    <section aria-labelledby="readiness-heading" className="readiness">
      <h2 id="readiness-heading">Results readiness</h2>
      <p>
        Weeks before term ends, check that each Open course&rsquo;s results can come out right: graded activities,
        nothing graded hidden from students, a pass mark where outcomes are written, a grade the SMS can carry.
        ClassBridge reads each Open course&rsquo;s gradebook once; nothing is changed.
      </p>
      <div className="toolbar">
        <button
          type="button"
          disabled={readiness.isFetching}
          onClick={() => (asked ? void readiness.refetch() : setAsked(true))}
        >
          {asked ? 'Check again' : 'Check results readiness'}
        </button>
      </div>
      {!asked ? null : readiness.isPending || (readiness.isFetching && !readiness.data) ? (
        <LoadingState>Reading the gradebooks of the Open courses…</LoadingState>
      ) : readiness.isError ? (
        <EngineErrorState error={readiness.error} onRetry={() => void readiness.refetch()} />
      ) : (
        readiness.data.map((report) => <ConnectionReadinessList key={report.connectionId} report={report} />)
      )}
    </section>
  );
}

function ConnectionReadinessList({ report }: { report: ConnectionReadiness }) {
  const headingId = `readiness-${report.connectionId}`;
  if (report.error)
    return (
      <div className="notice notice-problem" role="alert">
        <p>
          {report.error.message} {report.error.fix}
        </p>
      </div>
    );
  const notReady = report.courses.filter((c) => c.state === 'not-ready').length;
  return (
    <div className="readiness-list">
      <h3 id={headingId}>
        {report.connection}:{' '}
        {report.courses.length === 0
          ? 'no Open course to check'
          : notReady === 0
            ? `${plural(report.courses.length, 'Open course')}, none flagged`
            : `${plural(notReady, 'course')} not ready of ${report.courses.length} Open`}
      </h3>
      {report.courses.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Course</th>
                <th scope="col">Readiness</th>
                <th scope="col">Why, and the fix</th>
              </tr>
            </thead>
            <tbody>
              {report.courses.map((course) => (
                <tr key={course.lmsCourseId}>
                  <th scope="row">{course.course}</th>
                  <td>
                    <span className={`course-state course-state-badge readiness-${course.state}`}>
                      {STATE_LABEL[course.state]}
                    </span>
                  </td>
                  <td>
                    {course.problems.length === 0 ? (
                      <span className="muted">Nothing found ({plural(course.students, 'student')}).</span>
                    ) : (
                      <ul className="readiness-problems">
                        {course.problems.map((p) => (
                          <li key={p.kind}>
                            {p.message} <strong>Fix:</strong> {p.fix}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
