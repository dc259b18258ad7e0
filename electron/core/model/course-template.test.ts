import { describe, expect, it } from 'vitest';
import { MappingSchema } from './connection';
import { chooseCourseCategory } from './course-category';
import { chooseCourseTemplate } from './course-template';
import { courseTemplateValues } from './template';

const issues = (courseTemplates: unknown) => {
  const r = MappingSchema.safeParse({ courseTemplates });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const course = (over: Partial<Parameters<typeof courseTemplateValues>[0]> = {}) =>
  courseTemplateValues({ smsId: 'C1', code: '10MAT', name: 'Year 10 Maths', startDate: '2027-02-01', ...over });

describe('mapping.courseTemplates', () => {
  it('accepts equals and matches rules on any course field, term and subject included', () => {
    expect(
      issues([
        { field: 'subject', equals: 'Mathematics', templateCourseId: 41 },
        { field: 'term', matches: '^Term [12]$', templateCourseId: 42 },
        { field: 'code', matches: '^10', templateCourseId: 43 },
      ]),
    ).toEqual([]);
  });

  it('refuses what a category rule refuses, with the same words, and a template id that is no course id', () => {
    expect(issues([{ field: 'department', equals: 'x', templateCourseId: 4 }])).toEqual([
      'courseTemplates.0.field: Unknown course field "department". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    ]);
    expect(issues([{ field: 'code', templateCourseId: 4 }])).toEqual([
      'courseTemplates.0: Give a rule exactly one of "equals" (the whole value) or "matches" (a regular expression).',
    ]);
    expect(issues([{ field: 'code', matches: '(', templateCourseId: 4 }])[0]).toMatch(
      /^courseTemplates\.0\.matches: "\(" is not a valid regular expression/,
    );
    expect(issues([{ field: 'code', equals: 'A', templateCourseId: 0 }])[0]).toMatch(
      /^courseTemplates\.0\.templateCourseId:/,
    );
    expect(issues([{ field: 'code', equals: 'A', templateCourseId: 4, categoryId: 3 }])[0]).toMatch(/categoryId/);
  });

  it('the first matching rule wins; no match is an empty course (undefined)', () => {
    const mapping = MappingSchema.parse({
      courseTemplates: [
        { field: 'subject', equals: 'Mathematics', templateCourseId: 41 },
        { field: 'code', matches: '^10', templateCourseId: 43 },
      ],
    });
    expect(chooseCourseTemplate(mapping, course({ subject: 'Mathematics' }))).toEqual({
      templateCourseId: 41,
      rule: 0,
      because: 'rule 1: subject equals "Mathematics"',
    });
    expect(chooseCourseTemplate(mapping, course())).toMatchObject({ templateCourseId: 43, rule: 1 });
    expect(chooseCourseTemplate(mapping, course({ code: '11ENG' }))).toBeUndefined();
    expect(chooseCourseTemplate(MappingSchema.parse({}), course())).toBeUndefined();
  });

  it('category rules test the term with the same matcher', () => {
    const mapping = MappingSchema.parse({
      newCourseCategoryId: 1,
      courseCategories: [{ field: 'term', equals: 'Term 1', categoryId: 7 }],
    });
    expect(chooseCourseCategory(mapping, course({ term: 'Term 1' }))).toMatchObject({ categoryId: 7, rule: 0 });
    expect(chooseCourseCategory(mapping, course({ term: 'Term 2' }))).toMatchObject({ categoryId: 1 });
  });
});
