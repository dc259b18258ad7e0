import { z } from 'zod';
import { COURSE_TEMPLATE_FIELDS } from './template';

/**
 * Category rules for the courses ClassBridge creates (mapping.courseCategories): per subject, year or
 * term, e.g. `{ field: 'year', equals: '2026', categoryId: 12 }` or `{ field: 'code', matches: '^MATH',
 * categoryId: 4 }`. The first rule that matches wins; a course no rule matches goes to
 * `newCourseCategoryId`. Only creates read them: an existing course is never moved (a teacher or admin
 * may have put it where it is on purpose).
 *
 * `field` is a course field the name templates know (COURSE_TEMPLATE_FIELDS), so one vocabulary serves
 * both. `matches` is a JavaScript regular expression, unanchored (use ^…$ for the whole value), checked
 * when the mapping is parsed so a typo is refused with the reason rather than failing at run time.
 */
/**
 * The test part of a course rule (`field` and exactly one of `equals` / `matches`), shared by the
 * category rules here and the template rules (model/course-template.ts): `target` is what a match gives.
 */
export function courseRuleSchema<T extends z.ZodRawShape>(target: T) {
  return z
    .object({
      field: z.string().superRefine((field, ctx) => {
        if (!(COURSE_TEMPLATE_FIELDS as readonly string[]).includes(field))
          ctx.addIssue({
            code: 'custom',
            message: `Unknown course field "${field}". The fields are: ${COURSE_TEMPLATE_FIELDS.join(', ')}.`,
          });
      }),
      equals: z.string().optional(),
      matches: z
        .string()
        .min(1)
        .max(500)
        .superRefine((source, ctx) => {
          const error = regexError(source);
          if (error)
            ctx.addIssue({ code: 'custom', message: `"${source}" is not a valid regular expression: ${error}` });
        })
        .optional(),
      ...target,
    })
    .strict()
    .superRefine((rule, ctx) => {
      const test = rule as { equals?: unknown; matches?: unknown }; // the generic target hides the keys from TypeScript
      if ((test.equals === undefined) === (test.matches === undefined))
        ctx.addIssue({
          code: 'custom',
          message: 'Give a rule exactly one of "equals" (the whole value) or "matches" (a regular expression).',
        });
    });
}

export const CourseCategoryRuleSchema = courseRuleSchema({ categoryId: z.number().int().positive() });
export type CourseCategoryRule = z.infer<typeof CourseCategoryRuleSchema>;

export const CourseCategoriesSchema = z.array(CourseCategoryRuleSchema).max(200);

function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
  }
}

/** Where one new course goes and why (the dry run says which rule). */
export interface CourseCategoryChoice {
  categoryId: number;
  /** The rule's index in mapping.courseCategories, or undefined for the fallback (newCourseCategoryId). */
  rule?: number;
  /** e.g. `rule 2: year equals "2026"` or `newCourseCategoryId (no rule matched)`. */
  because: string;
}

/** The test of a course rule, as the matcher reads it. */
export interface CourseRuleTest {
  field: string;
  equals?: string | undefined;
  matches?: string | undefined;
}

/**
 * The first rule whose test the course passes (its index, and the words the dry run shows), or undefined.
 * The one matcher of every course rule: categories and templates alike.
 */
export function firstMatchingRule<R extends CourseRuleTest>(
  rules: readonly R[],
  values: (field: string) => string | undefined,
): { rule: R; index: number; because: string } | undefined {
  for (const [i, r] of rules.entries()) {
    const value = values(r.field) ?? '';
    const hit = r.equals !== undefined ? value === r.equals : new RegExp(r.matches ?? '').test(value);
    if (hit) {
      const test = r.equals !== undefined ? `equals "${r.equals}"` : `matches /${r.matches}/`;
      return { rule: r, index: i, because: `rule ${i + 1}: ${r.field} ${test}` };
    }
  }
  return undefined;
}

/** The first matching rule's category, else the fallback; undefined when neither gives one. */
export function chooseCourseCategory(
  mapping: { courseCategories?: readonly CourseCategoryRule[] | undefined; newCourseCategoryId?: number | undefined },
  values: (field: string) => string | undefined,
): CourseCategoryChoice | undefined {
  const rules = mapping.courseCategories ?? [];
  const hit = firstMatchingRule(rules, values);
  if (hit) return { categoryId: hit.rule.categoryId, rule: hit.index, because: hit.because };
  if (mapping.newCourseCategoryId === undefined) return undefined;
  return {
    categoryId: mapping.newCourseCategoryId,
    because: rules.length > 0 ? 'newCourseCategoryId (no rule matched)' : 'newCourseCategoryId',
  };
}
