/**
 * Electron entry: single-instance lock, the engine worker, IPC relay and the main window. Tray,
 * notifications, updates and login item come with the desktop-shell issue (electron/shell/).
 */
import { app, type BrowserWindow, dialog } from 'electron';
import { fileURLToPath } from 'node:url';
import { defaultWorkerFile, startEngineWorker, type EngineClient } from './core/engine/engine-client';
import { registerApiIpc } from './shell/ipc';
import { createMainWindow } from './shell/window';

const paths = {
  preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
  rendererIndex: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
};

let engine: EngineClient | undefined;
let mainWindow: BrowserWindow | undefined;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow(paths);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  try {
    engine = await startEngineWorker(defaultWorkerFile(import.meta.url), { dataDir: app.getPath('userData') });
  } catch (err) {
    dialog.showErrorBox('ClassBridge cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  registerApiIpc(engine, paths.rendererIndex);
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another ClassBridge is running: it receives 'second-instance' and shows its window.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // Until the tray lands, closing the last window quits (except on macOS, by convention).
    if (process.platform !== 'darwin') app.quit();
  });
  let stopping = false;
  app.on('before-quit', (event) => {
    if (!engine || stopping) return;
    event.preventDefault();
    stopping = true;
    void engine.stop().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}
