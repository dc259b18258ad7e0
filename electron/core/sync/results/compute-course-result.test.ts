import { describe, expect, it } from 'vitest';
import type { LmsGradeItem, LmsUserGrades } from '../../../../adapters/contract';
import { computeCourseResult } from './compute-course-result';

let nextId = 1;
function item(type: LmsGradeItem['type'], raw: number | null, extra: Partial<LmsGradeItem> = {}): LmsGradeItem {
  const id = nextId++;
  return {
    id,
    name: `${type} ${id}`,
    type,
    module: type === 'mod' ? 'assign' : null,
    cmid: type === 'mod' ? 100 + id : null,
    hidden: false,
    gradeMin: 0,
    gradeMax: 10,
    raw,
    formatted: raw === null ? '-' : raw.toFixed(2),
    percentage: raw === null ? null : raw * 10,
    ...extra,
  };
}
const student = (items: LmsGradeItem[]): LmsUserGrades => ({
  userId: 7,
  userIdnumber: 'S1',
  fullname: 'Maria Garcia',
  items,
});

describe('computeCourseResult', () => {
  it('counts graded activities over visible activities', () => {
    const result = computeCourseResult(student([item('mod', 5), item('mod', null), item('mod', 8)]));
    expect(result.progressPercent).toBe(66.67);
    expect(result.activities.map((a) => a.grade)).toEqual(['5.00', null, '8.00']);
    expect(result.activities.map((a) => a.percentage)).toEqual([50, null, 80]);
  });

  it('leaves hidden activities out of both counts and off the report card', () => {
    const hiddenGraded = item('mod', 9, { hidden: true });
    const hiddenUngraded = item('mod', null, { hidden: true });
    const result = computeCourseResult(student([item('mod', 5), item('mod', null), hiddenGraded, hiddenUngraded]));
    expect(result.progressPercent).toBe(50);
    expect(result.activities.map((a) => a.itemId)).not.toContain(hiddenGraded.id);
    expect(result.activities).toHaveLength(2);
  });

  it('ignores course and category totals and manual items as activities, but takes the course grade', () => {
    const course = item('course', 72.5, { formatted: '72.50', percentage: 72.5 });
    const result = computeCourseResult(
      student([
        course,
        item('category', 30),
        item('manual', null),
        item('manual', 4),
        item('mod', 3),
        item('mod', null),
      ]),
    );
    expect(result.progressPercent).toBe(50);
    expect(result.activities).toHaveLength(2);
    expect(result.grade).toBe('72.50');
    expect(result.gradePercent).toBe(72.5);
  });

  it('gives 0 % and no grade for an empty course', () => {
    expect(computeCourseResult(student([]))).toEqual({
      progressPercent: 0,
      grade: null,
      gradePercent: null,
      activities: [],
    });
    // Only totals and a hidden activity: still nothing to do.
    const onlyTotals = computeCourseResult(student([item('course', null), item('mod', 5, { hidden: true })]));
    expect(onlyTotals.progressPercent).toBe(0);
    expect(onlyTotals.grade).toBeNull();
    expect(onlyTotals.gradePercent).toBeNull();
  });

  it('keeps letter grades as the LMS shows them and treats "-" as no grade', () => {
    const result = computeCourseResult(
      student([item('course', 85, { formatted: 'B+', percentage: 85 }), item('mod', 10, { formatted: 'A' })]),
    );
    expect(result.grade).toBe('B+');
    expect(result.activities[0]?.grade).toBe('A');
    expect(result.progressPercent).toBe(100);
  });
});
