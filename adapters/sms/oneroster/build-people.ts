import type { SmsPerson, SmsSnapshot, SmsWarning } from '../../contract';
import { isGuardianRole } from './build-guardians';
import { personRole } from './role-mapping';
import type { RosterData } from './roster-data';

/**
 * People for the snapshot. users bulk → exactly the users in the file (tobedeleted/inactive/disabled ones
 * kept as inactive, so the engine suspends rather than forgets them); users delta → the base with the changed
 * users replaced and tobedeleted ones removed; users absent → the base. In 1.2 the role comes from roles.csv,
 * falling back to the base person's role in a delta.
 */
export interface PeopleResult {
  people: Map<string, SmsPerson>;
  /** Users deliberately left out (guardians, parents, unknown roles): their enrolments are skipped too. */
  leftOut: Set<string>;
}

export function buildPeople(
  data: RosterData,
  base: () => SmsSnapshot | undefined,
  warnings: SmsWarning[],
): PeopleResult {
  const mode = data.modes.get('users') ?? 'absent';
  const people = new Map<string, SmsPerson>(mode === 'bulk' ? [] : (base()?.people ?? []).map((p) => [p.smsId, p]));
  const leftOut = new Set<string>();
  // Only a user with no role of their own falls back to the base, so the base is looked up only then.
  let baseRoles: Map<string, SmsPerson['role']> | undefined;
  const baseRole = (id: string): SmsPerson['role'] | undefined =>
    (baseRoles ??= new Map((base()?.people ?? []).map((p) => [p.smsId, p.role]))).get(id);
  const notImported = new Map<string, number>();
  const unknown = new Map<string, number>();
  const count = (map: Map<string, number>, role: string): void => void map.set(role, (map.get(role) ?? 0) + 1);

  for (const [id, record] of data.users ?? []) {
    if (mode === 'delta' && record.status === 'tobedeleted') {
      people.delete(id);
      continue;
    }
    const role = record.oneRosterRole ?? data.roles?.get(id)?.role;
    const mapped = role === undefined ? baseRole(id) : personRole(role);
    if (mapped === null) {
      count(notImported, role ?? '');
      leftOut.add(id);
      people.delete(id);
      continue;
    }
    if (mapped === undefined) {
      count(unknown, role ?? '(no role in roles.csv)');
      leftOut.add(id);
      people.delete(id);
      continue;
    }
    // The records are this import's own objects: finish them in place rather than copy a million people.
    const person = record.person;
    person.role = mapped;
    if (role !== undefined) person.extra = Object.assign(person.extra ?? {}, { oneRosterRole: role });
    people.set(id, person);
  }
  if (mode === 'absent') applyRoleChanges(data, people, leftOut);
  for (const [role, n] of notImported) {
    warnings.push({
      message: isGuardianRole(role)
        ? `${n} user(s) with role "${role}" are parents and guardians, not students or staff: they reach the LMS only where an LMS connection's parents rule is on`
        : `${n} user(s) with role "${role}" are not LMS people and were left out`,
      file: 'users.csv',
      field: 'role',
    });
  }
  for (const [role, n] of unknown) {
    warnings.push({
      message: `${n} user(s) with unknown role "${role}" were left out`,
      file: data.version === '1.1' ? 'users.csv' : 'roles.csv',
      field: 'role',
    });
  }
  return { people, leftOut };
}

/** A 1.2 delta may change only roles.csv: apply the new roles to the base people. */
function applyRoleChanges(data: RosterData, people: Map<string, SmsPerson>, leftOut: Set<string>): void {
  for (const [id, { role }] of data.roles ?? []) {
    const person = people.get(id);
    if (!person) continue;
    const mapped = personRole(role);
    if (mapped) people.set(id, { ...person, role: mapped, extra: { ...person.extra, oneRosterRole: role } });
    else {
      people.delete(id);
      leftOut.add(id);
    }
  }
}
