import { COURSE_FIELDS } from './rules-draft';

/**
 * The engine's reason for a course's category or template (model/course-category.ts chooseCourseCategory:
 * `rule 2: year equals "2026"`, `newCourseCategoryId (no rule matched)`) in the words of the editors,
 * without the configuration file's keys. A reason in another form is shown as it is.
 */
export function describeBecause(because: string): string {
  if (because.startsWith('newCourseCategoryId'))
    return because.includes('no rule matched')
      ? 'no rule fits: the category for new courses'
      : 'the category for new courses';
  const rule = /^rule (\d+): (\w+) (equals "(.*)"|matches \/(.*)\/)$/.exec(because);
  if (!rule) return because;
  const field = COURSE_FIELDS.find((f) => f.value === rule[2])?.label.toLowerCase() ?? rule[2];
  const test = rule[4] !== undefined ? `is “${rule[4]}”` : `matches the pattern ${rule[5] ?? ''}`;
  return `rule ${rule[1]}: ${field} ${test}`;
}
