import type { SmsResultRecord } from '../../contract';
import type { NatRecord } from './fields';
import { decideOutcome } from './outcome-rule';
import { isKnownOutcome, LMS_PROPOSABLE_OUTCOMES, OPEN_OUTCOMES, OUTCOME_CODE_LIST, OUTCOME_CODES } from './outcomes';

/**
 * What happens to one NAT00120 activity a result matched (docs/results.md, "NAT00120 rules"):
 * - `write`: the outcome (and, for a final outcome, the activity end date) is written;
 * - `keep`: the writer's own rule keeps the SMS's outcome (an outcome set in the SMS only, a final
 *   outcome not reopened) — a note, and the result counts as delivered;
 * - `refuse`: the row cannot take the result now (the activity has not started, an outcome code that is
 *   not AVETMISS 8.0's) — the line is copied as the SMS wrote it, the result is a result error naming
 *   the person and unit, and it is offered again on the next delivery (not marked delivered).
 */
export type ActivityDecision =
  | { kind: 'write'; outcome: string; endDate: string | undefined }
  | { kind: 'keep'; reason: string }
  | { kind: 'refuse'; reason: string; fix: string };

export interface ActivityContext {
  /** Today as an ISO date in the RTO's time zone (the machine's): what "started" is compared with. */
  today: string;
}

/** The final outcomes the LMS may write (20, 30, 40, 81, 82): the activity has ended, so it gets an end date. */
function isFinal(outcome: string): boolean {
  return !OPEN_OUTCOMES.has(outcome);
}

/**
 * The rules, in order:
 * 1. the SMS's own outcome must be an AVETMISS 8.0 outcome identifier – national (C.3), else the row is
 *    refused (an export the importer would refuse too; a hand-edited NAT00120);
 * 2. the writer's keep rule (SMS-only outcomes 41, 51–65; a final outcome not reopened);
 * 3. nothing to change → written as it is (no refusal for a result that changes nothing);
 * 4. the proposed code must be a valid outcome the LMS may set (20, 30, 40, 70, 81, 82, 85) — checked
 *    again per row, so a code never reaches the file unchecked;
 * 5. an activity whose start date is after today has no result yet: only 85 (not yet started) may be
 *    written; competent / not competent / continuing wait until it starts;
 * 6. a final outcome ends the activity: an SMS end date still ahead (the planned end) or before the start
 *    becomes the day ClassBridge saw the result (`updatedAt`, the RTO's local date), never before the
 *    activity start date nor after today; an SMS end date already past (and not before the start) is the
 *    SMS's record and stays. An open outcome (70, 85) keeps the SMS's planned end date.
 * Hours attended (columns 140–143) are never written: no Moodle function ClassBridge reads gives them.
 */
export function decideActivity(
  values: NatRecord,
  proposed: string,
  result: Pick<SmsResultRecord, 'updatedAt'>,
  ctx: ActivityContext,
): ActivityDecision {
  const current = values.outcome as string;
  const startDate = values.startDate as string;
  if (!isKnownOutcome(current)) {
    return {
      kind: 'refuse',
      reason: `the SMS's outcome identifier "${current}" is not an AVETMISS 8.0 outcome identifier – national (valid: ${OUTCOME_CODE_LIST}), so the activity is left as the SMS wrote it`,
      fix: 'Correct the outcome in the SMS and export the NAT files again; ClassBridge writes the result on the next delivery.',
    };
  }
  const kept = decideOutcome(current, proposed);
  if (!kept.write) return { kind: 'keep', reason: kept.reason };
  if (proposed === current) return { kind: 'write', outcome: current, endDate: undefined };
  if (!isKnownOutcome(proposed) || !LMS_PROPOSABLE_OUTCOMES.has(proposed)) {
    return {
      kind: 'refuse',
      reason: `outcome "${proposed}" is not one the LMS may write to NAT00120 (AVETMISS 8.0 outcome identifier – national, one of ${[...LMS_PROPOSABLE_OUTCOMES].join(', ')})`,
      fix: 'Correct the outcome codes in the SMS connection (outcomeCompleted, outcomeFailed, outcomeNotYetComplete, outcomeUngradedCompleted).',
    };
  }
  if (startDate > ctx.today && proposed !== '85') {
    return {
      kind: 'refuse',
      reason: `the activity starts on ${startDate} (NAT00120 activity start date), after today, so no result is recorded for it yet: outcome ${current} (${OUTCOME_CODES[current]}) kept instead of ${proposed} (${OUTCOME_CODES[proposed]})`,
      fix: 'Nothing to do if the start date is right: ClassBridge writes the result once the activity has started. Otherwise correct the activity start date in the SMS.',
    };
  }
  if (!isFinal(proposed)) return { kind: 'write', outcome: proposed, endDate: undefined };
  // A past end date on or after the start is the SMS's own record of when the activity ended: kept. A planned
  // end date still ahead (or one before the start) cannot stand for an activity that has ended.
  const smsEnd = values.endDate as string;
  if (smsEnd >= startDate && smsEnd <= ctx.today) return { kind: 'write', outcome: proposed, endDate: undefined };
  return { kind: 'write', outcome: proposed, endDate: endDateFor(startDate, result.updatedAt, ctx.today) };
}

/** The day the result was seen, clamped to [start date, today]. */
function endDateFor(startDate: string, updatedAt: string, today: string): string {
  const seen = Number.isNaN(Date.parse(updatedAt)) ? today : localIsoDate(new Date(updatedAt));
  const notAfterToday = seen > today ? today : seen;
  return notAfterToday < startDate ? startDate : notAfterToday;
}

/** YYYY-MM-DD in the machine's time zone (an RTO's "today" is its own, not UTC's). */
export function localIsoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
