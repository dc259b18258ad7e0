import type { Snapshot } from '../core/model';

/** How a synthetic school names its courses, classes and students (by course index `c`, student index `s`). */
export interface SyntheticNames {
  courseCode(c: number): string;
  courseName(c: number): string;
  groupName(c: number): string;
  username(s: number): string;
  email(s: number): string;
}

/** The benchmarks' and planner tests' names. */
const DEFAULT_NAMES: SyntheticNames = {
  courseCode: (c) => `CODE${c}`,
  courseName: (c) => `Course ${c}`,
  groupName: (c) => `Class ${c}`,
  username: (s) => `student${s}`,
  email: (s) => `s${s}@school.example`,
};

/**
 * A synthetic school for benchmarks and planner tests: `students` students, `courses` courses with one
 * class each, `perStudent` enrolments each (in consecutive courses, so never twice in one course while
 * perStudent ≤ courses).
 */
export function makeSnapshot(
  students: number,
  courses: number,
  perStudent: number,
  names: SyntheticNames = DEFAULT_NAMES,
): Snapshot {
  const snapshot: Snapshot = { people: [], courses: [], groups: [], enrolments: [] };
  for (let c = 0; c < courses; c++) {
    snapshot.courses.push({ smsId: `C${c}`, code: names.courseCode(c), name: names.courseName(c) });
    snapshot.groups.push({ smsId: `G${c}`, courseSmsId: `C${c}`, name: names.groupName(c) });
  }
  for (let s = 0; s < students; s++) {
    snapshot.people.push({
      smsId: `S${s}`,
      role: 'student',
      givenName: `Given${s}`,
      familyName: `Family${s}`,
      username: names.username(s),
      email: names.email(s),
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
