import path from 'node:path';
import type { AssetFormat, AssetImportResult } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { parseAssetCsv, parseAssetYaml } from './asset-file.js';
import { badRow } from './errors.js';
import { parseNetbox, type ParsedInventory } from './netbox.js';
import { formatFromExtension, readText } from './read-file.js';

const PARSERS: Record<AssetFormat, (file: string, text: string) => ParsedInventory> = {
  netbox: parseNetbox,
  csv: parseAssetCsv,
  yaml: parseAssetYaml,
};

/**
 * Reads, checks and stores one inventory file as `source` (default: format and file name), replacing what that source
 * held. Runs inside the caller's write transaction, so a bad row leaves the stored inventory as it was.
 */
export function importAssets(
  store: Store,
  input: { path: string; format?: AssetFormat | undefined; source?: string | undefined },
  at: string,
): AssetImportResult {
  const format = input.format ?? formatFromExtension<AssetFormat>(input.path, { '.json': 'netbox', '.csv': 'csv', '.yaml': 'yaml', '.yml': 'yaml' }, '--format');
  const text = readText(input.path);
  const parsed = PARSERS[format](input.path, text);
  rejectDuplicateOrgs(input.path, parsed);
  const source = input.source ?? `${format}:${path.basename(input.path)}`;
  const previous = store.assets.sourceCounts(source);
  store.assets.replaceSource({ source, format, file: input.path, importedAt: at, ...parsed });
  return { source, format, file: input.path, counts: parsed.counts, previous };
}

function rejectDuplicateOrgs(file: string, parsed: ParsedInventory): void {
  const seen = new Set<string>();
  for (const o of parsed.orgs) {
    const key = `${o.kind}\0${o.name}`;
    if (seen.has(key)) throw badRow(file, `${o.kind}s`, 'name', `"${o.name}" appears twice`);
    seen.add(key);
  }
  for (const a of parsed.assets) {
    if (seen.has(a.key)) throw badRow(file, a.kind === 'vm' ? 'virtual_machines' : `${a.kind}s`, 'id', `${a.key} appears twice`);
    seen.add(a.key);
  }
}
