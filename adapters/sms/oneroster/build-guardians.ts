import type { SmsGuardian, SmsGuardianLink } from '../../../electron/core/model/sms-snapshot';
import type { SmsPerson, SmsSnapshot } from '../../contract';
import type { RosterData } from './roster-data';

/** OneRoster roles that are a student's parents and guardians (E.1 users.role / roles.role). */
const GUARDIAN_ROLES = new Set(['guardian', 'parent', 'relative']);

export function isGuardianRole(role: string | undefined): boolean {
  return role !== undefined && GUARDIAN_ROLES.has(role.toLowerCase());
}

/**
 * Parents and guardians from users.csv (1.1: users.role; 1.2: the role from roles.csv): guardian, parent
 * and relative users become the snapshot's `guardians` (name, email and their OneRoster role as the
 * relationship; no phone, sms or password is kept), never `people`. Links come from `agentSourcedIds`,
 * read on both sides, as exports use either: a student's agents are their guardians, a guardian's
 * agents are their students (E.1: "the set of users that are agents of this user"). A link is kept only
 * between a guardian and a person of the snapshot.
 *
 * Bulk users.csv: exactly the guardians and links in the file. Delta: the base's, with a changed
 * guardian's own links replaced by what its row declares, a changed student's declared links added, and a
 * tobedeleted user's links gone. users.csv absent: the base's.
 */
export function buildGuardians(
  data: RosterData,
  people: ReadonlyMap<string, SmsPerson>,
  base: () => SmsSnapshot | undefined,
): Pick<SmsSnapshot, 'guardians' | 'guardianLinks'> {
  const mode = data.modes.get('users') ?? 'absent';
  const keepBase = mode !== 'bulk';
  const guardians = new Map<string, SmsGuardian>(keepBase ? (base()?.guardians ?? []).map((g) => [g.smsId, g]) : []);
  const links = new Map<string, SmsGuardianLink>(
    keepBase ? (base()?.guardianLinks ?? []).map((l) => [key(l.guardianSmsId, l.childSmsId), l]) : [],
  );
  const declared: [guardian: string, child: string][] = [];
  // Applied to the base's links in one pass at the end (a delta may change thousands of users).
  const replaced = new Set<string>();
  const deleted = new Set<string>();
  for (const [id, record] of data.users ?? []) {
    if (record.status === 'tobedeleted' && mode === 'delta') {
      guardians.delete(id);
      deleted.add(id);
      continue;
    }
    const role = record.oneRosterRole ?? data.roles?.get(id)?.role;
    if (isGuardianRole(role)) {
      const p = record.person;
      guardians.set(id, {
        smsId: id,
        givenName: p.givenName,
        familyName: p.familyName,
        ...(p.email ? { email: p.email } : {}),
        relationship: (role as string).toLowerCase(),
      });
      replaced.add(id);
      for (const child of record.agents ?? []) declared.push([id, child]);
    } else {
      if (guardians.delete(id)) replaced.add(id); // no longer a guardian: their links as one go
      for (const agent of record.agents ?? []) declared.push([agent, id]);
    }
  }
  if (replaced.size > 0 || deleted.size > 0)
    for (const [k, l] of links)
      if (replaced.has(l.guardianSmsId) || deleted.has(l.guardianSmsId) || deleted.has(l.childSmsId)) links.delete(k);
  for (const [guardian, child] of declared)
    if (!deleted.has(guardian) && !deleted.has(child))
      links.set(key(guardian, child), { guardianSmsId: guardian, childSmsId: child });
  const kept = [...links.values()].filter((l) => guardians.has(l.guardianSmsId) && people.has(l.childSmsId));
  if (guardians.size === 0 && kept.length === 0) return {};
  return { guardians: [...guardians.values()], guardianLinks: kept };
}

function key(guardian: string, child: string): string {
  return `${guardian}\u001f${child}`;
}
