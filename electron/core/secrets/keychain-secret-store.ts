import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import {
  accountName,
  folderAccountName,
  KEYCHAIN_SERVICE,
  KeychainUnavailableError,
  parseSharedAccountName,
  type SecretsFolder,
  type SecretStore,
} from './secret-store';

// Pin Linux to the Secret Service: the library's default silently falls back to the kernel keyring,
// which is not persistent, so secrets would vanish at reboot without a word.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/**
 * SecretStore over the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
 *
 * With a data folder (what the engine always gives) each secret is that folder's own entry,
 * `<folder id>/<connection id>:<name>`. Before, the account was `<connection id>:<name>` alone, so two
 * data folders with the same connection id (a test folder next to the school's, two schools on one
 * server) silently read and overwrote one token. On its first use a folder that already had
 * connections before that change (store.dataFolder says so) adopts those shared entries: each is
 * copied to the folder's own account unless the folder already has that secret, so no token is lost
 * on upgrade. The shared entry is left in place — another data folder of the same computer, or an
 * older ClassBridge, may still be using it — and removed with its connection (deleteAll) by a folder
 * that adopted it. A folder created after the change never reads shared entries, so it cannot pick
 * up another folder's token.
 *
 * Without a folder the store reads and writes the shared format (tests that plant or clean up such
 * entries); nothing in the app builds one that way.
 */
export class KeychainSecretStore implements SecretStore {
  private adoption: Promise<void> | undefined;

  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly folder?: SecretsFolder,
  ) {}

  async set(connectionId: string, name: string, value: string): Promise<void> {
    await this.adoptSharedEntries();
    await this.guard(() => this.entry(connectionId, name).setPassword(value));
  }

  async get(connectionId: string, name: string): Promise<string | undefined> {
    await this.adoptSharedEntries();
    const value = await this.guard(() => this.entry(connectionId, name).getPassword());
    return value ?? undefined;
  }

  async delete(connectionId: string, name: string): Promise<boolean> {
    await this.adoptSharedEntries();
    return this.guard(() => this.entry(connectionId, name).deletePassword());
  }

  async listNames(connectionId: string): Promise<string[]> {
    await this.adoptSharedEntries();
    const prefix = this.account(connectionId, '');
    return (await this.accounts())
      .map((c) => c.account)
      .filter((account) => account.startsWith(prefix))
      .map((account) => account.slice(prefix.length))
      .sort();
  }

  async deleteAll(connectionId: string): Promise<number> {
    let deleted = 0;
    for (const name of await this.listNames(connectionId)) {
      if (await this.delete(connectionId, name)) deleted += 1;
    }
    if (this.folder?.sharedSecrets() === 'adopted') {
      // The connection is gone, and so are the shared entries it was adopted from ("removing a
      // connection removes its secrets"): they were this folder's before the upgrade.
      for (const { account } of await this.accounts()) {
        if (parseSharedAccountName(account)?.connectionId !== connectionId) continue;
        await this.guard(() => new AsyncEntry(this.service, account, ENTRY_OPTIONS).deletePassword());
      }
    }
    return deleted;
  }

  /**
   * Once per folder (and per process until it succeeds): copies the folder's connections' entries
   * from the shared format to the folder's own accounts, then records that in the folder's database.
   * A keychain that cannot be reached fails the call that needed it, and the next call tries again.
   */
  private adoptSharedEntries(): Promise<void> {
    const folder = this.folder;
    if (!folder) return Promise.resolve();
    this.adoption ??= (async () => {
      if (folder.sharedSecrets() !== 'pending') return;
      const connections = new Set(folder.connectionIds());
      for (const { account, password } of await this.accounts()) {
        const shared = parseSharedAccountName(account);
        if (!shared || !connections.has(shared.connectionId)) continue;
        const own = this.entry(shared.connectionId, shared.name);
        if ((await this.guard(() => own.getPassword())) == null) await this.guard(() => own.setPassword(password));
      }
      folder.markSharedSecretsAdopted();
    })().catch((err: unknown) => {
      this.adoption = undefined;
      throw err;
    });
    return this.adoption;
  }

  /** Every entry of the service. */
  private async accounts(): Promise<{ account: string; password: string }[]> {
    // findCredentials cannot be pinned to a store; reading one pinned entry first makes an
    // unavailable Secret Service fail loudly instead of listing an empty kernel keyring.
    await this.guard(() => new AsyncEntry(this.service, '-probe', ENTRY_OPTIONS).getPassword());
    return this.guard(() => findCredentialsAsync(this.service));
  }

  private account(connectionId: string, name: string): string {
    return this.folder ? folderAccountName(this.folder.id, connectionId, name) : accountName(connectionId, name);
  }

  private entry(connectionId: string, name: string): AsyncEntry {
    return new AsyncEntry(this.service, this.account(connectionId, name), ENTRY_OPTIONS);
  }

  /** Every keychain failure reaches callers as one clear error, never as a silent fallback. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new KeychainUnavailableError(detail, { cause: err });
    }
  }
}
