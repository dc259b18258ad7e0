import type { Status } from '../../../../electron/core/contract/contract';
import { PauseControl } from '../../components/pause-control';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { plural } from '../../format/labels';
import { useSchoolClock } from '../../format/school-clock';
import { ConnectionProblemBanner, failingParts } from './connection-problem-banner';
import { DecisionOutcome } from './decision-outcome';
import { HeldPlanBanner } from './held-plan-banner';
import { LinkDecisions } from './link-decisions';
import { LmsConnectionCard } from './lms-connection-card';
import { SummaryCounts } from './summary-counts';
import { SmsLinkDetails } from './sms-link-details';

export function StatusOverview({ status }: { status: Status }) {
  const clock: SchoolClock = useSchoolClock();
  const lmsNames = new Map(status.lms.map((lms) => [lms.id, lms.name]));
  const problems = status.lms.map((lms) => ({ lms, parts: failingParts(lms) })).filter((p) => p.parts.length > 0);
  return (
    <div className="stack">
      {/* What needs the admin first: plans waiting for approval, then LMSs that cannot be synced. */}
      {status.heldPlans.map((plan) => (
        <HeldPlanBanner
          key={plan.id}
          plan={plan}
          lmsName={lmsNames.get(plan.connectionId) ?? plan.connectionId}
          clock={clock}
        />
      ))}
      <DecisionOutcome />
      <LinkDecisions lmsNames={lmsNames} />
      {problems.map(({ lms, parts }) => (
        <ConnectionProblemBanner key={lms.id} lms={lms} parts={parts} />
      ))}

      {status.paused ? (
        <div className="notice notice-warning" role="status">
          <p>
            <span className="notice-icon" aria-hidden="true">
              ❚❚
            </span>
            <strong>Syncing is paused.</strong> No part runs on its schedule until you resume; Upload now and Download
            now still work.
          </p>
          <PauseControl paused />
        </div>
      ) : (
        <div className="toolbar">
          <PauseControl paused={false} />
        </div>
      )}

      <section className="panel" aria-labelledby="sms-heading">
        <h2 id="sms-heading">Student Management System</h2>
        {status.sms ? (
          <>
            <p>
              <strong>{status.sms.name}</strong> <span className="muted">({status.sms.providerLabel})</span>
            </p>
            <SmsLinkDetails sms={status.sms} receiver={status.receiver} />
          </>
        ) : (
          <p>{status.useSms ? 'No SMS connection is configured.' : 'This school runs without an SMS.'}</p>
        )}
        {status.snapshot ? (
          <p className="muted">
            Last import {formatDateTime(status.snapshot.importedAt, clock)} from {status.snapshot.source}:{' '}
            {plural(status.snapshot.counts.people, 'person', 'people')},{' '}
            {plural(status.snapshot.counts.courses, 'course')}, {plural(status.snapshot.counts.groups, 'group')},{' '}
            {plural(status.snapshot.counts.enrolments, 'enrolment')}.
          </p>
        ) : (
          status.sms && <p className="muted">Nothing imported from the SMS yet.</p>
        )}
      </section>

      <SummaryCounts openErrors={status.openErrors} courses={status.courses} />

      {status.lms.map((lms) => (
        <LmsConnectionCard key={lms.id} lms={lms} paused={status.paused} clock={clock} />
      ))}
    </div>
  );
}
