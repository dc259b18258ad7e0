/**
 * The main window's options and the app's Content-Security-Policy, as plain values so a test can
 * check them without Electron. Decisions here are security decisions: keep them strict.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: boolean;
  };
}

export function mainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'ClassBridge',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  };
}

/** Only web links (http, https) leave the app, and they open in the system browser. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Where a navigation the page starts goes: its own page (a hash route) stays, a web link opens in
 * the system browser, anything else (file:, javascript:, custom schemes) goes nowhere.
 */
export function navigationTarget(url: string, appIndexUrl: string): 'app' | 'browser' | 'blocked' {
  if (isAppUrl(url, appIndexUrl)) return 'app';
  return isExternalLinkAllowed(url) ? 'browser' : 'blocked';
}

/** The window may only ever show the app's own page. */
export function isAppUrl(url: string, appIndexUrl: string): boolean {
  const strip = (u: string): string => u.split('#')[0]?.split('?')[0] ?? u;
  return strip(url) === strip(appIndexUrl);
}
