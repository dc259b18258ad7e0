import { z } from 'zod';
import { LmsProviderSchema, SmsProviderSchema } from './providers';
import { PartSchedulesSchema } from './schedule';
import { LifecycleSchema } from './lifecycle';
import { parseTemplate, type TemplateKind } from './template';
import { CourseCategoriesSchema } from './course-category';
import { CohortsSchema } from './cohorts';
import { CourseTemplatesSchema } from './course-template';
import { ParentsSchema } from './parents';
import { ResultsDeliverySchema } from './results-review';

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

/** Moodle's text user fields core_user_create_users / update_users accept (reference §3.2). */
export const STANDARD_PROFILE_FIELDS = [
  'institution',
  'department',
  'city',
  'country',
  'phone1',
  'phone2',
  'address',
  'description',
  'interests',
  'middlename',
  'alternatename',
  'firstnamephonetic',
  'lastnamephonetic',
] as const;
/** A custom profile field: `profile_field_` + its shortname (PARAM_ALPHANUMEXT in customfields[j][type]). */
export const CUSTOM_PROFILE_FIELD = /^profile_field_([A-Za-z0-9_-]+)$/;

export const ProfileFieldsSchema = z
  .record(z.string(), z.string().trim().min(1, 'Name an SMS field'))
  .superRefine((fields, ctx) => {
    for (const key of Object.keys(fields)) {
      if ((STANDARD_PROFILE_FIELDS as readonly string[]).includes(key) || CUSTOM_PROFILE_FIELD.test(key)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `"${key}" is not a Moodle user field ClassBridge can set. Use one of ${STANDARD_PROFILE_FIELDS.join(', ')}, or profile_field_<shortname> for a custom profile field.`,
      });
    }
  });

/** Auth plugin names Moodle's create_users refuses whatever is installed (reference §3.2). */
export const REFUSED_AUTH_PLUGINS = ['mnet', 'webservice'] as const;

export const SignInSchema = z.object({
  auth: z
    .string()
    .regex(/^[a-z0-9_]+$/, 'An auth plugin name, for example manual, oauth2, saml2 or ldap')
    .refine((a) => !(REFUSED_AUTH_PLUGINS as readonly string[]).includes(a), {
      message: 'Moodle does not create accounts with mnet or webservice sign-in',
    })
    .default('manual'),
  /** manual only: Moodle generates the password and emails it (createpassword=1). */
  emailPassword: z.boolean().default(true),
});
export type SignIn = z.infer<typeof SignInSchema>;

/**
 * A name template (model/template.ts): its syntax is checked where a mapping is parsed (connections:save,
 * config import, the wizard), so a typo is refused with the field list; SMS `extra` fields are checked
 * against the snapshot in the preview. Absent: the `usernameFrom` / `emailFrom` choice / the SMS course.
 */
function templateField(kind: TemplateKind, maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'Enter a template, for example {first}.{last}{n}, or remove the field')
    .max(maxLength)
    .superRefine((source, ctx) => {
      const parsed = parseTemplate(source, kind);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    })
    .optional();
}

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
  /**
   * Category rules for created courses (model/course-category.ts): first match wins, else
   * newCourseCategoryId. Never moves an existing course. Absent: every new course goes to newCourseCategoryId.
   */
  courseCategories: CourseCategoriesSchema.optional(),
  /**
   * Template rules for created courses (model/course-template.ts): first match wins, and the course is a
   * copy of that LMS course (activities and gradebook). Absent, or no rule matches: an empty course.
   */
  courseTemplates: CourseTemplatesSchema.optional(),
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
  /**
   * Templates (model/template.ts), each optional: set, it replaces `usernameFrom` / `emailFrom` / the SMS
   * course's name and code. Username and email results are folded (ā → a) and lower-cased. `{n}` is the
   * next free suffix, decided once per person and kept (sync/plan/templates.ts).
   */
  usernameTemplate: templateField('person', 500),
  emailTemplate: templateField('person', 500),
  courseFullnameTemplate: templateField('course', 500),
  courseShortnameTemplate: templateField('course', 500),
  /**
   * How the accounts ClassBridge creates sign in: Moodle's `auth` plugin (manual, oauth2, saml2, ldap, …)
   * and, for manual, whether Moodle makes and emails a password (createpassword) or the account gets a
   * random one nobody is told (the person uses "Forgotten password", or the admin sets one). External
   * auths keep no password. Never applied to an account ClassBridge adopted (see sync/apply/find-existing.ts).
   */
  signIn: SignInSchema.default({ auth: 'manual', emailPassword: true }),
  /**
   * LMS user field → SMS field (a key of the person's `extra`: yearLevel, house, tutorGroup, nsn, …).
   * The LMS field is a standard one (STANDARD_PROFILE_FIELDS) or `profile_field_<shortname>` for a custom
   * profile field. Sent on create, and on update when the SMS value changes.
   */
  profileFields: ProfileFieldsSchema.default({}),
  /** Term lifecycle (model/lifecycle.ts): ended courses closed on their own, rollover pauses. Absent: off. */
  lifecycle: LifecycleSchema.optional(),
  /** Cohorts from year level, house, tutor group or class (model/cohorts.ts). Absent: ClassBridge makes none. */
  cohorts: CohortsSchema.optional(),
  /** Results delivery (model/results-review.ts): automatic or after review, and the review margin. Absent: automatic, 0.5. */
  results: ResultsDeliverySchema.optional(),
  /** Parents and guardians (model/parents.ts): accounts with a parent role in each child's user context. Absent: off. */
  parents: ParentsSchema.optional(),
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
