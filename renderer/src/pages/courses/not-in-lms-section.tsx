import { useQuery } from '@tanstack/react-query';
import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';
import { plural } from '../../format/labels';

type NotInLms = ApiOutput<'courses:notInLms'>[number];

/** Under the courses key, so a course-list read, an upload or a state change refreshes it too. */
function useCoursesNotInLms(connectionId: string) {
  const api = useApi();
  const input = connectionId ? { connectionId } : {};
  return useQuery({
    queryKey: [...queryKeys.courses, 'not-in-lms', input],
    queryFn: () => api.call('courses:notInLms', input),
  });
}

/**
 * "In the SMS, not in the LMS": the export's courses an LMS has no course for, and what to do about
 * each — the upload creates it (a category is chosen), or the admin creates or links it in the LMS.
 */
export function NotInLmsSection({
  connectionId,
  connectionNames,
}: {
  connectionId: string;
  connectionNames: ReadonlyMap<string, string>;
}) {
  const missing = useCoursesNotInLms(connectionId);
  if (!missing.data) return null;
  const lists = missing.data.filter((l) => !l.courseListRead || l.total > 0);
  return (
    <section aria-labelledby="not-in-lms-heading" className="not-in-lms">
      <h2 id="not-in-lms-heading">In the SMS, not in the LMS</h2>
      {lists.length === 0 ? (
        <p className="muted">Every SMS course has an LMS course.</p>
      ) : (
        lists.map((list) => (
          <MissingList
            key={list.connectionId}
            list={list}
            name={connectionNames.get(list.connectionId) ?? list.connectionId}
          />
        ))
      )}
    </section>
  );
}

function MissingList({ list, name }: { list: NotInLms; name: string }) {
  if (!list.courseListRead)
    return (
      <p>
        ClassBridge has not read {name}&rsquo;s course list yet, so it cannot tell which SMS courses {name} lacks. Press
        Read course list now on the Dashboard.
      </p>
    );
  const created = list.courses.filter((c) => c.uploadCreates).length;
  const headingId = `not-in-lms-${list.connectionId}`;
  const field = list.courseMatch === 'idnumber' ? 'ID number' : 'short name';
  return (
    <div className="not-in-lms-list">
      <h3 id={headingId}>
        {name}: {plural(list.total, 'SMS course')} with no LMS course
      </h3>
      <p>{advice(list, created, field)} Until then their enrolments wait.</p>
      <div className="table-scroll">
        <table className="data-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">SMS course</th>
              <th scope="col">Code</th>
              <th scope="col" className="number-column">
                Enrolments
              </th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {list.courses.map((course) => (
              <tr key={course.smsId}>
                <th scope="row">{course.name || course.code}</th>
                <td>{course.code}</td>
                <td className="number-column">{course.enrolments}</td>
                <td>{whatHappens(course, field)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.total > list.courses.length && (
        <p className="muted">
          The first {list.courses.length} of {list.total} are shown, most enrolments first.
        </p>
      )}
    </div>
  );
}

function advice(list: NotInLms, created: number, field: string): string {
  const linkIt = `create it in the LMS with the ${field} shown, and ClassBridge links it`;
  if (!list.categoryChosen)
    return `Nothing creates them yet: choose a category for new courses in Setup (Mapping) and the upload creates them, or ${linkIt}.`;
  if (created === list.courses.length)
    return `The next upload creates them in the category chosen for new courses. Where a course should be another one, ${linkIt}.`;
  return `The next upload creates the ones that say so below. For the others, ${linkIt}.`;
}

function whatHappens(course: NotInLms['courses'][number], field: string): string {
  if (course.leftAlone) return 'Left alone: ClassBridge does not create it.';
  if (course.deletedInLms)
    return 'Its LMS course was deleted in the LMS, and ClassBridge does not make it again: restore it in the LMS.';
  if (course.uploadCreates) return 'The next upload creates it.';
  return `Create it in the LMS with ${field} ${course.matchValue}, or choose a category for new courses.`;
}
