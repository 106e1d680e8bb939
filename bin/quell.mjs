#!/usr/bin/env node
// `quell`: runs the bundled CLI (built by `npm install`/`npm run build`), or the TypeScript sources through tsx in a
// checkout where the bundle has not been built yet.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli/quell.mjs', import.meta.url));
if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  try {
    await import('tsx/esm');
  } catch {
    console.error('quell: the CLI has not been built and tsx is not installed; run "npm install" in the Quell folder.');
    process.exit(1);
  }
  await import(new URL('../cli/bin.ts', import.meta.url).href);
}
