import type { Status } from '../../../../electron/core/contract/contract';
import { COURSE_STATES } from '../../../../electron/core/model';
import { routeHref } from '../../app/routes';
import { COURSE_STATE_LABELS, plural } from '../../format/labels';

export function SummaryCounts({ openErrors, courses }: Pick<Status, 'courses'> & { openErrors: number }) {
  return (
    <section className="summary" aria-label="Summary">
      <div className={`summary-item ${openErrors > 0 ? 'summary-attention' : ''}`}>
        <h2>Sync errors</h2>
        <p className="summary-number">{openErrors}</p>
        <p>
          {openErrors === 0 ? (
            'None open'
          ) : (
            <a href={routeHref('errors')}>See the {plural(openErrors, 'open error')}</a>
          )}
        </p>
      </div>
      <div className="summary-item">
        <h2>LMS courses</h2>
        <ul className="plain-list">
          {COURSE_STATES.map((state) => (
            <li key={state}>
              {COURSE_STATE_LABELS[state]}: <strong>{courses[state] ?? 0}</strong>
            </li>
          ))}
        </ul>
        <p>
          <a href={routeHref('courses')}>Manage courses</a>
        </p>
      </div>
    </section>
  );
}
