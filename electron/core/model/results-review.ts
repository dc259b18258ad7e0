import { z } from 'zod';

/**
 * How results of one LMS connection reach the SMS (`mapping.results`, docs/results.md):
 * - `delivery`: 'automatic' (the default, as before) writes every changed result on the results run;
 *   'review' computes the delivery and keeps it pending until the admin accepts it (Results page,
 *   `results:decide`);
 * - `reviewMargin`: percentage points around the pass mark inside which a completed result is queued
 *   for a person whatever `delivery` says (49.8 % against 50 % is not decided by a machine); 0 turns the
 *   queue off. The outcome itself is always decided from the unrounded LMS value.
 */
export const ResultsDeliverySchema = z
  .object({
    delivery: z
      .enum(['automatic', 'review'], {
        message: 'Choose "automatic" (write changed results at once) or "review" (write only what the admin accepts)',
      })
      .default('automatic'),
    reviewMargin: z
      .number({ message: 'The review margin is a number of percentage points, for example 0.5' })
      .min(0, 'The review margin cannot be negative (0 turns the queue off)')
      .max(100, 'The review margin is at most 100 percentage points')
      .default(0.5),
  })
  .strict();
export type ResultsDelivery = z.infer<typeof ResultsDeliverySchema>;

export const DEFAULT_RESULTS_DELIVERY: ResultsDelivery = { delivery: 'automatic', reviewMargin: 0.5 };

/**
 * Why a result waits for a person instead of being written:
 * - 'review': the connection delivers only after review;
 * - 'margin': a completed result within `reviewMargin` of the pass mark;
 * - 'conflict': the SMS's value changed since ClassBridge last delivered (a person corrected it).
 */
export const ResultReviewReasonSchema = z.enum(['review', 'margin', 'conflict']);
export type ResultReviewReason = z.infer<typeof ResultReviewReasonSchema>;

/**
 * 'pending' waits for the admin; 'accepted' is written on the next delivery; 'held' is not written
 * until the LMS result changes again; 'kept' (a conflict settled for the SMS) is recorded as delivered
 * without writing.
 */
export const ResultReviewStateSchema = z.enum(['pending', 'accepted', 'held', 'kept']);
export type ResultReviewState = z.infer<typeof ResultReviewStateSchema>;

/** The figures behind a proposed value, kept with the review so the page shows what was decided on. */
export const ResultReviewDetailSchema = z.object({
  grade: z.string().nullable(),
  /** As stored for the SMS (two decimals). */
  gradePercent: z.number().nullable(),
  /** The LMS value unrounded: what the outcome was decided from. */
  exactPercent: z.number().nullable(),
  /** The pass mark of the outcome rule, when the SMS takes outcomes. */
  passPercent: z.number().nullable(),
  /** exactPercent − passPercent, percentage points (negative: below). */
  marginPoints: z.number().nullable(),
  progressPercent: z.number(),
  completed: z.boolean(),
  /** In words: "49.995 % against 50 %: 0.005 points below (review margin 0.5); completed". */
  why: z.string(),
});
export type ResultReviewDetail = z.infer<typeof ResultReviewDetailSchema>;

/** One record (enrolment × course) waiting for, or decided by, a person. */
export const ResultReviewSchema = z.object({
  connectionId: z.string(),
  lmsCourseId: z.number().int(),
  personSmsId: z.string(),
  courseSmsId: z.string(),
  /** From the current snapshot; null once they left it. */
  personName: z.string().nullable(),
  /** The LMS course's name. */
  course: z.string(),
  reason: ResultReviewReasonSchema,
  state: ResultReviewStateSchema,
  /** The SMS's value from the last import (an outcome code), null when it has none. */
  smsValue: z.string().nullable(),
  /** What ClassBridge last delivered for this record, null before the first delivery. */
  deliveredValue: z.string().nullable(),
  /** What the delivery would write: the outcome code, else the grade. */
  newValue: z.string().nullable(),
  detail: ResultReviewDetailSchema,
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type ResultReview = z.infer<typeof ResultReviewSchema>;

/** What the admin decides for reviews: write the LMS value, keep the SMS's (conflicts), or hold. */
export const ResultDecisionSchema = z.enum(['accept', 'keep-sms', 'hold']);
export type ResultDecision = z.infer<typeof ResultDecisionSchema>;
