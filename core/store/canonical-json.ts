/**
 * Canonical JSON for hashing: object keys sorted by code unit, no whitespace, `undefined` members dropped as
 * JSON.stringify drops them. Anything JSON cannot represent faithfully is refused rather than silently changed,
 * because a value that hashes differently after a round trip through the database would look like tampering.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be written as JSON`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => write(item ?? null, `${path}[${i}]`)).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`${path}: a ${(value as object).constructor?.name ?? 'non-plain object'} cannot be written as JSON`);
      }
      const keys = Object.keys(value).sort();
      const parts: string[] = [];
      for (const key of keys) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`${path}: ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`} cannot be written as JSON`);
  }
}
