import { describe, expect, it } from 'vitest';
import type { ResultReview } from '../../../../electron/core/model';
import { CSV_HEADER, csvRow, matchesSearch, reviewKey, studentLabel } from './review-rows';

const review: ResultReview = {
  connectionId: 'moodle-main',
  lmsCourseId: 12,
  personSmsId: 'S1',
  courseSmsId: 'BSBWHS211',
  personName: 'Aroha Ngata',
  course: 'Work health and safety',
  reason: 'margin',
  state: 'pending',
  smsValue: '70',
  deliveredValue: null,
  newValue: '30',
  detail: {
    grade: '50.00',
    gradePercent: 50,
    exactPercent: 49.995,
    passPercent: 50,
    marginPoints: -0.005,
    progressPercent: 100,
    completed: true,
    why: '49.995 % against 50 % (the LMS shows 50.00): 0.005 points below',
  },
  createdAt: '2026-11-23T09:00:00.000Z',
  decidedAt: null,
};

describe('Results page rows', () => {
  it('exports the exact figures, the margin and why, one column each', () => {
    const row = csvRow(review);
    expect(row).toHaveLength(CSV_HEADER.length);
    const cell = (name: string) => row[CSV_HEADER.indexOf(name)];
    expect(cell('Grade % (exact)')).toBe(49.995);
    expect(cell('Margin (points)')).toBe(-0.005);
    expect(cell('Reason')).toBe('Near the pass mark');
    expect(cell('SMS now')).toBe('70');
    expect(cell('New value')).toBe('30');
    expect(cell('Why')).toContain('0.005 points below');
  });

  it('searches the student, course and values, and names the student with the SMS id', () => {
    expect(studentLabel(review)).toBe('Aroha Ngata (S1)');
    expect(studentLabel({ ...review, personName: null })).toBe('S1');
    expect(matchesSearch(review, 'ngata')).toBe(true);
    expect(matchesSearch(review, 'bsbwhs')).toBe(true);
    expect(matchesSearch(review, 'nobody')).toBe(false);
    expect(reviewKey(review)).not.toBe(reviewKey({ ...review, lmsCourseId: 13 }));
  });
});
