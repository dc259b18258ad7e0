import type { SmsResultRecord } from '../../../../../adapters/contract';
import type { ResultOutcomes } from '../../../../../adapters/descriptor';
import type { ResultReviewDetail } from '../../../model';

/** What a delivery would write for one record, and why, in figures and in words. */
export interface Proposal {
  /** The outcome code (a writer with outcomes), else the grade as the SMS would get it. */
  newValue: string | null;
  detail: ResultReviewDetail;
  /** A completed, graded result within the review margin of the pass mark: a person decides. */
  withinMargin: boolean;
}

/**
 * The proposal for one record. Competent or not comes from the writer's own rule (outcomeFor) on the
 * unrounded LMS value; the margin is that value minus the pass mark, unrounded too, so "49.995 % against
 * 50 %" says 0.005 points below although the LMS shows 50.00. Only a completed result with a grade can be
 * near the pass mark: one not completed is "continuing" whatever its grade.
 */
export function proposeResult(
  record: SmsResultRecord,
  outcomes: ResultOutcomes | undefined,
  reviewMargin: number,
  smsValue: string | null = null,
): Proposal {
  const exact = exactOf(record);
  const passPercent = outcomes?.passPercent ?? null;
  const marginPoints = exact !== null && passPercent !== null ? clean(exact - passPercent) : null;
  const withinMargin =
    outcomes !== undefined &&
    record.completed &&
    marginPoints !== null &&
    reviewMargin > 0 &&
    Math.abs(marginPoints) <= reviewMargin;
  const proposed = outcomes ? outcomes.outcomeFor(record) : gradeValue(record);
  // The writer's own rule may keep the SMS's outcome (AVETMISS: set in the SMS only, a final outcome not
  // reopened): then that is what the delivery writes, and nothing waits for a person over it.
  const kept = outcomes?.keeps && smsValue !== null && proposed !== null ? outcomes.keeps(smsValue, proposed) : null;
  const newValue = kept === null ? proposed : smsValue;
  const reason = why(record, exact, passPercent, marginPoints, withinMargin ? reviewMargin : null, proposed, outcomes);
  return {
    newValue,
    withinMargin: withinMargin && kept === null,
    detail: {
      grade: record.grade,
      gradePercent: record.gradePercent,
      exactPercent: exact,
      passPercent,
      marginPoints,
      progressPercent: record.progressPercent,
      completed: record.completed,
      why: kept === null ? reason : `${reason}; the SMS keeps ${smsValue ?? '–'}: ${kept}`,
    },
  };
}

/** A percentage as a person reads it: up to 5 decimals (Moodle keeps grades to 5), no trailing zeros. */
export function percentText(value: number): string {
  return String(Number(value.toFixed(5)));
}

function exactOf(record: SmsResultRecord): number | null {
  const exact = record.gradePercentExact;
  if (exact !== undefined && exact !== null && Number.isFinite(exact)) return exact;
  return record.gradePercent;
}

function clean(value: number): number {
  return Number(value.toFixed(9));
}

function gradeValue(record: SmsResultRecord): string | null {
  if (record.grade !== null) return record.grade;
  return record.gradePercent === null ? null : `${percentText(record.gradePercent)} %`;
}

function why(
  record: SmsResultRecord,
  exact: number | null,
  pass: number | null,
  points: number | null,
  margin: number | null,
  newValue: string | null,
  outcomes: ResultOutcomes | undefined,
): string {
  const progress = `${percentText(record.progressPercent)} % of activities graded`;
  if (!record.completed) {
    const grade = exact === null ? '' : `, grade so far ${percentText(exact)} %`;
    return `not completed (${progress}${grade})${outcomes ? `: outcome ${newValue ?? '–'}` : ''}`;
  }
  if (exact === null) return `completed with no course grade${outcomes ? `: outcome ${newValue ?? '–'}` : ''}`;
  const shown = record.grade !== null && record.grade.trim() !== '' ? ` (the LMS shows ${record.grade})` : '';
  if (pass === null || points === null) return `completed, grade ${percentText(exact)} %${shown}`;
  const side =
    points === 0
      ? 'exactly the pass mark'
      : `${percentText(Math.abs(points))} points ${points < 0 ? 'below' : 'above'}`;
  const near = margin === null ? '' : `; within the review margin of ${percentText(margin)} points`;
  return `${percentText(exact)} % against ${percentText(pass)} %${shown}: ${side}${near}; completed: outcome ${newValue ?? '–'}`;
}
