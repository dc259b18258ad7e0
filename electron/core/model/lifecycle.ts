import { z } from 'zod';

/** A calendar day, YYYY-MM-DD, that exists (2027-02-30 does not). Read in the school's time zone. */
export const IsoDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD, for example 2027-02-01')
  .refine((day) => {
    const at = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
  }, 'This day does not exist in the calendar');

/**
 * One explicit rollover pause: from the start of `from` (00:00 in the school's time zone) to the start
 * of `until`, the day removals flow again. `until` is the first day that is *not* paused, so "a pause
 * until 2027-02-01" means what it says: from 1 February removals go through as usual.
 */
export const RolloverWindowSchema = z
  .object({ from: IsoDaySchema, until: IsoDaySchema })
  .strict()
  .superRefine((window, ctx) => {
    // ISO days compare as strings.
    if (window.until <= window.from)
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: `The pause ends (until ${window.until}) before it starts (from ${window.from}): "until" must be a later day than "from".`,
      });
  });
export type RolloverWindow = z.infer<typeof RolloverWindowSchema>;

/**
 * When removals are always held for the admin's approval, whatever their size (as Clever's and
 * ClassLink's rollover pauses do): during the SMS's end-of-year rollover the export loses and regains
 * whole classes, and a removal then is far more often a half-finished rollover than a real departure.
 */
export const RolloverPauseSchema = z
  .object({
    /** Explicit pauses (the school's own term dates). */
    windows: z.array(RolloverWindowSchema).max(50).default([]),
    /**
     * Computed from the SMS course dates: from the day after the last course ended (no dated course
     * running) until this many days before the next course starts. The snapshot carries course dates
     * but no terms, so this is the only computed form (sync/plan/lifecycle.ts).
     */
    betweenTerms: z
      .object({ daysBeforeNext: z.number().int().min(0).max(365) })
      .strict()
      .optional(),
  })
  .strict();
export type RolloverPause = z.infer<typeof RolloverPauseSchema>;

/** A course's term ending, and the rollover around it, for one LMS connection. Absent: both off. */
export const LifecycleSchema = z
  .object({
    /**
     * A course whose SMS end date has passed: left as it is ('keep', the default), Closed in ClassBridge
     * ('close': no more enrolments or results synced), or Closed and also hidden in the LMS
     * ('close-and-hide', visible 0) — hidden only where ClassBridge created the course; one it did not
     * create is only Closed in ClassBridge, never changed in the LMS.
     */
    endedCourses: z.enum(['keep', 'close', 'close-and-hide']).default('keep'),
    /** Days after the end date before closing (time for final marks to be read back). */
    closeAfterDays: z.number().int().min(0).max(365).default(0),
    rolloverPause: RolloverPauseSchema.optional(),
  })
  .strict();
export type Lifecycle = z.infer<typeof LifecycleSchema>;
