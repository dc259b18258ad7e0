/**
 * Packaging smoke test: runs electron-builder (`--dir`, Linux) with electron-builder.yml against a
 * stand-in Electron folder (a stub `electron` executable and a `version` file; this machine cannot
 * download Electron), then checks what the installers would carry: the asar holds main, preload, the
 * engine worker and the built renderer with every package they import; native modules sit unpacked;
 * app-update.yml carries the feed. Finally the engine worker runs from the packaged files (extracted
 * from the asar) under Node, which proves the packaged dependency set is complete. Whether Electron
 * itself starts the packaged app is for e2e/electron-app.spec.ts, where a binary exists.
 */
import { extractAll, extractFile, listPackage, statFile } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineWorker } from '../core/engine/engine-client';
import { REPO_ROOT } from '../test-support/cli';
import { expandFeedMacros, feedUrlFromAppUpdateYml } from './updater/update-policy';

const work = mkdtempSync(join(tmpdir(), 'classbridge-package-'));
const output = join(work, 'dist');
const resources = join(output, 'linux-unpacked', 'resources');
const asar = join(resources, 'app.asar');
let skipReason: string | undefined;
let seconds = 0;

function electronVersion(): string {
  return (
    JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
  ).version;
}

beforeAll(() => {
  const stub = join(work, 'electron-stand-in');
  mkdirSync(stub);
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stand-in Electron: it cannot start the app" >&2\nexit 1\n');
  chmodSync(join(stub, 'electron'), 0o755);
  writeFileSync(join(stub, 'version'), electronVersion());
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/electron-builder/cli.js'),
      '--config',
      'electron-builder.yml',
      '--dir',
      '--linux',
      '--x64',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 150_000, env: { ...process.env, CI: '1' } },
  );
  seconds = (Date.now() - started) / 1000;
  const log = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0 && /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|getaddrinfo/.test(log)) {
    skipReason = `electron-builder needed the network even with a stand-in Electron: ${log
      .split('\n')
      .find((l) => /ENOTFOUND|ECONN|EAI_AGAIN|ETIMEDOUT|getaddrinfo/.test(l))
      ?.trim()}`;
    console.warn(`packaging smoke test skipped: ${skipReason}`);
    return;
  }
  if (result.status !== 0)
    throw new Error(`electron-builder --dir failed (exit ${result.status}):\n${log.slice(-4000)}`);
  console.log(`packaging smoke test: electron-builder --dir took ${seconds.toFixed(1)} s`);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Package names a built entry imports (bare specifiers, not node: builtins or electron). */
function bareImports(file: string): string[] {
  const code = readFileSync(join(REPO_ROOT, file), 'utf8');
  const names = new Set<string>();
  for (const match of code.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["'](@?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/g,
  )) {
    const spec = match[1] ?? '';
    if (spec.startsWith('node:') || builtinModules.includes(spec) || spec === 'electron') continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec));
  }
  return [...names].sort();
}

describe.skipIf(process.platform !== 'linux')('packaged app (electron-builder --dir, stand-in Electron)', () => {
  it('the asar holds main, preload, the engine worker and the built renderer — no source maps', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const files = new Set(listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/')));
    for (const file of [
      '/package.json',
      '/out/electron/main.mjs',
      '/out/electron/preload.cjs',
      '/out/engine/engine-worker.mjs',
      '/out/renderer/index.html',
      '/out/host/cli.mjs',
      '/out/host/demo-kit.mjs',
    ]) {
      expect(files, file).toContain(file);
    }
    expect([...files].filter((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js')).length).toBeGreaterThan(
      0,
    );
    expect([...files].filter((f) => f.startsWith('/out/') && f.endsWith('.map'))).toEqual([]);
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; type: string };
    expect(pkg).toMatchObject({ main: 'out/electron/main.mjs', type: 'module' });
    // The worker stays inside the asar (Electron gives worker threads asar support); its bare
    // imports resolve only there, so unpacking it alone would break it.
    expect(statFile(asar, 'out/engine/engine-worker.mjs')).not.toHaveProperty('unpacked', true);
  });

  it('every package main and the worker import is in the asar', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const files = new Set(listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/')));
    const imports = [...bareImports('out/electron/main.mjs'), ...bareImports('out/engine/engine-worker.mjs')];
    expect(imports).toEqual(expect.arrayContaining(['better-sqlite3', '@napi-rs/keyring', 'electron-updater', 'pino']));
    const missing = imports.filter((name) => !files.has(`/node_modules/${name}/package.json`));
    expect(missing).toEqual([]);
  });

  it('native modules (SQLite, keychain) sit unpacked next to the asar, C sources left out', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const unpacked = `${asar}.unpacked`;
    const sqlite = 'node_modules/better-sqlite3/prebuilds/linux-x64.node';
    expect(existsSync(join(unpacked, sqlite))).toBe(true);
    expect(statFile(asar, sqlite)).toHaveProperty('unpacked', true);
    const keyringDir = join(unpacked, 'node_modules/@napi-rs/keyring-linux-x64-gnu');
    const keyring = readdirSync(keyringDir).filter((f) => f.endsWith('.node'));
    expect(keyring).toHaveLength(1);
    expect(statFile(asar, `node_modules/@napi-rs/keyring-linux-x64-gnu/${keyring[0]}`)).toHaveProperty(
      'unpacked',
      true,
    );
    expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/deps'))).toBe(false);
    expect(existsSync(join(unpacked, 'node_modules/better-sqlite3/src'))).toBe(false);
  });

  it('app-update.yml carries the generic feed from electron-builder.yml', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const yml = readFileSync(join(resources, 'app-update.yml'), 'utf8');
    expect(yml).toMatch(/^provider: generic$/m);
    const configured = /^publish:[\s\S]*?^\s+url:\s*(\S+)/m.exec(
      readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8'),
    );
    expect(configured?.[1]).toBeDefined();
    expect(feedUrlFromAppUpdateYml(yml)).toBe(expandFeedMacros(configured?.[1] ?? '', 'linux', 'x64'));
  });

  it('the engine worker runs from the packaged files (Node, with the packaged node_modules)', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const app = join(work, 'extracted');
    extractAll(asar, app);
    const dataDir = join(work, 'data');
    const engine = await startEngineWorker(pathToFileURL(join(app, 'out/engine/engine-worker.mjs')), {
      dataDir,
      secrets: 'memory',
      logDir: join(work, 'logs'),
    });
    try {
      const status = await engine.call('status:get', {});
      expect(status).toMatchObject({ ok: true, result: { setUp: false } });
      const update = await engine.call('app:updateStatus', {});
      expect(update).toMatchObject({ ok: true, result: { state: 'unavailable' } });
    } finally {
      await engine.stop();
    }
    expect(existsSync(join(work, 'logs', 'classbridge.log'))).toBe(true);
    expect(existsSync(join(dataDir, 'logs'))).toBe(false);
  }, 30_000);

  it('took under a minute to package', (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    expect(seconds).toBeLessThan(60);
  });
});
