import { describe, expect, it } from 'vitest';
import type { CourseListItem } from '../core/contract/contract';
import { resolveCourses } from './commands/courses';

function course(connectionId: string, lmsId: number, shortname: string, idnumber = ''): CourseListItem {
  const seen = '2026-12-01T00:00:00.000Z';
  return {
    connectionId,
    lmsId,
    shortname,
    fullname: shortname,
    idnumber,
    state: 'New',
    firstSeen: seen,
    lastSeen: seen,
  };
}

// How `classbridge courses open|close` finds the courses an admin names.
describe('resolveCourses', () => {
  const main = [course('main', 2, 'MATH101', 'MATH'), course('main', 3, 'BIO110'), course('main', 30, '2')];
  const both = [...main, course('other', 7, 'BIO110')];

  it('finds a course by LMS id first, then short name, then id number, in any case', () => {
    expect(resolveCourses(main, ['2']).map((c) => c.lmsId)).toEqual([2]);
    expect(resolveCourses(main, ['bio110', 'math']).map((c) => c.lmsId)).toEqual([3, 2]);
    // Named twice, changed once.
    expect(resolveCourses(main, ['MATH101', '2'])).toHaveLength(1);
  });

  it('changes nothing when a name is unknown, and names every unknown one', () => {
    expect(() => resolveCourses(main, ['MATH101', 'NOPE', 'GONE'])).toThrow(
      /^Nothing was changed\. No course "NOPE", "GONE" in the course list/,
    );
  });

  it('asks for --connection when a name matches courses in two LMS connections', () => {
    expect(() => resolveCourses(both, ['BIO110'])).toThrow(
      '"BIO110" matches courses in more than one LMS: add --connection <id>.',
    );
    expect(
      resolveCourses(
        both.filter((c) => c.connectionId === 'other'),
        ['BIO110'],
      )[0]?.lmsId,
    ).toBe(7);
  });
});
