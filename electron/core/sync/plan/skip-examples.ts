import type { SkipReason } from './operations';

/**
 * Which records were skipped and why, for the dry run's table of records (preview-records.ts). The
 * plan counts skips per reason (UploadPlan.skipped); these are the first few by name, so the admin
 * sees "10ENG: course not in the LMS" rather than only a number. Kept at SKIP_EXAMPLES_KEPT per kind,
 * so a school of 60,000 costs no more than a school of 60.
 */
export interface SkipExample {
  kind: 'enrolment' | 'class';
  /** The enrolment key (enrolmentKey) or the SMS group id. */
  key: string;
  /** The SMS person key (enrolments only). */
  person?: string;
  /** The SMS course key. */
  course: string;
  reason: SkipReason;
}

export const SKIP_EXAMPLES_KEPT = 10;

/** Keeps `example` while fewer than SKIP_EXAMPLES_KEPT are kept. */
export function keepSkipExample(kept: SkipExample[], example: SkipExample): void {
  if (kept.length < SKIP_EXAMPLES_KEPT) kept.push(example);
}
