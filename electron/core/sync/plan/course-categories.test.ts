import { describe, expect, it } from 'vitest';
import { MappingSchema, type Mapping } from '../../model';
import { emptyAppliedState } from './applied-state';
import { categoryExamples } from './preview';
import type { PlanInput } from './plan-input';
import { lmsCourse, mapping, planSchool, school, simulateApply } from '../../../test-support/plan-fixtures';

/** The tiny school with no LMS course yet: both SMS courses (MATH101 2026, ENG101 undated) are created. */
const plan = (m: Partial<Mapping>, extra: Partial<PlanInput> = {}) =>
  planSchool(school(), {
    lmsCourses: [],
    mapping: mapping(MappingSchema.parse(m)),
    options: { allowCourseCreation: true, timeZone: 'UTC' },
    ...extra,
  });
const categoriesOf = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(p.createCourses.map((c) => [c.record.shortname, c.record.categoryId]));

describe('category rules for created courses (mapping.courseCategories)', () => {
  it('the first matching rule wins; a course no rule matches goes to newCourseCategoryId', () => {
    const p = plan({
      newCourseCategoryId: 9,
      courseCategories: [
        { field: 'code', matches: '^MATH', categoryId: 4 },
        { field: 'year', equals: '2026', categoryId: 5 }, // MATH101 is 2026 too: the earlier rule wins
      ],
    });
    expect(categoriesOf(p)).toEqual({ MATH101: 4, ENG101: 9 });
  });

  it('equals compares the whole value; matches is a regular expression', () => {
    const p = plan({
      newCourseCategoryId: 9,
      courseCategories: [
        { field: 'code', equals: 'ENG', categoryId: 1 }, // not ENG101
        { field: 'name', matches: 'gli', categoryId: 2 }, // Eng-gli-sh
        { field: 'year', equals: '2026', categoryId: 3 },
      ],
    });
    expect(categoriesOf(p)).toEqual({ MATH101: 3, ENG101: 2 });
  });

  it('rules alone allow creation; a course no rule matches without a fallback is a planning error', () => {
    const p = plan({ courseCategories: [{ field: 'code', matches: '^MATH', categoryId: 4 }] });
    expect(categoriesOf(p)).toEqual({ MATH101: 4 });
    expect(p.errors).toEqual([
      expect.objectContaining({
        recordKey: 'C-ENG',
        message: expect.stringContaining('no category rule matches it'),
        fix: expect.stringContaining('category'),
      }),
    ]);
  });

  it('an existing course is never moved: rules only choose where creates go', () => {
    const m = { newCourseCategoryId: 9, courseCategories: [{ field: 'code', matches: '.', categoryId: 4 }] };
    // Matched (adopted) courses: no create, no update of their category.
    const matched = plan(m, { lmsCourses: [lmsCourse(501, 'MATH101', 'Open'), lmsCourse(502, 'ENG101', 'Open')] });
    expect(matched.createCourses).toEqual([]);
    expect(matched.updateCourses).toEqual([]);
    // Created under old rules, then the rules change: nothing is planned for the created courses.
    const first = plan({ newCourseCategoryId: 9 });
    const applied = simulateApply(emptyAppliedState(), first);
    const again = plan(m, { applied });
    expect(again.createCourses).toEqual([]);
    expect(again.updateCourses).toEqual([]);
    expect(again.counts.total).toBe(0);
  });

  it('the dry run names each new course with its category and the rule that chose it', () => {
    const m = MappingSchema.parse({
      newCourseCategoryId: 9,
      courseCategories: [{ field: 'code', matches: '^MATH', categoryId: 4 }],
    });
    const p = plan(m);
    expect(categoryExamples(p, { snapshot: school(), mapping: m })).toEqual([
      { key: 'C-MATH', name: 'MATH101 Mathematics', categoryId: 4, because: 'rule 1: code matches /^MATH/' },
      { key: 'C-ENG', name: 'ENG101 English', categoryId: 9, because: 'newCourseCategoryId (no rule matched)' },
    ]);
    // Without rules the mapping already says where new courses go: no examples.
    const plain = MappingSchema.parse({ newCourseCategoryId: 9 });
    expect(categoryExamples(plan(plain), { snapshot: school(), mapping: plain })).toBeUndefined();
  });
});
