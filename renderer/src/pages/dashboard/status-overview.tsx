import type { Status } from '../../../../electron/core/contract/contract';
import { PauseControl } from '../../components/pause-control';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { plural } from '../../format/labels';
import { useSchoolClock } from '../../format/school-clock';
import { ConnectionProblemBanner, failingParts } from './connection-problem-banner';
import { DecisionOutcome } from './decision-outcome';
import { HeldPlanBanner } from './held-plan-banner';
import { Headline } from './headline';
import { urgentItems } from './urgent-banners';
import { ImportOutcome } from './import-outcome';
import { LateSourceBanner } from './late-source-banner';
import { LinkDecisions } from './link-decisions';
import { LmsConnectionCard } from './lms-connection-card';
import { SummaryCounts } from './summary-counts';
import { SmsLinkDetails } from './sms-link-details';

export function StatusOverview({ status }: { status: Status }) {
  const clock: SchoolClock = useSchoolClock();
  const lmsNames = new Map(status.lms.map((lms) => [lms.id, lms.name]));
  // One banner at a time, the most urgent (urgent-banners.ts); the rest are named in one line below it.
  const [first, ...rest] = urgentItems(status);
  return (
    <div className="stack">
      <Headline status={status} clock={clock} />
      {first?.kind === 'held' && (
        <HeldPlanBanner
          key={first.plan.id}
          plan={first.plan}
          lmsName={lmsNames.get(first.plan.connectionId) ?? first.plan.connectionId}
          clock={clock}
        />
      )}
      <DecisionOutcome />
      {/* Also with nothing urgent: decided accounts stay listed, with what the next upload does, until it runs. */}
      {(first === undefined || first.kind === 'links') && <LinkDecisions lmsNames={lmsNames} />}
      {(first?.kind === 'problem' || first?.kind === 'trouble') && (
        <ConnectionProblemBanner lms={first.lms} parts={failingParts(first.lms)} />
      )}
      {first?.kind === 'late' && <LateSourceBanner late={first.late} />}
      {rest.length > 0 && (
        <p className="also-waiting" data-testid="also-waiting">
          Also needs you: {rest.map((item) => item.label).join('; ')}. Each comes up here once the one above is dealt
          with.
        </p>
      )}

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
        <ImportOutcome lastImport={status.lastImport} snapshot={status.snapshot} clock={clock} />
        {status.snapshot ? (
          <p className="muted">
            Last import {formatDateTime(status.snapshot.importedAt, clock)} from {status.snapshot.source}:{' '}
            {plural(status.snapshot.counts.people, 'person', 'people')},{' '}
            {plural(status.snapshot.counts.courses, 'course')}, {plural(status.snapshot.counts.groups, 'group')},{' '}
            {plural(status.snapshot.counts.enrolments, 'enrolment')}.
          </p>
        ) : (
          status.sms &&
          status.lastImport?.outcome !== 'failed' && <p className="muted">Nothing imported from the SMS yet.</p>
        )}
      </section>

      <SummaryCounts openErrors={status.openErrors} courses={status.courses} />

      {status.lms.map((lms) => (
        <LmsConnectionCard key={lms.id} lms={lms} paused={status.paused} clock={clock} />
      ))}
    </div>
  );
}
