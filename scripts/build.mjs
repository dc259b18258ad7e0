// Builds every entry: the Node/Electron side with esbuild (one file per entry, native modules and
// electron left external), the renderer with Vite. Output layout (out/<entry>/…) is relied on at
// run time: built entries find each other by relative URL (see engine-client.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const external = [
  'electron',
  'better-sqlite3',
  '@napi-rs/keyring',
  'electron-updater',
  'pino',
  'zod',
  'commander',
  'selfsigned',
];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
};

// Built beside out/ and swapped in at the end, so a test or host already running from out/ (another
// terminal, a parallel test run) never finds it half-built or deleted.
const staging = `out.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const started = Date.now();
await Promise.all([
  // ESM entries: one esbuild call, so shared code is bundled the same way into each.
  build({
    ...common,
    format: 'esm',
    entryPoints: {
      'host/cli': 'electron/host/cli.ts',
      'engine/engine-worker': 'electron/core/engine/engine-worker.ts',
      'electron/main': 'electron/main.ts',
      // The Moodle simulator and sample school for `classbridge demo` only: the demo imports this file
      // at run time (commands/demo.ts), so cli.mjs carries none of it.
      'host/demo-kit': 'adapters/testing/demo-kit.ts',
    },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
  }),
  // A sandboxed preload must be one CommonJS file that requires nothing but electron.
  build({
    ...common,
    format: 'cjs',
    entryPoints: { 'electron/preload': 'electron/preload.ts' },
    outdir: staging,
    outExtension: { '.js': '.cjs' },
  }),
]);
const vite = spawnSync(
  process.execPath,
  [
    'node_modules/vite/bin/vite.js',
    'build',
    '--logLevel',
    'warn',
    '--outDir',
    resolve(staging, 'renderer'),
    '--emptyOutDir',
  ],
  { stdio: 'inherit' },
);
if (vite.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  process.exit(vite.status ?? 1);
}
const previous = `out.previous-${process.pid}`;
try {
  renameSync('out', previous);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
renameSync(staging, 'out');
rmSync(previous, { recursive: true, force: true });
console.log(`build: out/ ready in ${Date.now() - started} ms`);
