import type { Store } from '../store/store';
import type { SecretsFolder } from './secret-store';

/** The data folder a store belongs to, as the keychain keys its secrets (its id and connections). */
export function secretsFolderOf(store: Store): SecretsFolder {
  return {
    id: store.dataFolder.id,
    sharedSecrets: () => store.dataFolder.sharedSecrets(),
    markSharedSecretsAdopted: () => store.dataFolder.markSharedSecretsAdopted(),
    connectionIds: () => store.connections.list().map((c) => c.id),
  };
}
