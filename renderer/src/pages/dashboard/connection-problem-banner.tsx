import type { Status } from '../../../../electron/core/contract/contract';
import { PART_LABELS } from '../../../../electron/core/model';
import { EngineText } from '../../components/engine-text';
import { NoticeBanner } from '../../components/notice-banner';
import type { PartStatus } from './part-card';

type LmsStatus = Status['lms'][number];

/** Parts whose last run failed as a whole (not one record): the LMS could not be reached or refused. */
export function failingParts(lms: LmsStatus): PartStatus[] {
  return lms.parts.filter((p) => p.health === 'problem' || (p.health === 'warning' && p.lastRun?.outcome === 'failed'));
}

/**
 * The diagnosis and the fix for an LMS that could not be synced, in the engine's own words
 * (schedule/health.ts), at the top of the dashboard so it is the first thing read.
 */
export function ConnectionProblemBanner({ lms, parts }: { lms: LmsStatus; parts: PartStatus[] }) {
  const headingId = `problem-${lms.id}`;
  const problem = parts.some((p) => p.health === 'problem');
  const fixes = [...new Set(parts.flatMap((p) => (p.fix ? [p.fix] : [])))];
  return (
    <NoticeBanner
      id={headingId}
      tone={problem ? 'problem' : 'warning'}
      testId="connection-problem"
      heading={`${problem ? 'Problem' : 'Trouble'} syncing with ${lms.name}`}
      fix={
        fixes.length > 0
          ? fixes.map((fix) => (
              <p key={fix}>
                <EngineText text={fix} />
              </p>
            ))
          : undefined
      }
    >
      <ul className="plain-list">
        {parts.map((part) => (
          <li key={part.part}>
            <strong>{PART_LABELS[part.part]}:</strong> <EngineText text={part.words} />
          </li>
        ))}
      </ul>
    </NoticeBanner>
  );
}
