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

  it('keeps the course percentage unrounded beside the two-decimal one (Moodle shows 49.995 as 50.00)', () => {
    const total = item('course', 49.995, { gradeMax: 100, formatted: '50.00', percentage: 50 });
    const result = computeCourseResult(student([item('mod', 8), total]));
    expect(result).toMatchObject({ grade: '50.00', gradePercent: 50, gradeExact: 49.995 });
    // Floating-point noise is not a grade: 29 of 100 is 29 %, not 28.999999999999996 %.
    expect(computeCourseResult(student([item('course', 0.29, { gradeMax: 1 })])).gradeExact).toBe(29);
    // With the report's range column off, only Moodle's rounded percentage is known.
    const noRange = item('course', 49.995, { gradeMin: null, gradeMax: null, formatted: '50.00', percentage: 50 });
    expect(computeCourseResult(student([noRange])).gradeExact).toBe(50);
  });

  it('gives 0 % and no grade for an empty course', () => {
    expect(computeCourseResult(student([]))).toEqual({
      progressPercent: 0,
      grade: null,
      gradePercent: null,
      gradeExact: null,
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

describe('computeCourseResult: a course total a hidden mark counts in', () => {
  /** Natural aggregation: the total is the sum of the graded items (7 + 4 + 9 of 30), the last one hidden. */
  const natural = (total: Partial<LmsGradeItem> = {}, hiddenExtra: Partial<LmsGradeItem> = {}) =>
    student([
      item('mod', 7),
      item('manual', 4),
      item('mod', 9, { hidden: true, ...hiddenExtra }),
      item('mod', null),
      item('course', 20, { gradeMax: 30, formatted: '20.00', percentage: 66.67, ...total }),
    ]);

  it("is not sent by default (Moodle's own default: the student sees no total)", () => {
    expect(computeCourseResult(natural())).toMatchObject({ grade: null, gradePercent: null, progressPercent: 50 });
  });

  it("'recompute' sums the released items again, in Moodle's display of the real total", () => {
    expect(computeCourseResult(natural(), { hiddenTotals: 'recompute' })).toMatchObject({
      grade: '11.00',
      gradePercent: 55,
    });
    const asPercent = computeCourseResult(natural({ formatted: '66.67 %' }), { hiddenTotals: 'recompute' });
    expect(asPercent).toMatchObject({ grade: '55.00 %', gradePercent: 55 });
    // A letter needs the course's letter boundaries, which the report does not give.
    const asLetter = computeCourseResult(natural({ formatted: 'C' }), { hiddenTotals: 'recompute' });
    expect(asLetter).toMatchObject({ grade: null, gradePercent: 55 });
  });

  it("'recompute' sends nothing where the total is not the plain sum Moodle's figure proves", () => {
    // Mean of grades: a 0–100 total that no sum of the items gives.
    const mean = natural({ raw: 70, gradeMax: 100, formatted: '70.00', percentage: 70 });
    expect(computeCourseResult(mean, { hiddenTotals: 'recompute' })).toMatchObject({ grade: null, gradePercent: null });
    // A hidden category: which items sit under it is not in the report.
    const hiddenCategory = student([
      item('mod', 7),
      item('category', 7, { hidden: true }),
      item('course', 7, { gradeMax: 10, formatted: '7.00', percentage: 70 }),
    ]);
    expect(computeCourseResult(hiddenCategory, { hiddenTotals: 'recompute' }).grade).toBeNull();
  });

  it('a hidden course total is never sent; a hidden item without a mark changes nothing', () => {
    expect(computeCourseResult(natural({ hidden: true }), { hiddenTotals: 'recompute' }).grade).toBeNull();
    const unmarked = student([
      item('mod', 7),
      item('mod', null, { hidden: true }),
      item('course', 7, { formatted: '7.00', percentage: 70 }),
    ]);
    expect(computeCourseResult(unmarked)).toMatchObject({ grade: '7.00', gradePercent: 70, progressPercent: 100 });
  });
});
