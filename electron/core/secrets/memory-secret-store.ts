import { accountName, type SecretStore } from './secret-store';

/** An in-memory SecretStore for unit tests of logic that needs one. End-to-end tests use the keychain. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async set(connectionId: string, name: string, value: string): Promise<void> {
    this.values.set(accountName(connectionId, name), value);
  }

  async get(connectionId: string, name: string): Promise<string | undefined> {
    return this.values.get(accountName(connectionId, name));
  }

  async delete(connectionId: string, name: string): Promise<boolean> {
    return this.values.delete(accountName(connectionId, name));
  }

  async listNames(connectionId: string): Promise<string[]> {
    const prefix = accountName(connectionId, '');
    return [...this.values.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  async deleteAll(connectionId: string): Promise<number> {
    const names = await this.listNames(connectionId);
    for (const name of names) this.values.delete(accountName(connectionId, name));
    return names.length;
  }
}
