import type { Mapping, Snapshot } from '../../model';
import { personName } from '../../model';

/** The sign-in method and mapped profile fields on the first people, for the dry run. */
export interface AccountExamples {
  /** How new accounts sign in, in words: "oauth2", "manual (Moodle emails a password)". */
  signIn: string;
  /** The first active people with the LMS field → value the mapping gives them (empty: none sent). */
  people: { key: string; name: string; fields: Record<string, string> }[];
}

export function signInWords(signIn: Mapping['signIn'] | undefined): string {
  const auth = signIn?.auth ?? 'manual';
  if (auth !== 'manual') return `${auth} (no password is kept in Moodle)`;
  return signIn?.emailPassword === false
    ? 'manual (a random password nobody is told: the person uses "Forgotten password")'
    : 'manual (Moodle emails a password)';
}

/**
 * What the mapping's sign-in method and profile fields give the first `n` active people, whether or not
 * this upload writes them; undefined when the mapping keeps the defaults (manual, emailed, no fields).
 */
export function accountExamples(
  snapshot: Pick<Snapshot, 'people'>,
  mapping: Pick<Mapping, 'signIn' | 'profileFields'>,
  n = 3,
): AccountExamples | undefined {
  const fields = Object.entries(mapping.profileFields ?? {});
  const signIn = mapping.signIn;
  const isDefault = (signIn?.auth ?? 'manual') === 'manual' && signIn?.emailPassword !== false;
  if (fields.length === 0 && isDefault) return undefined;
  const people = snapshot.people
    .filter((p) => p.active)
    .slice(0, n)
    .map((p) => {
      const values: Record<string, string> = {};
      for (const [lmsField, sms] of fields) {
        const v = p.extra?.[sms]?.trim();
        if (v) values[lmsField] = v;
      }
      return { key: p.smsId, name: personName(p), fields: values };
    });
  return { signIn: signInWords(signIn), people };
}
