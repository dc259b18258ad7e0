import { controlCharacterIn, type SmsProblemList, type SmsSnapshot } from '../../../adapters/contract';
import type { Snapshot } from '../model';
import { SmsGuardianLinkSchema, SmsGuardianSchema } from '../model/sms-snapshot';

/**
 * The intake's checks for parents and guardians (normalise-snapshot.ts calls this): each record against
 * the model's schema, no guardian twice, no control characters, every link between a guardian in the
 * export and a person in it, no link twice. A reader that gives none leaves both absent, so a snapshot
 * without guardians stays exactly as it was.
 */
export function normaliseGuardians(
  raw: Pick<SmsSnapshot, 'guardians' | 'guardianLinks'>,
  personIds: ReadonlySet<string>,
  problems: SmsProblemList,
): Pick<Snapshot, 'guardians' | 'guardianLinks'> {
  if (raw.guardians === undefined && raw.guardianLinks === undefined) return {};
  const guardians: NonNullable<Snapshot['guardians']> = [];
  const ids = new Set<string>();
  for (const [i, item] of (raw.guardians ?? []).entries()) {
    const parsed = SmsGuardianSchema.safeParse(item);
    if (!parsed.success) {
      problems.add('format', `guardian #${i + 1}: ${parsed.error.issues[0]?.message ?? 'not a valid record'}`, {});
      continue;
    }
    const g = parsed.data;
    if (ids.has(g.smsId)) {
      problems.add('duplicate', `guardian ${g.smsId} appears twice`, { field: 'smsId', found: g.smsId });
      continue;
    }
    if (personIds.has(g.smsId)) {
      problems.add('duplicate', `guardian ${g.smsId} is also a student or staff member`, {
        field: 'smsId',
        found: g.smsId,
      });
      continue;
    }
    for (const [field, value] of Object.entries({
      smsId: g.smsId,
      givenName: g.givenName,
      familyName: g.familyName,
      email: g.email,
    })) {
      const bad = value === undefined ? undefined : controlCharacterIn(value);
      if (bad)
        problems.add('format', `guardian ${g.smsId} has a control character (${bad}) in ${field}`, {
          field,
          found: value,
        });
    }
    ids.add(g.smsId);
    guardians.push(g);
  }
  const links: NonNullable<Snapshot['guardianLinks']> = [];
  const seen = new Set<string>();
  for (const [i, item] of (raw.guardianLinks ?? []).entries()) {
    const parsed = SmsGuardianLinkSchema.safeParse(item);
    if (!parsed.success) {
      problems.add('format', `guardian link #${i + 1}: ${parsed.error.issues[0]?.message ?? 'not a valid record'}`, {});
      continue;
    }
    const l = parsed.data;
    if (!ids.has(l.guardianSmsId))
      problems.add('reference', `guardian link: guardian ${l.guardianSmsId} is not in the export`, {
        field: 'guardianSmsId',
        found: l.guardianSmsId,
      });
    else if (!personIds.has(l.childSmsId))
      problems.add('reference', `guardian link of ${l.guardianSmsId}: person ${l.childSmsId} is not in the export`, {
        field: 'childSmsId',
        found: l.childSmsId,
      });
    const key = `${l.guardianSmsId}\u001f${l.childSmsId}`;
    if (seen.has(key)) continue; // the same pair twice (both sides of a OneRoster agent link): one link
    seen.add(key);
    links.push(l);
  }
  return { guardians, guardianLinks: links };
}
