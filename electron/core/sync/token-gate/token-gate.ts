import type { SecretStore } from '../../secrets';

/** The keychain entry an LMS connection's web-service token is kept under (run-part.ts reads it). */
export const TOKEN_SECRET = 'token';

/** How often the scheduler looks for the token of a connection waiting for it (sync-service.ts). */
export const TOKEN_POLL_MS = 1000;

/** What the dashboard says on each part of an LMS saved without its token (status.ts). */
export const WAITING_FOR_TOKEN = {
  words: 'Waiting for the web-service token: nothing runs for this LMS until it is stored.',
  fix: 'Enter the token in the setup wizard (the LMS step), or run: classbridge secret set <connection> token.',
} as const;

/**
 * Whether a connection's token is stored, for the scheduler. The setup wizard saves an LMS connection
 * before it can store its token (the token belongs to a connection that exists): a scheduler that ran
 * the parts of that connection in between would record failed runs ("No web-service token is
 * stored") for a set-up that is about to be complete. So the scheduler leaves such a connection out,
 * and the token's arrival (secrets:set → settings:changed) rebuilds the schedule with it.
 *
 * A keychain that cannot be read counts as "stored": the run then tries, and records the keychain's
 * own error with its fix, rather than waiting silently for a token that may be there.
 */
export async function hasStoredToken(secrets: SecretStore, connectionId: string): Promise<boolean> {
  try {
    return Boolean(await secrets.get(connectionId, TOKEN_SECRET));
  } catch {
    return true;
  }
}
