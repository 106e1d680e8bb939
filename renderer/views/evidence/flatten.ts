/**
 * A normalised document as sorted `dotted.key → text` pairs, one per leaf. Arrays of plain values stay one row
 * (as JSON, so `["T1071","T1105"]` is not confused with a string holding a comma); arrays of objects get indices.
 */
export function flatten(doc: unknown): [string, string][] {
  const out: [string, string][] = [];
  const walk = (value: unknown, key: string) => {
    if (Array.isArray(value)) {
      if (value.some((v) => v !== null && typeof v === 'object')) value.forEach((v, i) => walk(v, `${key}.${i}`));
      else out.push([key, JSON.stringify(value)]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0 && key) out.push([key, '{}']);
      for (const [k, v] of entries) walk(v, key ? `${key}.${k}` : k);
    } else if (key) {
      out.push([key, typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)]);
    }
  };
  walk(doc, '');
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The original as it arrived: JSON pretty-printed, a text line (Zeek TSV…) as is. */
export function showOriginal(original: unknown): string {
  return typeof original === 'string' ? original : JSON.stringify(original, null, 2);
}
