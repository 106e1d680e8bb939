import path from 'node:path';
import type { DepsFormat, DepsImportResult } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { formatFromExtension, readText } from '../assets/read-file.js';
import { parseDepsCsv, parseDepsYaml } from './dep-file.js';
import type { ParsedGraph } from './parsed-graph.js';
import { parseVizceral } from './vizceral.js';

const PARSERS: Record<DepsFormat, (file: string, text: string) => ParsedGraph> = {
  vizceral: parseVizceral,
  yaml: parseDepsYaml,
  csv: parseDepsCsv,
};

/** Reads and stores one dependency graph as `source`, replacing what that source held; inside the caller's write. */
export function importDependencies(
  store: Store,
  input: { path: string; format?: DepsFormat | undefined; source?: string | undefined },
  at: string,
): DepsImportResult {
  const format = input.format ?? formatFromExtension<DepsFormat>(input.path, { '.json': 'vizceral', '.csv': 'csv', '.yaml': 'yaml', '.yml': 'yaml' }, '--format');
  const parsed = PARSERS[format](input.path, readText(input.path));
  const source = input.source ?? `${format}:${path.basename(input.path)}`;
  const previous = store.dependencies.sourceCounts(source);
  store.dependencies.replaceSource({ source, format, file: input.path, importedAt: at, ...parsed });
  return { source, format, file: input.path, counts: parsed.counts, previous };
}
