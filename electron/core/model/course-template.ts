import { z } from 'zod';
import { courseRuleSchema, firstMatchingRule } from './course-category';

/**
 * Template rules for the courses ClassBridge creates (mapping.courseTemplates): a course a rule matches
 * is made as a copy of an existing LMS course (its sections, activities and gradebook; no people), e.g.
 * `{ field: 'code', matches: '^MATH', templateCourseId: 41 }`. The test is a category rule's (`field`,
 * exactly one of `equals` / `matches`, model/course-category.ts); the first rule that matches wins, and a
 * course no rule matches is created empty, as without rules. Only creates read them: an existing course
 * is never refilled from a template.
 */
export const CourseTemplateRuleSchema = courseRuleSchema({ templateCourseId: z.number().int().positive() });
export type CourseTemplateRule = z.infer<typeof CourseTemplateRuleSchema>;

export const CourseTemplatesSchema = z.array(CourseTemplateRuleSchema).max(200);

/** Which LMS course a new course is copied from and why (the plan carries it, the dry run shows it). */
export interface CourseTemplateChoice {
  templateCourseId: number;
  /** The rule's index in mapping.courseTemplates. */
  rule: number;
  /** e.g. `rule 1: code matches /^MATH/`. */
  because: string;
}

/** The first matching rule's template; undefined (an empty course) when no rule matches. */
export function chooseCourseTemplate(
  mapping: { courseTemplates?: readonly CourseTemplateRule[] | undefined },
  values: (field: string) => string | undefined,
): CourseTemplateChoice | undefined {
  const hit = firstMatchingRule(mapping.courseTemplates ?? [], values);
  return hit && { templateCourseId: hit.rule.templateCourseId, rule: hit.index, because: hit.because };
}
