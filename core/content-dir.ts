import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of content Quell ships (ATT&CK catalogue, Sigma rules): `content/` of the checkout or installed
 * package, found from this module whether it runs from source (core/) or from a bundle (dist/cli, dist/electron).
 * QUELL_CONTENT_DIR overrides; null when none is found.
 */
export function findContentDir(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  return findShippedDir('content', 'SOURCES.md', env.QUELL_CONTENT_DIR);
}

/** A folder Quell ships beside its code (`content/`, `playbooks/`), told by a file it holds; `override` wins. */
export function findShippedDir(name: string, marker: string, override: string | undefined): string | null {
  if (override) return override;
  // import.meta.url is absent in the CommonJS bundle Electron loads; __dirname is there instead.
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(here, up, name);
    if (fs.existsSync(path.join(dir, marker))) return dir;
  }
  return null;
}
