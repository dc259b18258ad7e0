import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/cli';
import { APP_CSP, isAppUrl, isExternalLinkAllowed, mainWindowOptions, navigationTarget } from './window-options';

describe('main window security', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const { webPreferences } = mainWindowOptions('/app/out/electron/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/out/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('uses a strict Content-Security-Policy that matches the page', () => {
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = readFileSync(join(REPO_ROOT, 'renderer/index.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy');
  });

  it('stays on the app page and sends only web links to the system browser', () => {
    const app = 'file:///opt/ClassBridge/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(`${app}#/courses`, app)).toBe(true);
    expect(isAppUrl('https://evil.example/', app)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isExternalLinkAllowed('https://docs.moodle.org/')).toBe(true);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('mailto:office@school.nz')).toBe(false);
    expect(navigationTarget(`${app}#/settings`, app)).toBe('app');
    expect(navigationTarget('http://moodle.school.nz/', app)).toBe('browser');
    expect(navigationTarget('classbridge://x', app)).toBe('blocked');
  });
});

describe('where electron may be imported', () => {
  it('only electron/main.ts, electron/preload.ts and electron/shell/ import electron', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) {
          const rel = relative(REPO_ROOT, path);
          const importsElectron = /from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/.test(
            readFileSync(path, 'utf8'),
          );
          const allowed =
            rel === 'electron/main.ts' || rel === 'electron/preload.ts' || rel.startsWith('electron/shell/');
          if (importsElectron && !allowed) offenders.push(rel);
        }
      }
    };
    for (const top of ['electron', 'adapters', 'renderer']) walk(join(REPO_ROOT, top));
    expect(offenders).toEqual([]);
  });
});
