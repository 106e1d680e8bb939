// Builds what runs outside a TypeScript checkout: the `quell` CLI bundle, the Electron main and preload, and the
// renderer. esbuild bundles the Node-side code (dependencies stay external packages); Vite builds the renderer.
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();

const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

await Promise.all([
  esbuild({ ...node, entryPoints: ['cli/bin.ts'], outfile: 'dist/cli/quell.mjs', format: 'esm' }),
  // Electron loads main as CommonJS; the sandboxed preload must be one self-contained CommonJS file.
  esbuild({ ...node, entryPoints: ['./electron/main/start.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron', 'better-sqlite3'] }),
  // The evidence import worker, beside each host that starts it.
  esbuild({ ...node, entryPoints: ['./core/ingest/import-worker.ts'], outfile: 'dist/cli/import-worker.mjs', format: 'esm' }),
  esbuild({ ...node, entryPoints: ['./core/ingest/import-worker.ts'], outfile: 'dist/electron/import-worker.cjs', format: 'cjs' }),
  esbuild({ ...node, packages: undefined, entryPoints: ['./electron/preload/index.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
]);

const { build: vite } = await import('vite');
await vite({ configFile: path.join(root, 'vite.renderer.config.ts'), logLevel: 'warn' });
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)}s`);
