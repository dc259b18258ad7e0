// Writes the tray icons (electron/shell/tray/tray-icons.ts) to build/tray/ as PNG files, to look at
// and for packaging: <state>.png (16 px), <state>@2x.png (32 px), <state>Template.png and
// <state>Template@2x.png (macOS). The app draws the same images in memory at run time.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

const bundled = await build({
  entryPoints: ['electron/shell/tray/tray-icons.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { TRAY_ICON_STATES, trayIconPng } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`
);
mkdirSync('build/tray', { recursive: true });
for (const state of TRAY_ICON_STATES) {
  writeFileSync(`build/tray/${state}.png`, trayIconPng(state, 16));
  writeFileSync(`build/tray/${state}@2x.png`, trayIconPng(state, 32));
  writeFileSync(`build/tray/${state}Template.png`, trayIconPng(state, 16, { template: true }));
  writeFileSync(`build/tray/${state}Template@2x.png`, trayIconPng(state, 32, { template: true }));
}
console.log(`tray-icons: ${TRAY_ICON_STATES.length * 4} PNGs in build/tray/`);
