import { GIVEN_NAMES } from './names';
import { pick, seededRandom } from './random';
import { ascii, type SyntheticSchool } from './school';

/** A parent or caregiver of one or more of the school's students (written by the OneRoster and KAMAR fixtures). */
export interface SyntheticGuardian {
  id: string;
  givenName: string;
  familyName: string;
  /** Empty for a guardian the SMS has no email for. */
  email: string;
  /** KAMAR's caregiver relationship word, e.g. Mother, Father, Caregiver. */
  relationship: string;
  /** OneRoster's role for them. */
  oneRosterRole: 'parent' | 'guardian' | 'relative';
  /** The students they are a guardian of. */
  studentIds: string[];
}

const RELATIONSHIPS: readonly [string, SyntheticGuardian['oneRosterRole']][] = [
  ['Mother', 'parent'],
  ['Father', 'parent'],
  ['Caregiver', 'guardian'],
  ['Grandparent', 'relative'],
];

/**
 * The school with a guardian per student, deterministic for the seed: every fourth student shares the
 * previous student's guardian (siblings), and every `noEmailEvery`-th guardian has no email (so the
 * parents rule's planning error is exercised). Returns a new school; the input is not changed.
 */
export function withGuardians(
  school: SyntheticSchool,
  options: { seed?: number; noEmailEvery?: number } = {},
): SyntheticSchool {
  const random = seededRandom(options.seed ?? 15);
  const guardians: SyntheticGuardian[] = [];
  school.students.forEach((student, i) => {
    const previous = guardians.at(-1);
    if (previous && i % 4 === 3) {
      previous.studentIds.push(student.id);
      return;
    }
    const n = guardians.length + 1;
    const givenName = pick(random, GIVEN_NAMES);
    const [relationship, oneRosterRole] = RELATIONSHIPS[n % RELATIONSHIPS.length]!;
    const noEmail = options.noEmailEvery !== undefined && n % options.noEmailEvery === 0;
    guardians.push({
      id: `gdn-${n}`,
      givenName,
      familyName: student.familyName,
      email: noEmail ? '' : `${ascii(givenName)}.${ascii(student.familyName)}${n}@home.example`.toLowerCase(),
      relationship,
      oneRosterRole,
      studentIds: [student.id],
    });
  });
  return { ...school, guardians };
}

/** Guardian ids per student, both directions of the links. */
export function guardiansOf(school: SyntheticSchool): Map<string, string[]> {
  const byStudent = new Map<string, string[]>();
  for (const g of school.guardians ?? [])
    for (const s of g.studentIds) byStudent.set(s, [...(byStudent.get(s) ?? []), g.id]);
  return byStudent;
}
