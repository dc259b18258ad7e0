import { BrowserWindow, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_CSP, isAppUrl, isExternalLinkAllowed, mainWindowOptions } from './window-options';

/** Creates the main window with the locked-down options, CSP, navigation and permission rules. */
export function createMainWindow(paths: { preload: string; rendererIndex: string }): BrowserWindow {
  const appUrl = pathToFileURL(paths.rendererIndex).href;
  const window = new BrowserWindow(mainWindowOptions(paths.preload));

  // Nothing the renderer asks for (camera, notifications, geolocation, …) is granted.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });

  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl);
  return window;
}
