import { describe, expect, it } from 'vitest';
import { MappingSchema } from './connection';

const issues = (courseCategories: unknown) => {
  const r = MappingSchema.safeParse({ courseCategories });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('mapping.courseCategories validation', () => {
  it('accepts equals and matches rules', () => {
    expect(
      issues([
        { field: 'year', equals: '2026', categoryId: 3 },
        { field: 'code', matches: '^(MATH|SCI)\\d+$', categoryId: 4 },
      ]),
    ).toEqual([]);
  });

  it('an unknown field is refused, naming the fields that exist', () => {
    expect(issues([{ field: 'semester', equals: '1', categoryId: 3 }])).toEqual([
      'courseCategories.0.field: Unknown course field "semester". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    ]);
  });

  it('a bad regular expression is refused with the reason', () => {
    const [issue] = issues([{ field: 'code', matches: '^(MATH', categoryId: 3 }]);
    expect(issue).toMatch(/^courseCategories\.0\.matches: "\^\(MATH" is not a valid regular expression: .*/);
  });

  it('a rule needs exactly one of equals or matches, a positive category id, and no other keys', () => {
    expect(issues([{ field: 'code', categoryId: 3 }])).toEqual([
      'courseCategories.0: Give a rule exactly one of "equals" (the whole value) or "matches" (a regular expression).',
    ]);
    expect(issues([{ field: 'code', equals: 'A', matches: 'A', categoryId: 3 }])).toHaveLength(1);
    expect(issues([{ field: 'code', equals: 'A', categoryId: 0 }])[0]).toMatch(/^courseCategories\.0\.categoryId:/);
    expect(issues([{ field: 'code', equals: 'A', categoryId: 3, category: 4 }])[0]).toMatch(/category/);
  });
});
