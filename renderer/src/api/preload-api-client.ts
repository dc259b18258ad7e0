import type { ApiClient, PreloadBridge } from '../../../electron/core/contract/contract';
import { ApiError } from '../../../electron/core/contract/errors';
import { apiErrorFrom } from './api-error-from';
import { createEventHub } from './event-hub';

/** Electron's transport: the preload's `window.classbridge`, which relays to ipcMain. */
export function createPreloadApiClient(bridge: PreloadBridge): ApiClient {
  let unsubscribeBridge: (() => void) | null = null;
  const hub = createEventHub((active) => {
    if (active) unsubscribeBridge = bridge.subscribe((event, payload) => hub.deliver(event, payload));
    else {
      unsubscribeBridge?.();
      unsubscribeBridge = null;
    }
  });

  return {
    async call(method, input) {
      let reply: Awaited<ReturnType<PreloadBridge['invoke']>>;
      try {
        reply = await bridge.invoke(method, input);
      } catch (error) {
        // The IPC channel itself failed (main process gone or not ready), not the call.
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError({ code: 'unavailable', message: `ClassBridge's engine did not answer (${reason})` });
      }
      if (reply.ok) return reply.result as never;
      throw apiErrorFrom(reply.error, `ClassBridge's engine did not answer ${method}`);
    },
    on(event, listener) {
      return hub.add(event, listener);
    },
  };
}
