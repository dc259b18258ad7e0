import { z } from 'zod';
import { LmsProviderSchema, SmsProviderSchema } from './providers';
import { PartSchedulesSchema } from './schedule';

/** Connection ids name keychain accounts (`<id>:<secret name>`), so keep them simple. */
export const ConnectionIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use lower-case letters, digits and dashes (for example "moodle-main")');
export type ConnectionId = z.infer<typeof ConnectionIdSchema>;

/** Secret names, e.g. "token" or "push-secret". Values live in the OS keychain only. */
export const SecretNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'Use lower-case letters, digits and dashes');

export const SmsConnectionSchema = z.object({
  id: ConnectionIdSchema,
  kind: z.literal('sms'),
  provider: SmsProviderSchema,
  name: z.string().trim().min(1, 'Give the connection a name').max(100),
  /** Folder or file for file exports; the SMS adapters add provider-specific options. */
  source: z.string().max(4096).optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** For CSV sources: which column holds what (checked by the CSV adapter's own schema). */
  csvMapping: z.record(z.string(), z.unknown()).optional(),
});
export type SmsConnection = z.infer<typeof SmsConnectionSchema>;

export const RemovalPolicySchema = z.enum(['suspend', 'unenrol', 'keep']);

/** How SMS records become LMS records for one LMS connection. */
export const MappingSchema = z.object({
  usernameFrom: z.enum(['sms-username', 'email', 'sms-id']).default('sms-username'),
  emailFrom: z.enum(['sms-email', 'none']).default('sms-email'),
  idnumberFrom: z.enum(['sms-id']).default('sms-id'),
  courseMatch: z.enum(['idnumber', 'shortname']).default('idnumber'),
  /** SMS role → LMS role shortname. Role ids are looked up by shortname, never hard-coded. */
  roles: z.record(z.string(), z.string()).default({ student: 'student', teacher: 'editingteacher' }),
  /**
   * LMS role shortname → role id, only where ClassBridge cannot learn it (Moodle has no web service
   * that lists roles; ids are otherwise learnt from course participants).
   */
  roleIds: z.record(z.string(), z.number().int().positive()).default({}),
  newCourseCategoryId: z.number().int().positive().optional(),
  removalPolicy: RemovalPolicySchema.default('suspend'),
  /**
   * Results: a course total a hidden mark counts in is not sent ('hide', Moodle's default
   * grade_report_user_showtotalsifcontainhidden) or sent recomputed without it ('recompute', a site set to 1).
   */
  hiddenTotals: z.enum(['hide', 'recompute']).optional(),
  /**
   * An LMS account with the person's username but no idnumber (made by hand, or before ClassBridge) is
   * linked without asking only when this is on and its email is the person's too; otherwise the admin
   * decides (Link / Create with another username / Skip). Off by default: a username alone says nothing
   * about who owns an account.
   */
  linkExistingAccounts: z.boolean().default(false),
});
export type Mapping = z.infer<typeof MappingSchema>;

export const LmsConnectionSchema = z.object({
  id: ConnectionIdSchema,
  kind: z.literal('lms'),
  provider: LmsProviderSchema,
  name: z.string().trim().min(1, 'Give the connection a name').max(100),
  url: z
    .url({ protocol: /^https?$/, message: 'Enter the site address, for example https://moodle.school.nz' })
    .max(2048),
  mapping: MappingSchema.default(MappingSchema.parse({})),
  /** Per-part schedules that differ from the global ones. */
  schedules: PartSchedulesSchema.default({}),
});
export type LmsConnection = z.infer<typeof LmsConnectionSchema>;

export const ConnectionSchema = z.discriminatedUnion('kind', [SmsConnectionSchema, LmsConnectionSchema]);
export type Connection = z.infer<typeof ConnectionSchema>;
