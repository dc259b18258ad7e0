import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeychainSecretStore } from './keychain-secret-store';

// Runs against the real Secret Service (gnome-keyring in a private D-Bus session: npm test wraps
// vitest in scripts/with-keyring.sh). A unique service name keeps runs apart.
describe('KeychainSecretStore (real OS keychain)', () => {
  it('sets, gets, lists names, deletes one and deletes all per connection', async () => {
    const store = new KeychainSecretStore(`ClassBridge-test-${randomUUID()}`);
    await store.set('moodle-main', 'token', 'tok-123');
    await store.set('moodle-main', 'webhook-secret', 'w-456');
    await store.set('kamar', 'push-secret', 'k-789');

    expect(await store.get('moodle-main', 'token')).toBe('tok-123');
    expect(await store.get('moodle-main', 'missing')).toBeUndefined();
    expect(await store.listNames('moodle-main')).toEqual(['token', 'webhook-secret']);
    expect(await store.listNames('kamar')).toEqual(['push-secret']);

    await store.set('moodle-main', 'token', 'tok-rotated');
    expect(await store.get('moodle-main', 'token')).toBe('tok-rotated');

    expect(await store.delete('moodle-main', 'token')).toBe(true);
    expect(await store.delete('moodle-main', 'token')).toBe(false);
    expect(await store.get('moodle-main', 'token')).toBeUndefined();

    expect(await store.deleteAll('moodle-main')).toBe(1);
    expect(await store.listNames('moodle-main')).toEqual([]);
    expect(await store.deleteAll('kamar')).toBe(1);
  });

  it('keeps a connection id that prefixes another apart from it', async () => {
    const store = new KeychainSecretStore(`ClassBridge-test-${randomUUID()}`);
    await store.set('moodle', 'token', 'a');
    await store.set('moodle-2', 'token', 'b');
    expect(await store.listNames('moodle')).toEqual(['token']);
    await store.deleteAll('moodle');
    expect(await store.get('moodle-2', 'token')).toBe('b');
    await store.deleteAll('moodle-2');
  });
});
