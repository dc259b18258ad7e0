export * from './secret-store';
export { KeychainSecretStore } from './keychain-secret-store';
export { checkKeychain, type KeychainCheck } from './keychain-check';
export { MemorySecretStore } from './memory-secret-store';
export { secretsFolderOf } from './secrets-folder';
