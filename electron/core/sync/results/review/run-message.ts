import type { ReviewedDeliverySummary } from './deliver-reviewed';

const number = new Intl.NumberFormat('en');

/**
 * The results run's sentence about what waits for a person, so a run that delivered fewer results than
 * changed says why and where to act; empty when nothing waits.
 */
export function waitingSentence(
  summary: Pick<ReviewedDeliverySummary, 'waiting' | 'kept'> & Partial<Pick<ReviewedDeliverySummary, 'refused'>>,
): string {
  const { review, margin, conflict } = summary.waiting;
  const parts: string[] = [];
  if (review > 0) parts.push(`${number.format(review)} for review`);
  if (margin > 0) parts.push(`${number.format(margin)} near the pass mark`);
  if (conflict > 0) parts.push(`${number.format(conflict)} changed in the SMS since ClassBridge delivered them`);
  const kept =
    summary.kept > 0
      ? ` ${number.format(summary.kept)} kept as the SMS has ${summary.kept === 1 ? 'it' : 'them'}.`
      : '';
  // Rows the SMS's file could not take now (an activity not started, an invalid code): offered again next run.
  const refusedCount = summary.refused?.length ?? 0;
  const refused =
    refusedCount > 0
      ? ` ${number.format(refusedCount)} not written for now (${refusedCount === 1 ? 'its row' : 'their rows'} in the SMS's file cannot take ${refusedCount === 1 ? 'it' : 'them'} yet; see the errors).`
      : '';
  if (parts.length === 0) return kept + refused;
  const total = review + margin + conflict;
  return ` ${number.format(total)} ${total === 1 ? 'result waits' : 'results wait'} on the Results page (${parts.join(', ')}).${kept}${refused}`;
}
