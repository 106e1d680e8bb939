import type { SigmaMatchedField } from '../../../core/model/index.js';

/**
 * Every leaf of a JSON record with its path spelled as the Sigma engine spells `matches[].paths`: keys joined with
 * `.` (a flat `"a.b"` key reads the same as nested ones), list items as `[i]`. Kept in the record's own order.
 */
export function recordLeaves(record: unknown): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  const walk = (node: unknown, path: string, depth: number) => {
    if (depth > 32) return;
    if (Array.isArray(node)) {
      if (node.length === 0) out.push({ path, value: '[]' });
      node.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    } else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length === 0 && path) out.push({ path, value: '{}' });
      for (const [k, v] of entries) walk(v, path ? `${path}.${k}` : k, depth + 1);
    } else if (path) {
      out.push({ path, value: typeof node === 'string' ? node : String(node) });
    }
  };
  walk(record, '', 0);
  return out;
}

/** Paths in the record's original that made the rule fire (a path into a list or object covers what is under it). */
export function matchedPaths(matches: readonly SigmaMatchedField[]): string[] {
  return [...new Set(matches.flatMap((m) => m.paths.filter((p) => !p.startsWith('@normalised.'))))];
}

export function isUnder(path: string, matched: readonly string[]): boolean {
  return matched.some((m) => path === m || path.startsWith(`${m}.`) || path.startsWith(`${m}[`));
}

/**
 * A text record (a Zeek TSV line) has no field names of its own; its columns are marked by the values the rule met,
 * compared whole, so a column is marked only when it holds exactly a matched value.
 */
export function matchedColumns(line: string, matches: readonly SigmaMatchedField[]): boolean[] {
  const values = new Set(matches.flatMap((m) => (m.value === null ? [] : [String(m.value)])));
  return line.split('\t').map((column) => values.has(column));
}
