import type { Status } from '../../../../electron/core/contract/contract';
import { HEALTH_LABELS } from '../../format/labels';

/**
 * The SMS has not sent for longer than usual (electron/core/alerts/late-source.ts): every sync still
 * "succeeds", on stale data, so it is shown as a problem with what to check.
 */
export function LateSourceBanner({ late }: { late: NonNullable<Status['lateSource']> }) {
  return (
    <section className="notice notice-problem banner" aria-labelledby="late-source" data-testid="late-source">
      <div className="banner-body">
        <h2 id="late-source">
          <span className="notice-icon" aria-hidden="true">
            {HEALTH_LABELS.problem.icon}
          </span>
          The SMS data is late
        </h2>
        <p>{late.words}</p>
        <p className="muted">
          {late.learnt
            ? `ClassBridge learnt this from the SMS's recent imports; until new data arrives, every sync runs on the last one.`
            : `You set how often the SMS sends (Settings → Alerts); until new data arrives, every sync runs on the last one.`}
        </p>
        <div className="banner-fix">
          <h3>What to do</h3>
          <p>{late.fix}</p>
        </div>
      </div>
    </section>
  );
}
