import type { ResultReview } from '../../../../electron/core/model';

/** One row's identity on the page (and in results:decide). */
export function reviewKey(r: Pick<ResultReview, 'connectionId' | 'lmsCourseId' | 'personSmsId'>): string {
  return `${r.connectionId}\u0000${r.lmsCourseId}\u0000${r.personSmsId}`;
}

export const REASON_LABELS: Record<ResultReview['reason'], string> = {
  review: 'For review',
  margin: 'Near the pass mark',
  conflict: 'Changed in the SMS',
};

export const STATE_LABELS: Record<ResultReview['state'], string> = {
  pending: 'Waiting',
  accepted: 'Accepted',
  held: 'Held',
  kept: 'Kept as the SMS has it',
};

export function studentLabel(r: Pick<ResultReview, 'personName' | 'personSmsId'>): string {
  return r.personName ? `${r.personName} (${r.personSmsId})` : r.personSmsId;
}

/** Search over what the admin reads: student, course, values. */
export function matchesSearch(r: ResultReview, search: string): boolean {
  if (search === '') return true;
  const needle = search.toLowerCase();
  return [studentLabel(r), r.course, r.courseSmsId, r.smsValue, r.newValue, r.detail.grade]
    .filter((v): v is string => typeof v === 'string')
    .some((v) => v.toLowerCase().includes(needle));
}

export const CSV_HEADER = [
  'Student',
  'SMS person id',
  'Course',
  'SMS course',
  'Reason',
  'State',
  'SMS now',
  'Last delivered',
  'New value',
  'Grade',
  'Grade % (exact)',
  'Pass mark %',
  'Margin (points)',
  'Progress %',
  'Completed',
  'Why',
];

export function csvRow(r: ResultReview): (string | number | null)[] {
  return [
    r.personName,
    r.personSmsId,
    r.course,
    r.courseSmsId,
    REASON_LABELS[r.reason],
    STATE_LABELS[r.state],
    r.smsValue,
    r.deliveredValue,
    r.newValue,
    r.detail.grade,
    r.detail.exactPercent,
    r.detail.passPercent,
    r.detail.marginPoints,
    r.detail.progressPercent,
    r.detail.completed ? 'yes' : 'no',
    r.detail.why,
  ];
}
