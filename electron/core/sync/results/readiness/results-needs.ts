import type { Settings, SmsConnection } from '../../../model';
import { resultsDestinationFor } from '../results-destination';
import type { ResultsNeeds } from './course-readiness';

/** The AVETMISS writer's pass-mark option (adapters/sms/avetmiss/results-destination.ts OUTCOME_OPTIONS). */
const PASS_MARK_SETTING = 'outcomePassPercent';

/**
 * What the SMS side asks of every course's results, decided once per LMS connection (not per course),
 * from the writer the results run would use (resultsDestinationFor):
 * - a writer that decides outcomes (AVETMISS) refused for want of its pass mark (outcomePassPercent);
 * - a writer whose SMS takes a numeric score only (OneRoster 1.1, read from the export's manifest).
 */
export async function resultsNeedsFor(
  sms: SmsConnection | undefined,
  lmsConnectionId: string,
  settings: Pick<Settings, 'results'> & Partial<Pick<Settings, 'useSms'>>,
): Promise<ResultsNeeds> {
  // The folder is not used here (nothing is written): only which writer, and what it needs.
  const destination = resultsDestinationFor(sms, lmsConnectionId, '', settings);
  const refusal = destination.refusal;
  return {
    numericScoreOnly: (await destination.numericScoreOnly?.().catch(() => false)) ?? false,
    passMark:
      refusal?.setting === PASS_MARK_SETTING
        ? { kind: 'no-pass-mark', message: refusal.problem, fix: refusal.fix }
        : undefined,
  };
}
