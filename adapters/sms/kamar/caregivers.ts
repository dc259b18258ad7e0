import { controlCharacterIn } from '../../contract';
import type { SmsGuardian, SmsGuardianLink } from '../../../electron/core/model/sms-snapshot';
import { at, field, isObject, optionalText, type JsonObject, type Place } from './fields';

/**
 * KAMAR caregivers (ref A.4: students.data[].caregivers[] {ref, role, name, email, mobile, relationship,
 * status}) as the snapshot's parents and guardians.
 *
 * Privacy: caregivers are read, spooled and stored only while some LMS connection's parents rule is on
 * (the receiver's `caregivers` option, set by the engine from the connections), and then only their
 * ref, name, email, relationship and status: never mobile, role, address or anything else KAMAR sends.
 * With the rule off the spool writes none of it (spool.ts), as before, and the check reply does not ask
 * KAMAR for them.
 */
export interface KamarCaregiver {
  /** The guardian's SMS id: `cg-<ref>`, apart from student numbers and staff codes. */
  smsId: string;
  givenName: string;
  familyName: string;
  email?: string;
  relationship?: string;
}

/** What the spool keeps of a caregiver (the rest is never written). */
export const CAREGIVER_FIELDS: ReadonlySet<string> = new Set(['ref', 'name', 'email', 'relationship', 'status']);

/**
 * A caregiver `status` that says they are no longer one (inferred: KAMAR's values are not in the
 * reference). Anything else, or none, counts as current.
 */
const NOT_CURRENT = /^(inactive|deleted|past|former|left|no|false|0)$/i;

/** One student's caregivers; a caregiver without a ref or a name, or with a control character, is skipped with a warning. */
export function readCaregivers(
  raw: JsonObject,
  place: Place,
  warn: (message: string, fieldPath: string) => void,
): KamarCaregiver[] {
  const list = field(raw, 'caregivers');
  if (list === undefined || list === null) return [];
  const listPlace = at(place, 'caregivers');
  if (!Array.isArray(list)) {
    warn('caregivers is not a list: ignored', listPlace.path);
    return [];
  }
  const out: KamarCaregiver[] = [];
  list.forEach((item, index) => {
    const p = at(listPlace, index);
    if (!isObject(item)) return warn('a caregiver that is not an object: ignored', p.path);
    const ref = optionalText(item, 'ref', p);
    const name = optionalText(item, 'name', p);
    const status = optionalText(item, 'status', p);
    if (status && NOT_CURRENT.test(status)) return;
    if (!ref || !name) return warn('a caregiver without a ref or a name: ignored', p.path);
    const email = optionalText(item, 'email', p);
    const relationship = optionalText(item, 'relationship', p);
    if ([ref, name, email, relationship].some((v) => v !== undefined && controlCharacterIn(v) !== undefined))
      return warn('a caregiver with a control character: ignored', p.path);
    const words = name.split(/\s+/);
    const familyName = words.length > 1 ? (words.pop() as string) : name;
    out.push({
      smsId: `cg-${ref}`,
      givenName: words.length > 0 && familyName !== name ? words.join(' ') : '',
      familyName,
      ...(email ? { email } : {}),
      ...(relationship ? { relationship } : {}),
    });
  });
  return out;
}

/** The snapshot's guardians and links from each student's caregivers (a caregiver of two children is one guardian). */
export function caregiverSnapshot(byStudent: ReadonlyMap<string, readonly KamarCaregiver[]>): {
  guardians?: SmsGuardian[];
  guardianLinks?: SmsGuardianLink[];
} {
  const guardians = new Map<string, SmsGuardian>();
  const links: SmsGuardianLink[] = [];
  for (const [student, caregivers] of byStudent) {
    for (const c of caregivers) {
      const { smsId, givenName, familyName, email, relationship } = c;
      if (!guardians.has(smsId))
        guardians.set(smsId, {
          smsId,
          givenName,
          familyName,
          ...(email ? { email } : {}),
          ...(relationship ? { relationship } : {}),
        });
      links.push({ guardianSmsId: smsId, childSmsId: student, ...(relationship ? { relationship } : {}) });
    }
  }
  if (guardians.size === 0) return {};
  return { guardians: [...guardians.values()], guardianLinks: links };
}

/** A stored snapshot's guardians back as caregivers per student (a part push after a restart keeps them). */
export function caregiversFromSnapshot(
  guardians: readonly SmsGuardian[] | undefined,
  links: readonly SmsGuardianLink[] | undefined,
): Map<string, KamarCaregiver[]> {
  const byId = new Map((guardians ?? []).map((g) => [g.smsId, g]));
  const out = new Map<string, KamarCaregiver[]>();
  for (const l of links ?? []) {
    const g = byId.get(l.guardianSmsId);
    if (!g) continue;
    const relationship = l.relationship ?? g.relationship;
    out.set(l.childSmsId, [
      ...(out.get(l.childSmsId) ?? []),
      {
        smsId: g.smsId,
        givenName: g.givenName,
        familyName: g.familyName,
        ...(g.email ? { email: g.email } : {}),
        ...(relationship ? { relationship } : {}),
      },
    ]);
  }
  return out;
}
