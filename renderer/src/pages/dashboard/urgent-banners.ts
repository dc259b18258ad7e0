import type { Status } from '../../../../electron/core/contract/contract';
import { plural } from '../../format/labels';
import { failingParts } from './connection-problem-banner';

type LmsStatus = Status['lms'][number];

/** One thing on the dashboard that needs the admin, as a banner when it is the most urgent. */
export type UrgentItem =
  | { kind: 'problem' | 'trouble'; lms: LmsStatus; label: string }
  | { kind: 'held'; plan: Status['heldPlans'][number]; label: string }
  | { kind: 'late'; late: NonNullable<Status['lateSource']>; label: string }
  | { kind: 'links'; count: number; label: string };

/**
 * Everything that needs the admin, most urgent first. The dashboard shows the first as its one banner
 * and names the rest in a line, so the first screen (800×600) shows the headline and what to do next
 * instead of a stack of banners pushing the status off the screen.
 *
 * Order: an LMS that cannot be synced for long (nothing reaches it), then uploads held for approval
 * (nothing changes until the admin decides), the SMS data late (everything runs on stale data),
 * accounts waiting for Link / Create / Skip, and last a part that failed once and is being retried.
 */
export function urgentItems(status: Status): UrgentItem[] {
  const lmsName = (id: string) => status.lms.find((l) => l.id === id)?.name ?? id;
  const failing = status.lms.map((lms) => ({ lms, parts: failingParts(lms) })).filter((f) => f.parts.length > 0);
  const problems = failing.filter((f) => f.parts.some((p) => p.health === 'problem'));
  const troubles = failing.filter((f) => !problems.includes(f));
  return [
    ...problems.map(({ lms }) => ({ kind: 'problem' as const, lms, label: `a problem syncing with ${lms.name}` })),
    ...status.heldPlans.map((plan) => ({
      kind: 'held' as const,
      plan,
      label: `an upload to ${lmsName(plan.connectionId)} waiting for your approval`,
    })),
    ...(status.lateSource ? [{ kind: 'late' as const, late: status.lateSource, label: 'the SMS data is late' }] : []),
    ...(status.openLinkDecisions > 0
      ? [
          {
            kind: 'links' as const,
            count: status.openLinkDecisions,
            label: `${plural(status.openLinkDecisions, 'existing account', 'existing accounts')} to link, create or skip`,
          },
        ]
      : []),
    ...troubles.map(({ lms }) => ({ kind: 'trouble' as const, lms, label: `trouble syncing with ${lms.name}` })),
  ];
}
