import { findCredentialsAsync } from '@napi-rs/keyring';
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LmsConnectionSchema } from '../model';
import { MIGRATIONS } from '../store/migrations';
import { openStore, type Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { KeychainSecretStore } from './keychain-secret-store';
import { secretsFolderOf } from './secrets-folder';

// Against the real Secret Service (npm test runs vitest inside scripts/with-keyring.sh); a unique
// service name per test keeps runs apart.
const tempDir = useTempDirs();
const opened: Store[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

const CONNECTION = LmsConnectionSchema.parse({
  id: 'moodle-main',
  kind: 'lms',
  provider: 'moodle',
  name: 'Moodle (main)',
  url: 'https://moodle.example.org',
});

/** The schema before data folders had an id (every migration before 'data-folder'). */
const BEFORE_FOLDER_IDS = MIGRATIONS.slice(
  0,
  MIGRATIONS.findIndex((m) => m.name === 'data-folder'),
);

function open(file: string, migrations = MIGRATIONS): Store {
  const store = openStore({ file, migrations });
  opened.push(store);
  return store;
}

/** A data folder made by this version, with the connection configured. */
function newFolder(): Store {
  const store = open(join(tempDir(), 'classbridge.db'));
  store.connections.save(CONNECTION);
  return store;
}

/** A data folder set up by an earlier version (connection configured), then opened by this one. */
function upgradedFolder(): Store {
  const file = join(tempDir(), 'classbridge.db');
  const old = openStore({ file, migrations: BEFORE_FOLDER_IDS });
  old.connections.save(CONNECTION);
  old.close();
  return open(file);
}

const accounts = async (service: string) => (await findCredentialsAsync(service)).map((c) => c.account).sort();

describe('secrets per data folder (real OS keychain)', () => {
  it('gives two data folders with the same connection id their own secrets', async () => {
    const service = `ClassBridge-test-${randomUUID()}`;
    const a = newFolder();
    const b = newFolder();
    expect(a.dataFolder.id).not.toBe(b.dataFolder.id);
    const keysA = new KeychainSecretStore(service, secretsFolderOf(a));
    const keysB = new KeychainSecretStore(service, secretsFolderOf(b));

    await keysA.set('moodle-main', 'token', 'token-of-a');
    expect(await keysB.get('moodle-main', 'token')).toBeUndefined();
    expect(await keysB.listNames('moodle-main')).toEqual([]);
    await keysB.set('moodle-main', 'token', 'token-of-b');
    expect(await keysA.get('moodle-main', 'token')).toBe('token-of-a');
    expect(await keysB.get('moodle-main', 'token')).toBe('token-of-b');
    expect(await keysA.listNames('moodle-main')).toEqual(['token']);

    expect(await keysB.deleteAll('moodle-main')).toBe(1);
    expect(await keysA.get('moodle-main', 'token')).toBe('token-of-a');
    expect(await accounts(service)).toEqual([`${a.dataFolder.id}/moodle-main:token`]);
    await keysA.deleteAll('moodle-main');
  });

  it('keeps a folder’s secrets when the folder is moved (the id is in its database, not its path)', async () => {
    const service = `ClassBridge-test-${randomUUID()}`;
    const from = join(tempDir(), 'data');
    mkdirSync(from);
    const store = openStore({ file: join(from, 'classbridge.db') });
    store.connections.save(CONNECTION);
    await new KeychainSecretStore(service, secretsFolderOf(store)).set('moodle-main', 'token', 'moved-token');
    store.close();
    const to = join(tempDir(), 'elsewhere');
    renameSync(from, to);
    const moved = open(join(to, 'classbridge.db'));
    expect(await new KeychainSecretStore(service, secretsFolderOf(moved)).get('moodle-main', 'token')).toBe(
      'moved-token',
    );
    await new KeychainSecretStore(service, secretsFolderOf(moved)).deleteAll('moodle-main');
  });

  it('migrates an entry in the old shared format into an upgraded folder, once, and no token is lost', async () => {
    const service = `ClassBridge-test-${randomUUID()}`;
    const shared = new KeychainSecretStore(service); // the account format before per-folder keys
    await shared.set('moodle-main', 'token', 'old-token');
    await shared.set('other-lms', 'token', 'not-this-folders');

    const upgraded = upgradedFolder();
    expect(upgraded.dataFolder.sharedSecrets()).toBe('pending');
    const keys = new KeychainSecretStore(service, secretsFolderOf(upgraded));
    expect(await keys.get('moodle-main', 'token')).toBe('old-token');
    expect(upgraded.dataFolder.sharedSecrets()).toBe('adopted');
    // Copied to the folder's own account; only the folder's connections were adopted.
    const id = upgraded.dataFolder.id;
    expect(await accounts(service)).toEqual(['moodle-main:token', `${id}/moodle-main:token`, 'other-lms:token'].sort());

    // A second folder of the older version, with the same connection, keeps its token too.
    const second = new KeychainSecretStore(service, secretsFolderOf(upgradedFolder()));
    expect(await second.get('moodle-main', 'token')).toBe('old-token');

    // From now on the folder's own entry is the one: a new token is not undone by the old entry, and
    // a deleted one does not come back from it (the adoption ran once).
    await keys.set('moodle-main', 'token', 'rotated');
    const again = new KeychainSecretStore(service, secretsFolderOf(upgraded));
    expect(await again.get('moodle-main', 'token')).toBe('rotated');
    expect(await again.delete('moodle-main', 'token')).toBe(true);
    expect(await new KeychainSecretStore(service, secretsFolderOf(upgraded)).get('moodle-main', 'token')).toBe(
      undefined,
    );
    expect(await shared.get('moodle-main', 'token')).toBe('old-token');

    // Removing the connection removes the entry it was adopted from as well.
    await second.deleteAll('moodle-main');
    expect(await shared.get('moodle-main', 'token')).toBeUndefined();
    await shared.deleteAll('other-lms');
  });

  it('never gives a folder made by this version an entry in the old shared format', async () => {
    const service = `ClassBridge-test-${randomUUID()}`;
    const shared = new KeychainSecretStore(service);
    await shared.set('moodle-main', 'token', 'someone-elses');
    const fresh = newFolder();
    expect(fresh.dataFolder.sharedSecrets()).toBe('none');
    const keys = new KeychainSecretStore(service, secretsFolderOf(fresh));
    expect(await keys.get('moodle-main', 'token')).toBeUndefined();
    expect(await keys.listNames('moodle-main')).toEqual([]);
    // …and removing its connection leaves the other folder's entry alone.
    await keys.deleteAll('moodle-main');
    expect(await shared.get('moodle-main', 'token')).toBe('someone-elses');
    await shared.deleteAll('moodle-main');
  });

  it('an upgraded folder without connections adopts nothing', () => {
    const file = join(tempDir(), 'classbridge.db');
    openStore({ file, migrations: BEFORE_FOLDER_IDS }).close();
    const store = open(file);
    expect(store.dataFolder.sharedSecrets()).toBe('none');
  });
});
