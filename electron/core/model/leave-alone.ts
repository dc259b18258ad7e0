import { z } from 'zod';

/** What a leave-alone mark names: one SMS person or one SMS course. */
export const LeaveAloneKindSchema = z.enum(['person', 'course']);
export type LeaveAloneKind = z.infer<typeof LeaveAloneKindSchema>;

/**
 * The admin's "ClassBridge does not touch this", per LMS connection (migration 017): while marked, the
 * upload and the reconcile make no change to the person (no create, update, suspend, role or enrolment
 * change) or the course (no create, update, enrolment or group change). Keyed by SMS id, so a mark
 * holds before the record reaches the LMS and survives a re-link.
 */
export const LeaveAloneMarkSchema = z.object({
  connectionId: z.string(),
  kind: LeaveAloneKindSchema,
  smsId: z.string().min(1),
  /** When the mark was set (ISO 8601). */
  createdAt: z.string(),
  note: z.string().nullable(),
});
export type LeaveAloneMark = z.infer<typeof LeaveAloneMarkSchema>;
