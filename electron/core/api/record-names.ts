import type { RunError } from '../model';
import type { Store } from '../store/store';

/** The two SMS ids of an enrolment (`[person, course]`) or a class membership (`[group, person]`) key. */
function pair(key: string): [string, string] | undefined {
  try {
    const parsed: unknown = JSON.parse(key);
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')
      ? [parsed[0] as string, parsed[1] as string]
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Errors' records in the admin's words, from the current snapshot: "Aroha Ngata (20533)", "10ENG English",
 * "Aroha Ngata (20533) in 10ENG English", never a raw key such as `["stu-1","cls-9"]`. A record no longer
 * in the snapshot keeps its SMS id. One lookup per kind for the whole list.
 */
export function recordNames(store: Store, errors: readonly RunError[]): Map<number, string> {
  const people: string[] = [];
  const courses: string[] = [];
  const groups: string[] = [];
  for (const e of errors) {
    if (e.recordKind === 'person') people.push(e.recordKey);
    else if (e.recordKind === 'course') courses.push(e.recordKey);
    else if (e.recordKind === 'group') groups.push(e.recordKey);
    else if (e.recordKind === 'enrolment' || e.recordKind === 'membership') {
      const ids = pair(e.recordKey);
      if (!ids) continue;
      const [a, b] = ids;
      if (e.recordKind === 'enrolment') {
        people.push(a);
        courses.push(b);
      } else {
        groups.push(a);
        people.push(b);
      }
    }
  }
  const names = store.snapshot.namesOf({ people, courses, groups });
  const person = (id: string) => {
    const name = names.people.get(id);
    return name ? `${name} (${id})` : id;
  };
  const course = (id: string) => names.courses.get(id) ?? id;
  const group = (id: string) => {
    const g = names.groups.get(id);
    return g ? `class ${g.name}` : `class ${id}`;
  };
  const out = new Map<number, string>();
  for (const e of errors) {
    const ids = pair(e.recordKey);
    const name =
      e.recordKind === 'person'
        ? person(e.recordKey)
        : e.recordKind === 'course'
          ? course(e.recordKey)
          : e.recordKind === 'group'
            ? group(e.recordKey)
            : e.recordKind === 'enrolment' && ids
              ? `${person(ids[0])} in ${course(ids[1])}`
              : e.recordKind === 'membership' && ids
                ? `${person(ids[1])} in ${group(ids[0])}`
                : e.recordKey;
    out.set(e.id, name);
  }
  return out;
}
