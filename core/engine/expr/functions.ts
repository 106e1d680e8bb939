import { EvalFailure } from './error.js';
import { cidrHas, ipBytes, isPrivate, parseCidr } from './net.js';
import { isoMillis, millisToIso } from './time.js';
import {
  asNumber,
  checkSize,
  compare,
  elements,
  entries,
  equals,
  FORBIDDEN_KEYS,
  isTruthy,
  MAX_ARRAY,
  MAX_STRING,
  member,
  normalize,
  stringify,
  toJson,
  typeName,
  within,
  type Value,
} from './values.js';

/**
 * The whitelist. A function receives evaluated arguments and throws EvalFailure with a reason; the evaluator adds
 * where. Null rule: string functions pass null through, predicates answer false, collection functions treat null as
 * empty.
 */
type Fn = { min: number; max: number; run: (args: Value[], name: string) => Value };

const MAX_REGEX = 200;
const MAX_MATCH_INPUT = 100_000;

const fail = (reason: string): never => {
  throw new EvalFailure(reason);
};

function str(name: string, v: Value, what = 'a string'): string {
  if (typeof v === 'string') return v;
  return fail(`${name}() expects ${what}, not ${typeName(v)}`);
}

function num(name: string, v: Value): number {
  const n = asNumber(v);
  return n ?? fail(`${name}() expects a number, not ${typeof v === 'string' ? JSON.stringify(truncate(v)) : typeName(v)}`);
}

function int(name: string, v: Value): number {
  const n = num(name, v);
  return Number.isInteger(n) ? n : fail(`${name}() expects a whole number, not ${n}`);
}

function arr(name: string, v: Value): Value[] {
  if (v === null) return [];
  if (Array.isArray(v)) return elements(v);
  return fail(`${name}() expects an array, not ${typeName(v)}`);
}

function obj(name: string, v: Value): { [k: string]: Value } | null {
  if (v === null) return null;
  if (typeof v === 'object' && !Array.isArray(v)) return v;
  return fail(`${name}() expects an object, not ${typeName(v)}`);
}

const truncate = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Strings pass through a function of a string; null stays null. */
const onString = (fn: (s: string, args: Value[], name: string) => Value) => (args: Value[], name: string) =>
  args[0] === null ? null : fn(str(name, args[0]!), args, name);

/** `a.b.0.c` as used by filter, pluck, count and sort: a dotted path inside each element. */
function readPath(v: Value, path: string): Value {
  if (path === '') return v;
  let cur = v;
  for (const seg of path.split('.')) {
    if (FORBIDDEN_KEYS.has(seg)) fail(`property ${JSON.stringify(seg)} is not allowed`);
    cur = Array.isArray(cur) && /^-?\d+$/.test(seg) ? member(cur, Number(seg)) : member(cur, seg);
    if (cur === null) return null;
  }
  return cur;
}

const regexCache = new Map<string, RegExp>();

/** After `i`: does a repetition of more than one (`*`, `+`, `{n,}`, `{n,m}`) follow? `?` and `{n}` do not count. */
const unbounded = (p: string, i: number) => p[i] === '*' || p[i] === '+' || /^\{\d+,\d*\}/.test(p.slice(i, i + 24));

/**
 * Repetition inside repetition, as in `(a+)+` or `(\w*,)*`, is what makes a backtracking engine take exponential time;
 * JavaScript has no linear-time engine to fall back on, so such patterns are refused (a conservative check: it also
 * refuses some harmless ones).
 */
function hasNestedRepetition(p: string): boolean {
  const open: boolean[] = []; // per open group: does it hold an unbounded repetition?
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      if (unbounded(p, i + 1) && open.length) open[open.length - 1] = true;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (unbounded(p, i + 1) && open.length) open[open.length - 1] = true;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') open.push(false);
    else if (c === ')') {
      const inner = open.pop() ?? false;
      if (inner && unbounded(p, i + 1)) return true;
      if ((inner || unbounded(p, i + 1)) && open.length) open[open.length - 1] = true;
    } else if (unbounded(p, i + 1) && open.length) open[open.length - 1] = true;
  }
  return false;
}

function regex(pattern: string, flags: string): RegExp {
  if (pattern.length > MAX_REGEX) fail(`matches() refuses regular expressions longer than ${MAX_REGEX} characters`);
  if (hasNestedRepetition(pattern)) fail('matches() refuses nested repetition such as (a+)+, which can take exponential time');
  if (!/^[ims]*$/.test(flags)) fail(`matches() flags may only be i, m and s, not ${JSON.stringify(flags)}`);
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, flags);
    } catch {
      return fail(`matches() got an invalid regular expression ${JSON.stringify(pattern)}`);
    }
    if (regexCache.size >= 200) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(key, re);
  }
  return re;
}

function time(name: string, v: Value): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v; // epoch seconds, or milliseconds for large numbers
  return isoMillis(str(name, v, 'a time'));
}

