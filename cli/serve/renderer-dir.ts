import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer: beside the bundled CLI (dist/cli → dist/renderer) or, when the CLI runs from source,
 * in dist/renderer of the checkout. QUELL_RENDERER_DIR overrides both.
 */
export function findRendererDir(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.QUELL_RENDERER_DIR,
    path.resolve(here, '../renderer'),
    path.resolve(here, '../../dist/renderer'),
    path.resolve(here, '../../../dist/renderer'),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}

/** fixtures/ of the checkout (or installed package), for the demo case's evidence. */
export function findFixturesDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../../fixtures'), path.resolve(here, '../../../fixtures')].find((dir) => fs.existsSync(path.join(dir, 'SOURCES.md'))) ?? null;
}

/**
 * The evidence import worker: bundled beside the CLI bundle (dist/cli/import-worker.mjs), or, when the CLI runs
 * from source under tsx, the bootstrap that registers tsx inside the worker (Node 20 workers do not inherit it).
 */
export function findImportWorker(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.join(here, 'import-worker.mjs');
  if (fs.existsSync(bundled)) return bundled;
  const source = path.resolve(here, '../../core/ingest/import-worker-tsx.mjs');
  return fs.existsSync(source) && here.endsWith(path.join('cli', 'serve')) ? source : undefined;
}
