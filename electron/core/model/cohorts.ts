import { z } from 'zod';
import { parseTemplate } from './template';

/**
 * Cohort rules (mapping.cohorts): LMS cohorts made from an SMS person field, e.g. one cohort per year level
 * (`{ from: 'yearLevel', name: 'Year {value}' }`), per house, per tutor group, or per class
 * (`from: 'class'`: each SMS class (group) a person is in, or the course itself where the enrolment names
 * no class; students by their student enrolments, staff by the classes they teach).
 *
 * ClassBridge owns the cohorts it makes: each has an idnumber `classbridge:<from>:<value>` (the same on
 * every connection, and unchanged when the name template changes, so a renamed template never makes a
 * second cohort), and a cohort without such an idnumber is never touched. Members ClassBridge added leave
 * when the person no longer qualifies, unless the removal policy is `keep`; members added by hand stay.
 *
 * `from` names a key of the SMS's `extra` (yearLevel, house, tutorGroup, formClass, … which differ per SMS,
 * so they are checked against the snapshot in the dry run, like templates' fields) or `class`. `name` is a
 * person template (model/template.ts) that may also use `{value}` (the value the cohort is for); fields
 * other than {value} are taken from the first member, so use ones every member shares.
 */

/** The `from` that makes one cohort per SMS class (or course) rather than per field value. */
export const COHORT_FROM_CLASS = 'class';

/** Moodle's cohort.name is varchar(254); longer names are cut. */
export const COHORT_NAME_MAX = 254;

export const CohortRuleSchema = z
  .object({
    from: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
        'Name an SMS person field (for example yearLevel, house, tutorGroup, formClass) or "class"',
      ),
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name template, for example Year {value}')
      .max(500)
      .superRefine((source, ctx) => {
        const parsed = parseTemplate(source, 'person');
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
        else if (parsed.template.hasCounter)
          ctx.addIssue({
            code: 'custom',
            message: '{n} (the collision suffix) is for usernames and emails, not cohort names.',
          });
      })
      .default('{value}'),
    roles: z
      .array(z.enum(['student', 'staff']))
      .min(1, 'Choose who the cohorts are for: student, staff or both')
      .default(['student']),
  })
  .strict();
export type CohortRule = z.infer<typeof CohortRuleSchema>;

export const CohortsSchema = z
  .object({
    rules: z
      .array(CohortRuleSchema)
      .max(50)
      .superRefine((rules, ctx) => {
        // The cohort's idnumber is made from `from` and the value, so two rules from one field would fight over it.
        const seen = new Set<string>();
        rules.forEach((r, i) => {
          if (seen.has(r.from))
            ctx.addIssue({
              code: 'custom',
              path: [i, 'from'],
              message: `Two cohort rules use "${r.from}". Keep one (give it both roles if it is for students and staff).`,
            });
          seen.add(r.from);
        });
      }),
    /** The course category whose context holds the cohorts; absent: the system context (site-wide). */
    categoryId: z.number().int().positive().optional(),
  })
  .strict();
export type Cohorts = z.infer<typeof CohortsSchema>;
