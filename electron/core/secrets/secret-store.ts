/**
 * Where ClassBridge keeps tokens and passwords: the OS keychain, under service `ClassBridge` and
 * account `<connection id>:<secret name>`. Never SQLite, never a file, never a log line.
 */
export interface SecretStore {
  set(connectionId: string, name: string, value: string): Promise<void>;
  /** Resolves undefined when no such secret is stored. */
  get(connectionId: string, name: string): Promise<string | undefined>;
  /** Resolves true when a secret was deleted, false when there was none. */
  delete(connectionId: string, name: string): Promise<boolean>;
  /** The names (never the values) of the secrets stored for a connection, sorted. */
  listNames(connectionId: string): Promise<string[]>;
  /** Deletes every secret of a connection (when the connection is removed). */
  deleteAll(connectionId: string): Promise<number>;
}

export const KEYCHAIN_SERVICE = 'ClassBridge';

export function accountName(connectionId: string, name: string): string {
  return `${connectionId}:${name}`;
}

/**
 * The keychain cannot be reached (no Secret Service on Linux, a locked keychain, a denied prompt).
 * ClassBridge then refuses to store secrets at all rather than fall back to a plaintext file.
 */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `No OS keychain is available, so ClassBridge cannot store or read its passwords and tokens ` +
        `(it never keeps them in a plain file). ${fixFor(process.platform)} (Detail: ${detail})`,
      options,
    );
  }
}

function fixFor(platform: NodeJS.Platform): string {
  if (platform === 'linux') {
    return (
      'On Linux, ClassBridge uses the Secret Service: log in to a desktop session that runs GNOME Keyring ' +
      'or KWallet and unlock it; on a server, install gnome-keyring and dbus and start ClassBridge inside ' +
      '`dbus-run-session` with `gnome-keyring-daemon --unlock` (see docs/secrets.md).'
    );
  }
  if (platform === 'darwin')
    return 'On macOS, unlock your login keychain in Keychain Access and allow ClassBridge to use it.';
  if (platform === 'win32') return 'On Windows, sign in with a normal user account so Credential Manager is available.';
  return 'Make sure this system has a keychain service running and unlocked.';
}
