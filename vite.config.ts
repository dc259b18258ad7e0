import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const rendererOut = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * The dev server injects inline scripts (React refresh preamble) and inline <style> tags (CSS hot reload),
 * which the production CSP in index.html forbids. Relax it for `vite serve` only; builds keep it strict.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'classbridge:relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  // Electron loads the built page from file://, so every asset URL must be relative.
  base: './',
  plugins: [react(), relaxCspForDevServer()],
  build: {
    outDir: rendererOut,
    emptyOutDir: true,
  },
});
