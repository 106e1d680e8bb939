/**
 * Canonical JSON for hashing: object keys sorted by code unit, no whitespace, `undefined` members dropped as
 * JSON.stringify drops them. Anything JSON cannot represent faithfully is refused rather than silently changed,
 * because a value that hashes differently after a round trip through the database would look like tampering.
 */
export function canonicalJson(value: unknown): string {
  try {
    return writeFast(value);
  } catch (err) {
    if (err !== UNREPRESENTABLE) throw err;
    return write(value, '$'); // again, the slow way, to say where and what: this one throws the TypeError
  }
}

const UNREPRESENTABLE = new Error('not representable as JSON');
// Most strings need no escaping, and JSON.stringify is a runtime call per string: it dominated the walk.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * The journal append hot path: the same output as `write`, built as one string, without the member paths that only
 * an error message needs, and sorting keys only when they are not sorted already.
 */
function writeFast(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw UNREPRESENTABLE;
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + writeFast(value[i] ?? null);
        return out + ']';
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw UNREPRESENTABLE;
      const keys = Object.keys(value);
      for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1]! > keys[i]!) {
          keys.sort();
          break;
        }
      }
      let out = '{';
      for (const key of keys) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        out += (out.length === 1 ? '' : ',') + quote(key) + ':' + writeFast(member);
      }
      return out + '}';
    }
    default:
      throw UNREPRESENTABLE;
  }
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
