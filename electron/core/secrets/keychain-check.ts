import { KeychainUnavailableError, type SecretStore } from './secret-store';

/** Whether the OS keychain answers, and if not, why and what to do (KeychainUnavailableError's words). */
export interface KeychainCheck {
  available: boolean;
  message?: string;
}

/** An id no connection can have (ids start with a letter or digit and name real connections). */
const PROBE_CONNECTION = 'keychain-check';

/**
 * Reads one entry that never exists: on a working keychain that answers "none", and on a machine with
 * no Secret Service (a headless Linux server outside `dbus-run-session`) it fails with the fix. Asked
 * at start, so the admin learns it before the wizard's Save fails on the first token.
 *
 * A keychain that does not answer in time (locked, its unlock prompt waiting for someone) is reported
 * as unavailable for now; the caller asks again later rather than keeping that answer.
 */
export async function checkKeychain(secrets: SecretStore, timeoutMs = 10_000): Promise<KeychainCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainCheck>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          available: false,
          message: `The OS keychain did not answer within ${Math.round(timeoutMs / 1000)} s. It may be locked and waiting for you to unlock it; unlock it and reopen ClassBridge.`,
        }),
      timeoutMs,
    );
  });
  const probe = secrets.get(PROBE_CONNECTION, 'probe').then(
    (): KeychainCheck => ({ available: true }),
    (err: unknown): KeychainCheck => {
      if (err instanceof KeychainUnavailableError) return { available: false, message: err.message };
      throw err;
    },
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
