import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import { accountName, KEYCHAIN_SERVICE, KeychainUnavailableError, type SecretStore } from './secret-store';

// Pin Linux to the Secret Service: the library's default silently falls back to the kernel keyring,
// which is not persistent, so secrets would vanish at reboot without a word.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** SecretStore over the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager). */
export class KeychainSecretStore implements SecretStore {
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async set(connectionId: string, name: string, value: string): Promise<void> {
    await this.guard(() => this.entry(connectionId, name).setPassword(value));
  }

  async get(connectionId: string, name: string): Promise<string | undefined> {
    const value = await this.guard(() => this.entry(connectionId, name).getPassword());
    return value ?? undefined;
  }

  async delete(connectionId: string, name: string): Promise<boolean> {
    return this.guard(() => this.entry(connectionId, name).deletePassword());
  }

  async listNames(connectionId: string): Promise<string[]> {
    // findCredentials cannot be pinned to a store; reading one pinned entry first makes an
    // unavailable Secret Service fail loudly instead of listing an empty kernel keyring.
    await this.guard(() => this.entry(connectionId, '-probe').getPassword());
    const credentials = await this.guard(() => findCredentialsAsync(this.service));
    const prefix = accountName(connectionId, '');
    return credentials
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
    return deleted;
  }

  private entry(connectionId: string, name: string): AsyncEntry {
    return new AsyncEntry(this.service, accountName(connectionId, name), ENTRY_OPTIONS);
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
