import { describe, expect, it } from 'vitest';
import { generateSchool, SIZE_L } from './school';

describe('synthetic school', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(generateSchool({ seed: 7 })).toEqual(generateSchool({ seed: 7 }));
    expect(generateSchool({ seed: 7 }).students[0]).not.toEqual(generateSchool({ seed: 8 }).students[0]);
  });

  it('has names with macrons and apostrophes, unique ids, and enrolments that refer to real records', () => {
    const school = generateSchool({ seed: 1, size: { students: 400, enrolmentsPerStudent: 4 } });
    const names = school.students.map((s) => `${s.givenName} ${s.familyName}`).join('|');
    expect(names).toMatch(/[āēīōū]/);
    expect(names).toMatch(/'/);
    expect(new Set(school.students.map((s) => s.id)).size).toBe(400);
    const ids = new Set(school.students.map((s) => s.id));
    const classes = new Set(school.classes.map((c) => c.id));
    expect(school.enrolments.every((e) => ids.has(e.studentId) && classes.has(e.classId))).toBe(true);
  });

  it('makes the L size: 20,000 students and 100,000 enrolments, for NZ and AU', () => {
    for (const country of ['nz', 'au'] as const) {
      const school = generateSchool({ seed: 3, size: SIZE_L, country });
      expect(school.students).toHaveLength(20_000);
      expect(school.enrolments).toHaveLength(100_000);
    }
  });
});
