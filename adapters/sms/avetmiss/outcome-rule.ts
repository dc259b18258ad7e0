import { SmsImportError, type SmsResultRecord } from '../../contract';
import { LMS_PROPOSABLE_OUTCOMES, OPEN_OUTCOMES, SMS_ONLY_OUTCOMES } from './outcomes';

/**
 * How an LMS result becomes an outcome identifier (C.3). Every code must be one the LMS may
 * propose under the C.3 ClassBridge rule (20, 30, 40, 70, 81, 82, 85).
 */
export interface OutcomeRule {
  /** Grade percent at or above which a completed enrolment is a pass. */
  passPercent: number;
  /** Completed and passed (default 20, competency achieved). */
  completedOutcome: string;
  /** Not completed yet (default 70, continuing). */
  notYetCompleteOutcome: string;
  /** Completed below passPercent (default 30, competency not achieved). */
  failedOutcome: string;
  /** Completed with no grade in the LMS (default: completedOutcome; 81 for non-assessed enrolments). */
  ungradedCompletedOutcome?: string;
}

export const DEFAULT_OUTCOME_RULE: OutcomeRule = {
  passPercent: 50,
  completedOutcome: '20',
  notYetCompleteOutcome: '70',
  failedOutcome: '30',
};

const PROPOSABLE_LIST = [...LMS_PROPOSABLE_OUTCOMES].join(', ');

/** Refuses a rule with a code the LMS may not set, before anything is written. */
export function validateOutcomeRule(rule: OutcomeRule): OutcomeRule {
  const codes = ['completedOutcome', 'notYetCompleteOutcome', 'failedOutcome', 'ungradedCompletedOutcome'] as const;
  for (const option of codes) {
    const code = rule[option];
    if (code === undefined && option === 'ungradedCompletedOutcome') continue;
    if (code === undefined || !LMS_PROPOSABLE_OUTCOMES.has(code)) {
      throw new SmsImportError('format', 'The outcome rule uses a code the LMS may not set (C.3)', {
        field: option,
        expected: `one of ${PROPOSABLE_LIST}`,
        found: String(code),
      });
    }
  }
  if (!Number.isFinite(rule.passPercent) || rule.passPercent < 0 || rule.passPercent > 100) {
    throw new SmsImportError('format', 'The pass mark is not a percentage', {
      field: 'passPercent',
      expected: 'a number from 0 to 100',
      found: String(rule.passPercent),
    });
  }
  return rule;
}

/**
 * The outcome of one result. Competent or not is decided from the unrounded LMS value
 * (gradePercentExact) against the pass mark, never from the two-decimal figure: 49.995 % shows as
 * 50.00 but is below a 50 % pass mark.
 */
export function outcomeFor(result: SmsResultRecord, rule: OutcomeRule): string {
  if (!result.completed) return rule.notYetCompleteOutcome;
  const percent = decidingPercent(result);
  if (percent === null) return rule.ungradedCompletedOutcome ?? rule.completedOutcome;
  return percent >= rule.passPercent ? rule.completedOutcome : rule.failedOutcome;
}

export type OutcomeDecision = { write: true; outcome: string } | { write: false; reason: string };

/** Whether the LMS's proposal may replace the outcome the SMS has. */
export function decideOutcome(current: string, proposed: string): OutcomeDecision {
  if (SMS_ONLY_OUTCOMES.has(current))
    return { write: false, reason: `outcome ${current} is set in the SMS only (C.3)` };
  if (!OPEN_OUTCOMES.has(current) && OPEN_OUTCOMES.has(proposed)) {
    return { write: false, reason: `final outcome ${current} is not reopened to ${proposed} from the LMS` };
  }
  return { write: true, outcome: proposed };
}

/** The percentage an outcome is decided from: the unrounded one when known, else the stored one. */
export function decidingPercent(result: Pick<SmsResultRecord, 'gradePercent' | 'gradePercentExact'>): number | null {
  const exact = result.gradePercentExact;
  if (exact !== undefined && exact !== null && Number.isFinite(exact)) return exact;
  return result.gradePercent !== null && Number.isFinite(result.gradePercent) ? result.gradePercent : null;
}
