import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { plural } from '../../format/labels';

type SetStateResult = ApiOutput<'courses:setState'>;
type SkipReason = SetStateResult['skipped'][number]['reason'];

/** E.g. "2 courses opened, 1 skipped (deleted in the LMS)": what happened, in the admin's words. */
export function describeStateChange(state: 'Open' | 'Closed', result: SetStateResult): string {
  const verb = state === 'Open' ? 'opened' : 'closed';
  const reasons: Record<SkipReason, string> = {
    deleted: 'deleted in the LMS',
    unchanged: `already ${state === 'Open' ? 'open' : 'closed'}`,
    'not-found': 'no longer known to ClassBridge',
  };
  const skippedBy = new Map<SkipReason, number>();
  for (const { reason } of result.skipped) skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + 1);

  const sentences = [`${plural(result.changed, 'course')} ${verb}`];
  for (const [reason, count] of skippedBy) sentences.push(`${count} skipped (${reasons[reason]})`);
  return sentences.join(', ');
}
