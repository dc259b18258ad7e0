import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../core/api/ipc-channels';
import type { EngineClient } from '../core/engine/engine-client';

/**
 * Relays Api calls from the app's own page to the engine worker and engine events back to every
 * window. The main thread does no work of its own here; the worker validates every input.
 */
export function registerApiIpc(engine: EngineClient, rendererIndex: string): () => void {
  const appUrl = pathToFileURL(rendererIndex).href;
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const senderUrl = event.senderFrame?.url ?? '';
    if (!senderUrl.startsWith(appUrl)) {
      return {
        ok: false,
        error: { code: 'unavailable', message: 'Calls are only accepted from the ClassBridge window.' },
      };
    }
    return engine.call(typeof method === 'string' ? method : '', input);
  });
  const unsubscribe = engine.onEvent((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
