import type { Status } from '../../../../electron/core/contract/contract';
import { formatWhen, type SchoolClock } from '../../format/format-date-time';
import { HEALTH_LABELS } from '../../format/labels';
import { headlineOf, type HeadlineTone } from './headline-of';

const ICONS: Record<HeadlineTone, string> = {
  ok: HEALTH_LABELS.ok.icon,
  running: HEALTH_LABELS.running.icon,
  warning: HEALTH_LABELS.warning.icon,
  problem: HEALTH_LABELS.problem.icon,
  'never-run': HEALTH_LABELS['never-run'].icon,
  paused: '❚❚',
};

/** "All good — last sync 5:05 pm, next 5:35 pm": the first line of the dashboard, one word for the whole sync. */
export function Headline({ status, clock }: { status: Status; clock: SchoolClock }) {
  const headline = headlineOf(status);
  const when = [
    headline.lastSync ? `last sync ${formatWhen(headline.lastSync, clock)}` : 'no sync has finished yet',
    ...(headline.next ? [`next ${formatWhen(headline.next, clock)}`] : []),
  ].join(', ');
  return (
    <p className={`headline headline-${headline.tone}`} role="status" data-testid="headline">
      <span className="headline-icon" aria-hidden="true">
        {ICONS[headline.tone]}
      </span>
      <strong className="headline-word">{headline.word}</strong> — {when}
    </p>
  );
}
