import type { Snapshot } from '../core/model';

/**
 * A synthetic school for benchmarks and planner tests: `students` students, `courses` courses with one
 * class each, `perStudent` enrolments each (in consecutive courses, so never twice in one course while
 * perStudent ≤ courses).
 */
export function makeSnapshot(students: number, courses: number, perStudent: number): Snapshot {
  const snapshot: Snapshot = { people: [], courses: [], groups: [], enrolments: [] };
  for (let c = 0; c < courses; c++) {
    snapshot.courses.push({ smsId: `C${c}`, code: `CODE${c}`, name: `Course ${c}` });
    snapshot.groups.push({ smsId: `G${c}`, courseSmsId: `C${c}`, name: `Class ${c}` });
  }
  for (let s = 0; s < students; s++) {
    snapshot.people.push({
      smsId: `S${s}`,
      role: 'student',
      givenName: `Given${s}`,
      familyName: `Family${s}`,
      username: `student${s}`,
      email: `s${s}@school.example`,
      active: true,
    });
    for (let k = 0; k < perStudent; k++) {
      const c = (s + k) % courses;
      snapshot.enrolments.push({
        personSmsId: `S${s}`,
        courseSmsId: `C${c}`,
        groupSmsIds: [`G${c}`],
        role: 'student',
        active: true,
      });
    }
  }
  return snapshot;
}
