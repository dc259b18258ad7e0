import type { LmsDraft, MappingDraft } from './draft';

/**
 * Mapping answers that depend on the SMS: where usernames come from (an AVETMISS export has no
 * usernames, so those SMSs start from the email address). The wizard fills such a default only into a
 * mapping the admin never set: switching provider in the SMS step must never silently change a choice
 * the admin made (issue 18: KAMAR → VETtrak changed "username from" to email). A choice kept that the
 * new SMS cannot serve is refused in the Mapping step with its reason (validate.ts), not replaced.
 */
export function usernameDefaultFor(smsHasUsernames: boolean): MappingDraft['usernameFrom'] {
  return smsHasUsernames ? 'sms-username' : 'email';
}

/** A mapping field is the admin's once they set it in the Mapping step, or once the LMS was saved. */
export function adminChose(lms: LmsDraft, field: keyof MappingDraft): boolean {
  return lms.saved || (lms.mapping.chosen ?? []).includes(field);
}

/** The mapping with a change the admin made in the Mapping step, remembered as theirs. */
export function withChoice(mapping: MappingDraft, patch: Partial<MappingDraft>): MappingDraft {
  const chosen = new Set(mapping.chosen ?? []);
  for (const field of Object.keys(patch)) if (field !== 'chosen') chosen.add(field as keyof MappingDraft);
  return { ...mapping, ...patch, chosen: [...chosen] };
}

export interface ProviderDefaultsOutcome {
  lms: LmsDraft[];
  /** What changed, in words for the SMS step ("Moodle: usernames from the email address"). */
  changed: string[];
  /** Choices the admin made that the new SMS cannot serve (the Mapping step asks for another). */
  kept: string[];
}

const USERNAME_WORDS: Record<MappingDraft['usernameFrom'], string> = {
  'sms-username': 'the SMS username',
  email: 'the email address',
  'sms-id': 'the SMS id',
};

/** The provider's defaults, applied to every LMS whose answer the admin has not set. */
export function applyProviderDefaults(lms: LmsDraft[], smsHasUsernames: boolean): ProviderDefaultsOutcome {
  const wanted = usernameDefaultFor(smsHasUsernames);
  const changed: string[] = [];
  const kept: string[] = [];
  const next = lms.map((l, i) => {
    const name = l.name.trim() || `LMS ${i + 1}`;
    if (adminChose(l, 'usernameFrom')) {
      if (!smsHasUsernames && l.mapping.usernameFrom === 'sms-username') kept.push(name);
      return l;
    }
    if (l.mapping.usernameFrom === wanted) return l;
    changed.push(`${name}: usernames from ${USERNAME_WORDS[wanted]}`);
    return { ...l, mapping: { ...l.mapping, usernameFrom: wanted } };
  });
  return { lms: next, changed, kept };
}
