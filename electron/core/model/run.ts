import { z } from 'zod';
import { PartSchema } from './parts';

export const RunTriggerSchema = z.enum(['manual', 'schedule']);
export const RunOutcomeSchema = z.enum(['running', 'ok', 'partial', 'failed', 'held']);
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

export const RunSchema = z.object({
  id: z.number().int(),
  connectionId: z.string().nullable(),
  part: PartSchema,
  trigger: RunTriggerSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: RunOutcomeSchema,
  counts: z.record(z.string(), z.number()),
  message: z.string().nullable(),
});
export type Run = z.infer<typeof RunSchema>;

/** One record that failed in a run, with what the LMS said and what the admin can do. */
export const RunErrorSchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  connectionId: z.string().nullable(),
  part: PartSchema,
  recordKind: z.string(),
  recordKey: z.string(),
  course: z.string().nullable(),
  message: z.string(),
  fix: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type RunError = z.infer<typeof RunErrorSchema>;

/** A repair a reconcile run made: what had drifted in the LMS and what ClassBridge did about it. */
export const RunRepairSchema = z.object({
  id: z.number().int(),
  runId: z.number().int(),
  recordKind: z.string(),
  recordKey: z.string(),
  course: z.string().nullable(),
  drift: z.string(),
  repair: z.string(),
});
export type RunRepair = z.infer<typeof RunRepairSchema>;

export const HeldPlanStateSchema = z.enum(['pending', 'approved', 'rejected', 'applied', 'superseded']);
export type HeldPlanState = z.infer<typeof HeldPlanStateSchema>;

/** One removal a held plan would make, named so an admin can check it. */
export const HeldRemovalSchema = z.object({
  /** rekey-person / rekey-course: a re-key the admin confirms (issue 13 item 3), listed before the removals. */
  kind: z.enum(['suspend-user', 'suspend-enrolment', 'unenrol', 'rekey-person', 'rekey-course']),
  key: z.string(),
  label: z.string(),
});

/** The students a held plan takes out of one course: the review groups removals by course. */
export const HeldCourseRemovalsSchema = z.object({
  /** The SMS course key. */
  course: z.string(),
  /** "Year 10 Science (10SCI)" */
  label: z.string(),
  removals: z.number().int(),
  /** Active students of the course before the plan. */
  active: z.number().int(),
  /** More than the per-course limit: one reason the plan is held. */
  exceeded: z.boolean(),
  /** The students removed, by name (at most 50 per course). */
  students: z.array(z.string()),
});
export type HeldCourseRemovals = z.infer<typeof HeldCourseRemovalsSchema>;

/**
 * An upload the safety rail held: it would suspend or unenrol more than the limit. It waits for the
 * admin: approved → the next run applies exactly these removals (a changed plan is held again);
 * rejected → runs keep holding it until the SMS data changes.
 */
export const HeldPlanSchema = z.object({
  id: z.number().int(),
  connectionId: z.string(),
  part: PartSchema,
  runId: z.number().int().nullable(),
  state: HeldPlanStateSchema,
  message: z.string(),
  details: z.object({
    /** Removals by kind, e.g. { suspendUsers: 412, unenrol: 0, suspendEnrolments: 2050 }. */
    counts: z.record(z.string(), z.number()),
    /** The first removals (at most 50). */
    samples: z.array(HeldRemovalSchema),
    /** Students removed per course, held courses first (plans held before the per-course check have none). */
    courses: z.array(HeldCourseRemovalsSchema).default([]),
  }),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type HeldPlan = z.infer<typeof HeldPlanSchema>;
