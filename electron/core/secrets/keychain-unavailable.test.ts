import { beforeAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from './keychain-secret-store';
import { KeychainUnavailableError } from './secret-store';

// This file runs in its own process (vitest pool: forks), so removing the session bus address here
// leaves the other tests' keychain alone. It is what a Linux server without a desktop session looks like.
beforeAll(() => {
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
});

describe.runIf(process.platform === 'linux')('no Secret Service reachable', () => {
  it('fails every operation with an error that says so and how to fix it, and stores nothing elsewhere', async () => {
    const store = new KeychainSecretStore('ClassBridge-test-unavailable');
    for (const operation of [
      () => store.set('moodle', 'token', 'secret-value'),
      () => store.get('moodle', 'token'),
      () => store.listNames('moodle'),
      () => store.delete('moodle', 'token'),
    ]) {
      const err = await operation().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KeychainUnavailableError);
      expect((err as Error).message).toMatch(/No OS keychain is available/);
      expect((err as Error).message).toMatch(/Secret Service/);
      expect((err as Error).message).toMatch(/dbus-run-session/);
      expect((err as Error).message).not.toContain('secret-value');
    }
  });
});
