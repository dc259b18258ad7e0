/**
 * Where ClassBridge keeps tokens and passwords: the OS keychain, under service `ClassBridge` and
 * account `<data folder id>/<connection id>:<secret name>` (see SecretsFolder). Never SQLite, never
 * a file, never a log line.
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

/**
 * The account a secret had before secrets were kept per data folder, `<connection id>:<name>`: every
 * data folder with that connection id read the same entry. Still what MemorySecretStore keys by, and
 * what a KeychainSecretStore without a folder reads and writes (tests plant and clean up such entries).
 */
export function accountName(connectionId: string, name: string): string {
  return `${connectionId}:${name}`;
}

/** A secret's account in the keychain: one data folder's entry, `<folder id>/<connection id>:<name>`. */
export function folderAccountName(folderId: string, connectionId: string, name: string): string {
  return `${folderId}/${accountName(connectionId, name)}`;
}

/** An account in the shared format from before per-folder keys, split; undefined for any other account. */
export function parseSharedAccountName(account: string): { connectionId: string; name: string } | undefined {
  // Connection ids and secret names are lower-case letters, digits and dashes (model/connection.ts),
  // so a '/' (a folder's entry) or anything else is not one of these.
  const match = /^([a-z0-9][a-z0-9-]*):([a-z][a-z0-9-]*)$/.exec(account);
  return match?.[1] && match[2] ? { connectionId: match[1], name: match[2] } : undefined;
}

/**
 * The data folder whose secrets a KeychainSecretStore keeps (store.dataFolder and its connections;
 * secretsFolderOf builds it). Its id is random and stored in the folder's database, so two folders
 * with the same connection id get different entries, and a moved folder keeps its own.
 */
export interface SecretsFolder {
  readonly id: string;
  /**
   * The entries in the shared format: 'pending' until the folder adopts them (once, at first use),
   * then 'adopted'; 'none' for a folder that never had any (it was made after per-folder keys).
   */
  sharedSecrets(): 'none' | 'pending' | 'adopted';
  markSharedSecretsAdopted(): void;
  /** The folder's connections: only their entries in the shared format are adopted. */
  connectionIds(): readonly string[];
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
