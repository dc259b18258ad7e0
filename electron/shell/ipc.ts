import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import type { ApiResponse } from '../core/api/api-service';
import type { ApiMethod, ApiOutput } from '../core/contract/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../core/contract/ipc-channels';
import type { EngineClient } from '../core/engine/engine-client';

/**
 * Api methods the shell answers itself, because only the shell knows (e.g. `app:updateStatus`:
 * the updater lives in the main thread). They take no input; everything else goes to the worker.
 */
export type ShellAnswers = { [M in ApiMethod]?: () => ApiOutput<M> };

/**
 * Relays Api calls from the app's own page to the engine worker and engine events back to every
 * window. The main thread does no work of its own here (beyond reading the `ShellAnswers`); the
 * worker validates every input.
 */
export function registerApiIpc(
  engine: EngineClient,
  rendererIndex: string,
  shellAnswers: ShellAnswers = {},
): () => void {
  const appUrl = pathToFileURL(rendererIndex).href;
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const senderUrl = event.senderFrame?.url ?? '';
    if (!senderUrl.startsWith(appUrl)) {
      return {
        ok: false,
        error: { code: 'unavailable', message: 'Calls are only accepted from the ClassBridge window.' },
      };
    }
    const name = typeof method === 'string' ? method : '';
    const answer = Object.hasOwn(shellAnswers, name) ? shellAnswers[name as ApiMethod] : undefined;
    if (answer) return { ok: true, result: answer() } satisfies ApiResponse;
    return engine.call(name, input);
  });
  const unsubscribe = engine.onEvent((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
