/**
 * Electron entry: single-instance lock, the engine worker, IPC relay, the main window, updates and
 * the desktop side (tray, notifications, closing to the tray, start at login: shell/desktop.ts).
 */
import { app, type BrowserWindow, dialog } from 'electron';
import { fileURLToPath } from 'node:url';
import { defaultWorkerFile, startEngineWorker, type EngineClient } from './core/engine/engine-client';
import { createLogger } from './core/logging/logger';
import { startDesktop, type Desktop } from './shell/desktop';
import { registerApiIpc } from './shell/ipc';
import { startsHidden } from './shell/login-item';
import { startUpdater, type Updater } from './shell/updater/updater';
import { createMainWindow } from './shell/window';

const paths = {
  preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
  rendererIndex: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
};

// As for the CLI and the host, CLASSBRIDGE_DATA_DIR chooses another data folder (e.g. end-to-end tests).
if (process.env.CLASSBRIDGE_DATA_DIR) app.setPath('userData', process.env.CLASSBRIDGE_DATA_DIR);

let engine: EngineClient | undefined;
let mainWindow: BrowserWindow | undefined;
let updater: Updater | undefined;
let desktop: Desktop | undefined;
/** A second launch (or a click) before the engine is up: the window opens once it is. */
let showWhenReady = false;

function showWindow(): void {
  if (!desktop) {
    showWhenReady = true;
    return;
  }
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(paths);
    desktop.attachWindow(mainWindow);
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  try {
    // Logs go to the platform's log folder (secrets redacted by the logger).
    engine = await startEngineWorker(defaultWorkerFile(import.meta.url), {
      dataDir: app.getPath('userData'),
      logDir: app.getPath('logs'),
    });
  } catch (err) {
    dialog.showErrorBox('ClassBridge cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  const activeUpdater = startUpdater({ engine, logger: createLogger(app.getPath('logs'), 'classbridge-updater') });
  updater = activeUpdater;
  registerApiIpc(engine, paths.rendererIndex, { 'app:updateStatus': () => activeUpdater.status() });
  const desktopLogger = createLogger(app.getPath('logs'), 'classbridge-desktop');
  desktop = startDesktop({
    engine,
    dataDir: app.getPath('userData'),
    showWindow,
    updateReady: () => {
      const update = activeUpdater.status();
      return update.state === 'downloaded' && update.availableVersion
        ? { version: update.availableVersion }
        : undefined;
    },
    askToRestart: () => activeUpdater.ask(),
    onError: (err, what) => desktopLogger.warn({ err }, `desktop: ${what} failed`),
  });
  // Started at login: the tray only, until the admin opens the window.
  const atLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (showWhenReady || !startsHidden(process.argv, atLogin)) showWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another ClassBridge is running: it receives 'second-instance' and shows its window.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // ClassBridge keeps running in the tray (the schedules go on); only Quit ends it.
  });
  let stopping = false;
  app.on('before-quit', (event) => {
    if (!engine || stopping) return;
    event.preventDefault();
    stopping = true;
    updater?.stop();
    desktop?.quitting();
    // The engine lets an upload finish the batch it is sending, journals it and stops.
    void engine.stop().finally(() => {
      desktop?.stop();
      app.quit();
    });
  });
  void app.whenReady().then(start);
}
