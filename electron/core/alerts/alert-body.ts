/**
 * One alert, as a webhook receives it (the JSON body, schema "classbridge.alert/1", documented in
 * docs/alerts.md) and as the email is written from. The same object is queued in the outbox.
 */
import { z } from 'zod';
import { LateSourceSchema, PartSchema } from '../model';

const Common = {
  schema: z.literal('classbridge.alert/1'),
  /** Unique per alert: a receiver that sees it twice (a retry whose answer was lost) drops the copy. */
  id: z.string(),
  /** True for `alerts:test` / `classbridge alerts test`. */
  test: z.boolean(),
  /** When ClassBridge decided it (it may be sent later, after quiet hours). */
  raisedAt: z.string(),
  title: z.string(),
  /** The whole message in plain text (the email's body). */
  text: z.string(),
  /** Where the admin acts on it. */
  action: z.string(),
};

export const DigestDetailsSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Per LMS and part: how its runs ended. */
  parts: z.array(
    z.object({
      lms: z.string(),
      part: PartSchema,
      ok: z.number().int(),
      partial: z.number().int(),
      failed: z.number().int(),
      held: z.number().int(),
    }),
  ),
  /** SMS imports: stored and refused. */
  imports: z.object({ ok: z.number().int(), failed: z.number().int() }),
  /** The runs' counts added up (created, updated, enrolled …). */
  counts: z.record(z.string(), z.number()),
  openErrors: z.number().int(),
  /** Results written back to the SMS in the period. */
  resultsDelivered: z.number().int(),
});
export type DigestDetails = z.infer<typeof DigestDetailsSchema>;

export const AlertBodySchema = z.discriminatedUnion('kind', [
  z.object({
    ...Common,
    kind: z.literal('problem'),
    details: z.object({
      parts: z.array(
        z.object({
          lmsId: z.string(),
          lms: z.string(),
          part: PartSchema,
          /** What is wrong, with the diagnosed cause. */
          words: z.string(),
          fix: z.string().optional(),
        }),
      ),
    }),
  }),
  z.object({
    ...Common,
    kind: z.literal('held'),
    details: z.object({
      plans: z.array(
        z.object({
          id: z.number().int(),
          lmsId: z.string(),
          lms: z.string(),
          part: PartSchema,
          message: z.string(),
          createdAt: z.string(),
        }),
      ),
    }),
  }),
  z.object({ ...Common, kind: z.literal('links'), details: z.object({ count: z.number().int() }) }),
  z.object({ ...Common, kind: z.literal('update'), details: z.object({ version: z.string() }) }),
  z.object({ ...Common, kind: z.literal('late-source'), details: LateSourceSchema }),
  z.object({ ...Common, kind: z.literal('digest'), details: DigestDetailsSchema }),
]);
export type AlertBody = z.infer<typeof AlertBodySchema>;
