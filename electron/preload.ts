/**
 * Preload (sandboxed, context-isolated): exposes the Api bridge and nothing else. No Node, no
 * ipcRenderer, no electron object reaches the page; method names and inputs are checked in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './core/contract/ipc-channels';
import type { PreloadBridge } from './core/contract/contract';

const bridge: PreloadBridge = {
  invoke: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, String(method), input),
  subscribe(listener) {
    const relay = (_event: IpcRendererEvent, name: string, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('classbridge', bridge);
