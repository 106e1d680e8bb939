import type { NormalizedEvent } from '../../model/index.js';
import { RecordError } from './types.js';

/**
 * Reading vendor documents whose keys may be dotted-flat (`"kibana.alert.rule.name"`), nested (`host.os.name`) or
 * both at once (`{"kibana.alert": {"rule.name": …}}`), plus the small value readers every format shares.
 */

export type Doc = Record<string, unknown>;

export const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The value at a dotted path, however the document spells it. At each level the longest dotted key that matches
 * wins, so a flat `"a.b"` is preferred to a nested `a: {b}` when a document holds both. Arrays are not entered.
 */
export function get(doc: unknown, path: string): unknown {
  return lookup(doc, path.split('.'), 0);
}

function lookup(node: unknown, parts: string[], from: number): unknown {
  if (!isObject(node)) return undefined;
  for (let end = parts.length; end > from; end--) {
    const key = parts.slice(from, end).join('.');
    if (!Object.hasOwn(node, key)) continue;
    const value = node[key];
    const found = end === parts.length ? value : lookup(value, parts, end);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first path that holds a value. */
export function first(doc: unknown, ...paths: string[]): unknown {
  for (const path of paths) {
    const v = get(doc, path);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** A non-empty trimmed string; numbers are written out, anything else is absent. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t && t !== '-' ? t : undefined;
}

/** A finite number, also from a numeric string ("56404"); absent otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** A port: an integer 0–65535. */
export function port(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Strings from a single value or an array of them, empties dropped; absent when none are left. */
export function strs(v: unknown): string[] | undefined {
  const list = (Array.isArray(v) ? v : [v]).map(str).filter((s): s is string => s !== undefined);
  return list.length ? list : undefined;
}

/** Unique values in first-seen order; absent when empty. */
export function uniq(values: (string | undefined)[]): string[] | undefined {
  const out = [...new Set(values.filter((s): s is string => s !== undefined))];
  return out.length ? out : undefined;
}

const HEX_LENGTH = { md5: 32, sha1: 40, sha256: 64 } as const;

/**
 * A hash only when it is a hex string of the algorithm's length, lower-cased. Test data carries placeholders such
 * as "fake md5" that must never become a hash entity.
 */
export function hash(algo: keyof typeof HEX_LENGTH, v: unknown): string | undefined {
  const s = str(v);
  return s && s.length === HEX_LENGTH[algo] && /^[0-9a-f]+$/i.test(s) ? s.toLowerCase() : undefined;
}

/** `name@domain` split into its parts; a value without `@` is a bare name. */
export function splitUpn(upn: string): { name: string; domain?: string } {
  const at = upn.lastIndexOf('@');
  if (at <= 0 || at === upn.length - 1) return { name: upn };
  return { name: upn.slice(0, at), domain: upn.slice(at + 1) };
}

/**
 * JSON text with object keys sorted at every depth, so that two records with the same content in a different key
 * order give the same text: the identity of records whose source has no id of its own.
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A field that holds JSON as a string (Sentinel exports `InitiatedBy`, `TargetResources`, `Folders`… that way).
 * Already-parsed values pass through; an empty string or null is absent; text that is not JSON quarantines the
 * record with the field's name, because silently dropping it would hide who did what.
 */
export function jsonField(record: Doc, field: string): unknown {
  const v = record[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return v;
  const text = v.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's own message differs between Node versions; the field and the text are what the reader needs.
    throw new RecordError(`${field} is not valid JSON: ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
  }
}

/**
 * Elastic documents arrive bare, as es_archiver records `{"type":"doc","value":{index,id,source}}`, or as search
 * hits `{_index,_id,_source}`. Returns the document and, where the wrapper names them, its index and id.
 */
export function unwrapElastic(record: Doc): { doc: Doc; index?: string; id?: string; envelope: 'es_archiver' | 'hit' | 'bare' } {
  const value = record['value'];
  if (record['type'] === 'doc' && isObject(value) && isObject(value['source'])) {
    return { doc: value['source'], ...defined('index', str(value['index'])), ...defined('id', str(value['id'])), envelope: 'es_archiver' };
  }
  const source = record['_source'];
  if (isObject(source)) {
    return { doc: source, ...defined('index', str(record['_index'])), ...defined('id', str(record['_id'])), envelope: 'hit' };
  }
  return { doc: record, envelope: 'bare' };
}

/** `{ [key]: value }` when the value is present, `{}` otherwise: for spreading optional members. */
export function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The normalised event as the formats build it: every optional member may also be `undefined`, which `finish`
 * removes (with empty objects and arrays), so mappers can write `name: str(x)` without a guard per field.
 */
export type Draft<T> = T extends string | number | boolean
  ? T
  : T extends (infer U)[]
    ? Draft<U>[]
    : { [K in RequiredKeys<T>]: Draft<T[K]> } & { [K in OptionalKeys<T>]?: Draft<Exclude<T[K], undefined>> | undefined };

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type RequiredKeys<T> = Exclude<keyof T, OptionalKeys<T>>;

export function finish(draft: Draft<NormalizedEvent>): NormalizedEvent {
  return prune(draft) as NormalizedEvent;
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(prune).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (isObject(v)) {
    const out: Doc = {};
    for (const [k, member] of Object.entries(v)) {
      const p = prune(member);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
