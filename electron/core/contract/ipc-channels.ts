// Electron IPC channel names, shared by preload and main. Kept apart from contract.ts so the
// sandboxed preload bundles these two strings and not the schema library.
export const IPC_INVOKE_CHANNEL = 'classbridge:api';
export const IPC_EVENT_CHANNEL = 'classbridge:event';
