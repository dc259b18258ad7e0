import { z } from 'zod';

/**
 * Why ClassBridge did not take an LMS account over on its own:
 * - no-idnumber: the username matches, the account has no idnumber (made by hand or before ClassBridge);
 * - web-service-user / site-admin / other-auth: the account is ClassBridge's own, an administrator's,
 *   or signs in another way than the accounts ClassBridge makes; it is never linked or changed.
 */
export const LinkReasonSchema = z.enum(['no-idnumber', 'web-service-user', 'site-admin', 'other-auth']);
export type LinkReason = z.infer<typeof LinkReasonSchema>;

/** open: waiting for the admin; link / create / skip: decided (applied by the next upload). */
export const LinkDecisionStateSchema = z.enum(['open', 'link', 'create', 'skip']);
export type LinkDecisionState = z.infer<typeof LinkDecisionStateSchema>;

/** The person as ClassBridge would create them. */
export const LinkSmsRecordSchema = z.object({
  username: z.string(),
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  idnumber: z.string(),
});
/** The LMS account as it was found. */
export const LinkLmsRecordSchema = LinkSmsRecordSchema.extend({
  id: z.number().int(),
  auth: z.string(),
  suspended: z.boolean(),
});

export const LinkDecisionSchema = z.object({
  id: z.number().int(),
  connectionId: z.string(),
  smsId: z.string(),
  lmsUserId: z.number().int(),
  reason: LinkReasonSchema,
  /** False for accounts ClassBridge never takes over: only Create with another username or Skip. */
  linkable: z.boolean(),
  sms: LinkSmsRecordSchema,
  lms: LinkLmsRecordSchema,
  /** The username rule's next free name, found when the decision was recorded (Create with another username). */
  suggestedUsername: z.string().nullable(),
  state: LinkDecisionStateSchema,
  /** The username a 'create' decision creates the account with. */
  username: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** When an upload carried the decision out (the person is then linked, or created). */
  appliedAt: z.string().nullable(),
});
export type LinkDecision = z.infer<typeof LinkDecisionSchema>;
