import { BrowserWindow, session, shell, type Session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_CSP, isAppUrl, mainWindowOptions, navigationTarget } from './window-options';

const lockedDown = new WeakSet<Session>();

/**
 * Nothing the page asks for (camera, notifications, geolocation, USB, …) is granted, and every
 * response carries the app's CSP (the page's own <meta> CSP covers file://, which has no headers).
 */
function lockDownSession(ses: Session): void {
  if (lockedDown.has(ses)) return;
  lockedDown.add(ses);
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
}

/** The page never leaves the app: web links open in the system browser, anything else is dropped. */
function keepOnAppPage(contents: WebContents, appUrl: string): void {
  const leave = (url: string): void => {
    if (navigationTarget(url, appUrl) === 'browser') void shell.openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, appUrl)) return;
    event.preventDefault();
    leave(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
}

/** Creates the main window with the locked-down options, CSP, navigation and permission rules. */
export function createMainWindow(paths: { preload: string; rendererIndex: string }): BrowserWindow {
  const appUrl = pathToFileURL(paths.rendererIndex).href;
  lockDownSession(session.defaultSession);
  const window = new BrowserWindow(mainWindowOptions(paths.preload));
  keepOnAppPage(window.webContents, appUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl);
  return window;
}
