import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Build configuration of renderer/ (kept outside it: renderer code may not import Node modules).

const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'renderer');

export default defineConfig({
  root: here,
  base: './',
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // The graph layout worker (renderer/graph/layout.ts) is a module worker: Vite emits it as its own file under
  // assets/, loaded from the app's origin, so the CSP's script-src 'self' covers it (a blob: URL would not pass).
  worker: { format: 'es' },
  oxc: { jsx: { runtime: 'automatic' } },
});
