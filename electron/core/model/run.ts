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
