export * from './secret-store';
export { KeychainSecretStore } from './keychain-secret-store';
export { MemorySecretStore } from './memory-secret-store';
export { secretsFolderOf } from './secrets-folder';
