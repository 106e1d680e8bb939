import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { QuellError } from '../../api/index.js';
import { findContentDir } from '../../content-dir.js';

/** The shape of `content/attack/enterprise-techniques.json` (see content/SOURCES.md), checked once on load. */
export const CatalogueFile = z.object({
  source: z.object({ attack_version: z.string(), copyright: z.string() }),
  tactics: z.array(
    z.object({
      id: z.string().regex(/^TA\d{4}$/),
      shortname: z.string().min(1),
      name: z.string().min(1),
      order: z.number().int().min(1),
      url: z.string(),
      deprecated: z.boolean(),
      revoked: z.boolean(),
    }),
  ),
  techniques: z.array(
    z.object({
      id: z.string().regex(/^T\d{4}(\.\d{3})?$/),
      name: z.string().min(1),
      tactics: z.array(z.string()),
      platforms: z.array(z.string()).default([]),
      is_subtechnique: z.boolean(),
      parent: z.string().nullable(),
      deprecated: z.boolean(),
      revoked: z.boolean(),
      revoked_by: z.string().optional(),
      url: z.string(),
    }),
  ),
});
export type CatalogueFile = z.infer<typeof CatalogueFile>;

export const CATALOGUE_FILE = path.join('attack', 'enterprise-techniques.json');

/** Reads and checks the shipped catalogue; a missing or damaged file is `unavailable`, naming the path. */
export function readCatalogueFile(contentDir: string | null = findContentDir()): CatalogueFile {
  if (!contentDir) throw new QuellError('unavailable', 'The ATT&CK catalogue cannot be found: no content/ folder next to Quell (set QUELL_CONTENT_DIR).');
  const file = path.join(contentDir, CATALOGUE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new QuellError('unavailable', `The ATT&CK catalogue cannot be read: ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { details: { file } });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new QuellError('unavailable', `The ATT&CK catalogue is not JSON: ${file}: ${(err as Error).message}`, { details: { file } });
  }
  const parsed = CatalogueFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new QuellError('unavailable', `The ATT&CK catalogue is damaged: ${file}: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`, { details: { file } });
  }
  return parsed.data;
}
