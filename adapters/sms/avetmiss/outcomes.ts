/**
 * Outcome identifier - national (NAT00120 columns 72-73), sms-formats.md C.3. The table is the
 * national list plus the state codes the reference lists (53/54, 65, 85, 90); anything else is refused.
 */
export const OUTCOME_CODES: Readonly<Record<string, string>> = {
  '20': 'Competency achieved / pass',
  '30': 'Competency not achieved / fail',
  '40': 'Withdrawn / discontinued',
  '41': 'Incomplete due to RTO closure',
  '51': 'Recognition of prior learning - granted',
  '52': 'Recognition of prior learning - not granted',
  '53': 'Recognition of current competency - granted',
  '54': 'Recognition of current competency - not granted',
  '60': 'Credit transfer / national recognition',
  '65': 'Transitioned / superseded',
  '70': 'Continuing enrolment',
  '81': 'Non-assessed enrolment - satisfactorily completed',
  '82': 'Non-assessed enrolment - withdrawn or not satisfactorily completed',
  '85': 'Not yet started',
  '90': 'Not yet available / outcome not reported',
};

export const OUTCOME_CODE_LIST = Object.keys(OUTCOME_CODES).join(', ');

/** C.3 ClassBridge rule [I]: the LMS may only propose these. */
export const LMS_PROPOSABLE_OUTCOMES: ReadonlySet<string> = new Set(['20', '30', '40', '70', '81', '82', '85']);

/** Set in the SMS only (RTO closure, RPL/RCC, credit transfer, superseded): never overwritten from the LMS. */
export const SMS_ONLY_OUTCOMES: ReadonlySet<string> = new Set(['41', '51', '52', '53', '54', '60', '65']);

/** Outcomes that say the activity is still open: anything else is a final outcome. */
export const OPEN_OUTCOMES: ReadonlySet<string> = new Set(['70', '85', '90']);

/** Withdrawn outcomes [I]: the LMS enrolment is no longer active. */
export const WITHDRAWN_OUTCOMES: ReadonlySet<string> = new Set(['40', '41', '82']);

export function isKnownOutcome(code: string): boolean {
  return Object.hasOwn(OUTCOME_CODES, code);
}
