import { EvalFailure } from './error.js';
import { isoMillis } from './time.js';

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };

export const MAX_STRING = 1_000_000;
export const MAX_ARRAY = 100_000;

/** Names that lead from a value to its prototype or constructor; never read, never written. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function typeName(v: Value): TypeName {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as TypeName;
}

/**
 * Scope values are meant to be JSON, but they come from connectors and YAML: what JSON cannot hold is read as null
 * (undefined, functions, NaN) and a Date as its ISO text, so nothing else ever reaches an operator.
 */
export function normalize(v: unknown): Value {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return v as Value;
    default:
      return null;
  }
}

export function isTruthy(v: Value): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A number, or a string that is exactly a decimal number (CACAO and many APIs send numbers as strings). */
export function asNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Own property or array element; anything missing, and any property of a non-container, is null. */
export function member(container: Value, key: string | number): Value {
  if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw new EvalFailure(`property ${JSON.stringify(key)} is not allowed`);
  if (container === null || typeof container !== 'object') return null;
  if (Array.isArray(container)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) return null;
    const i = key < 0 ? container.length + key : key;
    return i >= 0 && i < container.length ? normalize(container[i]) : null;
  }
  const k = String(key);
  return Object.hasOwn(container, k) ? normalize(container[k]) : null;
}

export function entries(obj: { [k: string]: Value }): [string, Value][] {
  return Object.keys(obj).map((k) => [k, normalize(obj[k])]);
}

export function elements(arr: Value[]): Value[] {
  return arr.map(normalize);
}

/** Equality as playbooks need it: strict on type, except a number equals the numeric string of the same value. */
export function equals(a: Value, b: Value): boolean {
  a = normalize(a);
  b = normalize(b);
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' && typeof b === 'string') return asNumber(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return asNumber(a) === b;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => equals(x, b[i]!));
  }
  const ka = Object.keys(a).filter((k) => normalize(a[k]) !== null || a[k] === null);
  const kb = Object.keys(b).filter((k) => normalize(b[k]) !== null || b[k] === null);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && equals(a[k]!, b[k]!));
}

/**
 * Order for `<`, `>`, min, max and sort: two numbers (a numeric string counts as its number when the other side is
 * a number), two ISO timestamps as instants, or two strings by UTF-16 code unit. Anything else is a mistake in the
 * playbook and is reported rather than guessed.
 */
export function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = isoMillis(a);
    const tb = ta === null ? null : isoMillis(b);
    if (ta !== null && tb !== null) return ta - tb;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const na = asNumber(a);
    const nb = asNumber(b);
    if (na !== null && nb !== null) return na - nb;
  }
  throw new EvalFailure(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/** Text for templates and string concatenation: strings as they are, null as nothing, the rest as compact JSON. */
export function stringify(v: Value): string {
  v = normalize(v);
  if (v === null) return '';
  if (typeof v === 'string') return v;
  return toJson(v);
}

/**
 * Compact JSON, written here with a running size check: JSON.stringify of a list holding the same large value many
 * times would build gigabytes before anything could refuse it.
 */
export function toJson(v: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const add = (s: string) => {
    size += s.length;
    if (size > MAX_STRING) throw new EvalFailure(`result is longer than ${MAX_STRING} characters`);
    parts.push(s);
  };
  const write = (x: unknown, inArray: boolean): boolean => {
    const value = normalize(x);
    if (value === null && x !== null && !inArray && (x === undefined || typeof x === 'function' || typeof x === 'symbol')) return false;
    if (value === null || typeof value !== 'object') {
      add(JSON.stringify(value));
      return true;
    }
    if (Array.isArray(value)) {
      add('[');
      value.forEach((item, i) => {
        if (i > 0) add(',');
        write(item, true);
      });
      add(']');
      return true;
    }
    add('{');
    let first = true;
    for (const k of Object.keys(value)) {
      const mark = parts.length;
      const before = size;
      add(`${first ? '' : ','}${JSON.stringify(k)}:`);
      if (write(value[k], false)) first = false;
      else {
        parts.length = mark;
        size = before;
      }
    }
    add('}');
    return true;
  };
  write(v, true);
  return parts.join('');
}

/** Refuse results past the size limits; evaluation has no loops, so these bound its memory. */
export function checkSize<T extends Value>(v: T): T {
  if (typeof v === 'string' && v.length > MAX_STRING) throw new EvalFailure(`result is longer than ${MAX_STRING} characters`);
  if (Array.isArray(v) && v.length > MAX_ARRAY) throw new EvalFailure(`result has more than ${MAX_ARRAY} elements`);
  return v;
}

/** `needle in haystack`: an element of an array, a substring of a string, an own key of an object; nothing is in null. */
export function within(needle: Value, haystack: Value): boolean {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) return haystack.some((x) => equals(x, needle));
  if (typeof haystack === 'string') {
    if (typeof needle === 'string' || typeof needle === 'number') return haystack.includes(String(needle));
    throw new EvalFailure(`cannot look for ${typeName(needle)} in a string`);
  }
  if (typeof haystack === 'object') return typeof needle === 'string' && Object.hasOwn(haystack, needle);
  throw new EvalFailure(`cannot look inside ${typeName(haystack)}`);
}
