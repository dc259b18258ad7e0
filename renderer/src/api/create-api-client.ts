import type { ApiClient, PreloadBridge } from '../../../electron/core/contract/contract';
import { takeAccessToken } from './access-token';
import { createHttpApiClient } from './http-api-client';
import { createPreloadApiClient } from './preload-api-client';

declare global {
  interface Window {
    /** Present only inside the Electron window; the headless host's page talks HTTP instead. */
    classbridge?: PreloadBridge;
  }
}

export function createApiClient(): ApiClient {
  if (window.classbridge) return createPreloadApiClient(window.classbridge);
  return createHttpApiClient(takeAccessToken());
}
