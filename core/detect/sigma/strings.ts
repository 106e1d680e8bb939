// Sigma string values: wildcards (`*`, `?`), escaping (`\*`, `\?`, `\\`), and the tests a value compiles to.

/** A wildcard inside a Sigma string: `*` any run of characters (also none), `?` exactly one character. */
export const STAR = 0;
export const ONE = 1;
export type Wildcard = typeof STAR | typeof ONE;
/** A Sigma string as literal runs and wildcards, adjacent literals merged, `**` collapsed. */
export type SigmaString = (string | Wildcard)[];

/**
 * Parses a rule value as the Sigma specification escapes it: a backslash escapes `*`, `?` and a backslash; any
 * other backslash is a plain backslash (so `C:\Windows` needs no escaping, and `\\\\` is two backslashes).
 */
export function parseSigmaString(text: string): SigmaString {
  const out: SigmaString = [];
  let literal = '';
  const flush = () => {
    if (literal) out.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else literal += c;
    } else if (c === '*' || c === '?') {
      flush();
      const w = c === '*' ? STAR : ONE;
      if (!(w === STAR && out[out.length - 1] === STAR)) out.push(w);
    } else literal += c;
  }
  flush();
  return out;
}

/** A string with no wildcards: every character literal (values produced by encodings, field references). */
export const plain = (text: string): SigmaString => (text ? [text] : []);

export const hasWildcards = (s: SigmaString): boolean => s.some((p) => typeof p !== 'string');

/** The literal text of a string without wildcards. */
export const literalOf = (s: SigmaString): string => s.join('');

/** Back to Sigma notation (wildcards as `*`/`?`, literal ones escaped): how a pattern is shown to a person. */
export function formatSigmaString(s: SigmaString): string {
  return s.map((p) => (p === STAR ? '*' : p === ONE ? '?' : p.replace(/[\\*?]/g, (c) => `\\${c}`))).join('');
}

export function withStar(s: SigmaString, where: 'start' | 'end'): SigmaString {
  if (where === 'start') return s[0] === STAR ? s : [STAR, ...s];
  return s[s.length - 1] === STAR ? s : [...s, STAR];
}

/**
 * A compiled test of one string value. `test` receives the record's value lower-cased unless the test is cased,
 * in which case it receives the value as written.
 */
export interface StringTest {
  cased: boolean;
  test(value: string): boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The fastest test that matches a Sigma string: equality, prefix, suffix or substring where the wildcards allow,
 * else one anchored regular expression. Case-insensitive tests compare lower-cased text.
 */
export function compileSigmaString(s: SigmaString, cased: boolean): StringTest {
  const fold = (t: string) => (cased ? t : t.toLowerCase());
  const parts = s.map((p) => (typeof p === 'string' ? fold(p) : p));
  const n = parts.length;
  if (n === 0) return { cased, test: (v) => v === '' };
  if (n === 1) {
    const p = parts[0]!;
    if (p === STAR) return { cased, test: () => true };
    if (typeof p === 'string') return { cased, test: (v) => v === p };
  }
  if (n === 2 && parts[0] === STAR && typeof parts[1] === 'string') {
    const p = parts[1];
    return { cased, test: (v) => v.endsWith(p) };
  }
  if (n === 2 && typeof parts[0] === 'string' && parts[1] === STAR) {
    const p = parts[0];
    return { cased, test: (v) => v.startsWith(p) };
  }
  if (n === 3 && parts[0] === STAR && typeof parts[1] === 'string' && parts[2] === STAR) {
    const p = parts[1];
    return { cased, test: (v) => v.includes(p) };
  }
  const source = parts.map((p) => (p === STAR ? '[\\s\\S]*' : p === ONE ? '[\\s\\S]' : escapeRegExp(p))).join('');
  const re = new RegExp(`^${source}$`, 'u');
  return { cased, test: (v) => re.test(v) };
}
