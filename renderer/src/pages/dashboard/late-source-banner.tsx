import type { Status } from '../../../../electron/core/contract/contract';
import { NoticeBanner } from '../../components/notice-banner';

/**
 * The SMS has not sent for longer than usual (electron/core/alerts/late-source.ts): every sync still
 * "succeeds", on stale data, so it is shown as a problem with what to check.
 */
export function LateSourceBanner({ late }: { late: NonNullable<Status['lateSource']> }) {
  return (
    <NoticeBanner
      id="late-source"
      tone="problem"
      testId="late-source"
      heading="The SMS data is late"
      fix={<p>{late.fix}</p>}
    >
      <p>{late.words}</p>
      <p className="muted">
        {late.learnt
          ? `ClassBridge learnt this from the SMS's recent imports; until new data arrives, every sync runs on the last one.`
          : `You set how often the SMS sends (Settings → Alerts); until new data arrives, every sync runs on the last one.`}
      </p>
    </NoticeBanner>
  );
}