function sortKey(v: Value): string {
  // unique(): one text per distinct value; object keys sorted so that key order does not matter.
  if (v === null || typeof v !== 'object') return `${typeof v}:${JSON.stringify(v)}`;
  if (Array.isArray(v)) return `[${elements(v).map(sortKey).join(',')}]`;
  return `{${entries(v)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, x]) => `${JSON.stringify(k)}:${sortKey(x)}`)
    .join(',')}}`;
}

function extreme(args: Value[], sign: 1 | -1): Value {
  const list = args.length === 1 && Array.isArray(args[0]) ? elements(args[0]) : args;
  let best: Value = null;
  for (const v of list) {
    if (v === null) continue;
    if (best === null || sign * compare(v, best) > 0) best = v;
  }
  return best;
}

const TABLE: Record<string, Fn> = {
  len: {
    min: 1,
    max: 1,
    run: ([v], name) => {
      if (v === null) return 0;
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (typeof v === 'object') return Object.keys(v!).length;
      return fail(`${name}() expects a string, array or object, not ${typeName(v!)}`);
    },
  },
  lower: { min: 1, max: 1, run: onString((s) => s.toLowerCase()) },
  upper: { min: 1, max: 1, run: onString((s) => s.toUpperCase()) },
  trim: { min: 1, max: 1, run: onString((s) => s.trim()) },
  contains: { min: 2, max: 2, run: ([h, n]) => within(n!, h!) },
  startsWith: { min: 2, max: 2, run: ([s, p], name) => (s === null ? false : str(name, s!).startsWith(str(name, p!))) },
  endsWith: { min: 2, max: 2, run: ([s, p], name) => (s === null ? false : str(name, s!).endsWith(str(name, p!))) },
  matches: {
    min: 2,
    max: 3,
    run: ([s, p, f], name) => {
      const re = regex(str(name, p!), f === undefined || f === null ? '' : str(name, f));
      // The input is capped so that a slow pattern has a bounded amount of text to backtrack over.
      return s === null ? false : re.test(str(name, s!).slice(0, MAX_MATCH_INPUT));
    },
  },
  replace: {
    min: 3,
    max: 3,
    run: onString((s, [, f, w], name) => {
      const find = str(name, f!);
      const by = str(name, w!);
      if (find === '') fail(`${name}() cannot replace an empty string`);
      const count = s.split(find).length - 1;
      if (s.length + count * (by.length - find.length) > MAX_STRING) fail(`result is longer than ${MAX_STRING} characters`);
      return s.replaceAll(find, () => by);
    }),
  },
  split: {
    min: 2,
    max: 2,
    run: ([s, sep], name) => (s === null ? [] : checkSize(str(name, s!).split(str(name, sep!)))),
  },
  join: {
    min: 1,
    max: 2,
    run: ([a, sep], name) => {
      const separator = sep === undefined || sep === null ? ',' : str(name, sep);
      let size = 0;
      const parts = arr(name, a!).map((x) => {
        const s = stringify(x);
        size += s.length + separator.length;
        if (size > MAX_STRING + separator.length) fail(`result is longer than ${MAX_STRING} characters`);
        return s;
      });
      return parts.join(separator);
    },
  },
  keys: { min: 1, max: 1, run: ([o], name) => Object.keys(obj(name, o!) ?? {}) },
  values: { min: 1, max: 1, run: ([o], name) => entries(obj(name, o!) ?? {}).map(([, v]) => v) },
  exists: { min: 1, max: 1, run: ([v]) => v !== null },
  coalesce: { min: 1, max: Infinity, run: (args) => args.find((v) => v !== null) ?? null },
  int: {
    min: 1,
    max: 1,
    run: ([v], name) => (v === null ? null : typeof v === 'boolean' ? Number(v) : Math.trunc(num(name, v!))),
  },
  float: { min: 1, max: 1, run: ([v], name) => (v === null ? null : typeof v === 'boolean' ? Number(v) : num(name, v!)) },
  string: { min: 1, max: 1, run: ([v]) => stringify(v!) },
  bool: {
    min: 1,
    max: 1,
    run: ([v]) => {
      // "true"/"false" arrive as strings from forms and CACAO variables; any other value by its truthiness.
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return isTruthy(v!);
    },
  },
  round: {
    min: 1,
    max: 2,
    run: ([v, d], name) => {
      if (v === null) return null;
      const n = num(name, v!);
      const digits = d === undefined ? 0 : int(name, d);
      if (digits < 0 || digits > 15) fail(`${name}() rounds to 0 to 15 digits, not ${digits}`);
      // Shift by the decimal exponent in text, so 1.005 rounds to 1.01 rather than meeting 100.49999… first.
      const shifted = Math.round(Number(`${Math.abs(n)}e${digits}`));
      const back = Number(`${shifted}e-${digits}`);
      const r = Number.isFinite(back) ? back : Math.round(Math.abs(n) * 10 ** digits) / 10 ** digits;
      return Math.sign(n) * r || 0;
    },
  },
  min: { min: 1, max: Infinity, run: (args) => extreme(args, -1) },
  max: { min: 1, max: Infinity, run: (args) => extreme(args, 1) },
  abs: { min: 1, max: 1, run: ([v], name) => (v === null ? null : Math.abs(num(name, v!))) },
  sum: {
    min: 1,
    max: 1,
    run: ([a], name) => {
      const total = arr(name, a!).reduce<number>((t, x) => t + num(name, x), 0);
      return Number.isFinite(total) ? total : fail(`${name}() result is not a finite number`);
    },
  },
  first: { min: 1, max: 1, run: ([a], name) => arr(name, a!)[0] ?? null },
  last: { min: 1, max: 1, run: ([a], name) => arr(name, a!).at(-1) ?? null },
  unique: {
    min: 1,
    max: 1,
    run: ([a], name) => {
      const seen = new Set<string>();
      return arr(name, a!).filter((x) => {
        const k = sortKey(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  },
  sort: {
    min: 1,
    max: 2,
    run: ([a, p], name) => {
      const path = p === undefined ? '' : str(name, p);
      const list = arr(name, a!);
      const keyed = list.map((v) => ({ v, k: readPath(v, path) }));
      // null sorts first; everything else by compare(), which refuses mixed types.
      keyed.sort((x, y) => (x.k === null ? (y.k === null ? 0 : -1) : y.k === null ? 1 : compare(x.k, y.k)));
      return keyed.map((e) => e.v);
    },
  },
  flatten: {
    min: 1,
    max: 1,
    run: ([a], name) => {
      const out: Value[] = [];
      for (const x of arr(name, a!)) {
        if (Array.isArray(x)) {
          if (out.length + x.length > MAX_ARRAY) fail(`result has more than ${MAX_ARRAY} elements`);
          out.push(...elements(x));
        } else out.push(x);
      }
      return out;
    },
  },
  slice: {
    min: 2,
    max: 3,
    run: ([a, s, e], name) => {
      const start = int(name, s!);
      const end = e === undefined || e === null ? undefined : int(name, e);
      if (a === null) return null;
      if (typeof a === 'string') return a.slice(start, end);
      return arr(name, a!).slice(start, end);
    },
  },
  parseTime: { min: 1, max: 1, run: ([v], name) => millisToIso(time(name, v!) ?? NaN) },
  addSeconds: {
    min: 2,
    max: 2,
    run: ([t, n], name) => {
      const ms = time(name, t!);
      const seconds = num(name, n!);
      if (ms === null) return null;
      return millisToIso(ms + seconds * 1000) ?? fail(`${name}() result is out of the range of dates`);
    },
  },
  secondsBetween: {
    min: 2,
    max: 2,
    run: ([a, b], name) => {
      const x = time(name, a!);
      const y = time(name, b!);
      return x === null || y === null ? null : (y - x) / 1000;
    },
  },
  cidrContains: {
    min: 2,
    max: 2,
    run: ([c, ip], name) => {
      const ranges = Array.isArray(c) ? elements(c) : [c!];
      const cidrs = ranges.map((r) => parseCidr(str(name, r, 'a CIDR range')) ?? fail(`${name}() got an invalid CIDR range ${JSON.stringify(truncate(r as string))}`));
      if (typeof ip !== 'string') return false;
      const address = ipBytes(ip);
      return address !== null && cidrs.some((cidr) => cidrHas(cidr, address));
    },
  },
  isPrivateIp: {
    min: 1,
    max: 1,
    run: ([ip]) => {
      const address = typeof ip === 'string' ? ipBytes(ip) : null;
      return address !== null && isPrivate(address);
    },
  },
  json: { min: 1, max: 1, run: ([v]) => toJson(v) },
  fromJson: {
    min: 1,
    max: 1,
    run: ([t], name) => {
      if (t === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(str(name, t!));
      } catch (e) {
        if (e instanceof EvalFailure) throw e;
        return fail(`${name}() got text that is not valid JSON`);
      }
      return normalize(parsed);
    },
  },
  filter: {
    min: 3,
    max: 3,
    run: ([a, p, v], name) => {
      const path = str(name, p!);
      return arr(name, a!).filter((x) => equals(readPath(x, path), v!));
    },
  },
  pluck: {
    min: 2,
    max: 2,
    run: ([a, p], name) => {
      const path = str(name, p!);
      return arr(name, a!).map((x) => readPath(x, path));
    },
  },
  count: {
    min: 3,
    max: 3,
    run: ([a, p, v], name) => {
      const path = str(name, p!);
      return arr(name, a!).filter((x) => equals(readPath(x, path), v!)).length;
    },
  },
};

/** Names of the allowed functions, for documentation and the playbook JSON schema. */
export const FUNCTIONS: readonly string[] = Object.freeze(Object.keys(TABLE));

export const FUNCTION_ARITY: ReadonlyMap<string, readonly [number, number]> = new Map(Object.entries(TABLE).map(([k, f]) => [k, [f.min, f.max] as const]));

export function callFunction(name: string, args: Value[]): Value {
  const fn = TABLE[name];
  if (!fn || !Object.hasOwn(TABLE, name)) return fail(`unknown function ${JSON.stringify(name)}`);
  return checkSize(fn.run(args, name));
}
