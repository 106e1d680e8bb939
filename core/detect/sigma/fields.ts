// One field of a selection (`Field|mod1|mod2: value(s)`) compiled into a test over a record's values.
import { inCidr, ipBytes, parseCidr } from './net.js';
import {
  compileSigmaString,
  formatSigmaString,
  hasWildcards,
  literalOf,
  parseSigmaString,
  plain,
  withStar,
  type SigmaString,
} from './strings.js';
import { YamlNumber, type Scalar, type Value } from './yaml.js';

/** A rule the engine cannot run: compiled rules throw it, the loader turns it into a rejection with the reason. */
export class RuleError extends Error {}

/**
 * What a test reads from a record: the value of an interned field (`undefined` when absent) and that value's
 * scalars as raw values, as text and lower-cased text. Slot -1 is every value of the record (keyword search).
 */
export interface FieldReader {
  value(slot: number): unknown;
  scalars(slot: number): Candidates;
}

export interface Candidates {
  raw: readonly unknown[];
  text: readonly string[];
  lower: readonly string[];
  /** Where each value is in the original record (filled only when explaining a match). */
  paths?: readonly string[];
}

/** One candidate value of the record against one alternative of the rule. */
type Matcher = (raw: unknown, text: string, lower: string) => boolean;

/** One rule value after its modifiers: it matches when any of its expansions matches (or the field is absent, for null). */
export interface Alternative {
  /** The value as the rule wrote it, for explanations. */
  pattern: string;
  matchers: Matcher[];
  absent: boolean;
}

export type FieldTest =
  | {
      kind: 'values';
      field: string;
      modifiers: string[];
      slot: number;
      all: boolean;
      negate: boolean;
      alts: Alternative[];
    }
  | { kind: 'exists'; field: string; modifiers: string[]; slot: number; want: boolean }
  | {
      kind: 'fieldref';
      field: string;
      modifiers: string[];
      slot: number;
      all: boolean;
      negate: boolean;
      cased: boolean;
      position: 'eq' | 'contains' | 'startswith' | 'endswith';
      refs: { field: string; slot: number }[];
    };

const KNOWN = new Set([
  'contains', 'startswith', 'endswith', 'all', 'cased', 're', 'i', 'm', 's', 'cidr', 'base64', 'base64offset',
  'wide', 'utf16', 'utf16le', 'utf16be', 'windash', 'exists', 'lt', 'lte', 'gt', 'gte', 'neq', 'fieldref', 'expand',
  'minute', 'hour', 'day', 'week', 'month', 'year',
]);
const POSITION = new Set(['contains', 'startswith', 'endswith']);
const ENCODING = new Set(['base64', 'base64offset', 'wide', 'utf16', 'utf16le', 'utf16be']);
const NUMERIC = new Set(['lt', 'lte', 'gt', 'gte']);
const TIME = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

const isAbsent = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/** `Field|contains|all` → the field and its modifiers, each checked against the ones Sigma defines. */
export function splitFieldSpec(spec: string): { field: string; modifiers: string[] } {
  const [field, ...modifiers] = spec.split('|');
  for (const m of modifiers) {
    if (!KNOWN.has(m)) throw new RuleError(`unknown value modifier "${m}" in "${spec}"`);
  }
  return { field: field!, modifiers };
}

/**
 * Compiles one map entry of a selection. `slotOf` interns field names; the field `''` (a `'|all':` key, or a
 * keyword list) searches every value of the record.
 */
export function compileFieldTest(spec: string, value: Value, slotOf: (field: string) => number): FieldTest {
  const { field, modifiers } = splitFieldSpec(spec);
  const has = (m: string) => modifiers.includes(m);
  const where = `"${spec}"`;
  const slot = field === '' ? -1 : slotOf(field);
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (Array.isArray(v) || (v !== null && typeof v === 'object' && !(v instanceof YamlNumber))) {
      throw new RuleError(`${where}: a value is a ${Array.isArray(v) ? 'list' : 'map'}; field values must be strings, numbers, booleans or null`);
    }
  }
  const scalars = values as Scalar[];
  if (scalars.length === 0) throw new RuleError(`${where}: the list of values is empty`);
  for (const m of new Set(modifiers)) {
    if (modifiers.indexOf(m) !== modifiers.lastIndexOf(m)) throw new RuleError(`${where}: modifier "${m}" is given twice`);
  }
  if (has('expand')) {
    throw new RuleError(`${where}: the "expand" modifier needs placeholder values (%name%) from a processing pipeline, and Quell has none configured`);
  }
  const positions = modifiers.filter((m) => POSITION.has(m));
  if (positions.length > 1) throw new RuleError(`${where}: ${positions.join(' and ')} cannot be combined`);
  for (const sub of ['i', 'm', 's']) {
    if (has(sub) && !has('re')) throw new RuleError(`${where}: "${sub}" is a sub-modifier of "re" and needs it`);
  }

  if (has('exists')) {
    if (modifiers.length !== 1) throw new RuleError(`${where}: "exists" cannot be combined with other modifiers`);
    if (scalars.length !== 1 || typeof scalars[0] !== 'boolean') throw new RuleError(`${where}: "exists" takes one value, true or false`);
    if (slot === -1) throw new RuleError(`${where}: "exists" needs a field name`);
    return { kind: 'exists', field, modifiers, slot, want: scalars[0] };
  }

  const all = has('all');
  const negate = has('neq');
  const cased = has('cased');

  if (has('fieldref')) {
    const allowed = new Set(['fieldref', 'all', 'neq', 'cased', ...POSITION]);
    const bad = modifiers.filter((m) => !allowed.has(m));
    if (bad.length) throw new RuleError(`${where}: "fieldref" cannot be combined with ${bad.join(', ')}`);
    if (slot === -1) throw new RuleError(`${where}: "fieldref" needs a field name`);
    const refs = scalars.map((v) => {
      if (typeof v !== 'string' || !v) throw new RuleError(`${where}: "fieldref" values must be field names`);
      return { field: v, slot: slotOf(v) };
    });
    return { kind: 'fieldref', field, modifiers, slot, all, negate, cased, position: (positions[0] as 'contains' | undefined) ?? 'eq', refs };
  }

  // A keyword is found anywhere in a value: keyword search is an implicit `contains`.
  const applied = slot === -1 && !positions.length && !has('re') && !has('cidr') ? [...modifiers, 'contains'] : modifiers;
  const alts = scalars.map((v) => compileValue(slot === -1 && v instanceof YamlNumber ? v.text : v, applied, where, cased));
  return { kind: 'values', field, modifiers, slot, all, negate, alts };
}

/** Values that carry wildcards or are plain text, through the modifiers in the order the rule gives them. */
type Item = { s: SigmaString } | { bytes: Buffer };

function compileValue(value: Scalar, modifiers: string[], where: string, cased: boolean): Alternative {
  const pattern = value instanceof YamlNumber ? value.text : value === null ? 'null' : String(value);
  const has = (m: string) => modifiers.includes(m);

  if (value === null) {
    const others = modifiers.filter((m) => m !== 'all' && m !== 'neq');
    if (others.length) throw new RuleError(`${where}: null cannot be used with ${others.join(', ')}`);
    return { pattern, matchers: [], absent: true };
  }

  const numeric = modifiers.filter((m) => NUMERIC.has(m));
  const time = modifiers.filter((m) => TIME.has(m));
  if (numeric.length || time.length) {
    const kinds = [...numeric, ...time];
    if (kinds.length > 1) throw new RuleError(`${where}: ${kinds.join(' and ')} cannot be combined`);
    const bad = modifiers.filter((m) => !kinds.includes(m) && m !== 'all' && m !== 'neq');
    if (bad.length) throw new RuleError(`${where}: "${kinds[0]}" cannot be combined with ${bad.join(', ')}`);
    const n = value instanceof YamlNumber ? value.value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new RuleError(`${where}: "${kinds[0]}" needs a number, found ${JSON.stringify(pattern)}`);
    return { pattern, matchers: [numeric.length ? compare(numeric[0]!, n) : timePart(time[0]!, n)], absent: false };
  }

  if (has('cidr')) {
    const bad = modifiers.filter((m) => !['cidr', 'all', 'neq'].includes(m));
    if (bad.length) throw new RuleError(`${where}: "cidr" cannot be combined with ${bad.join(', ')}`);
    const cidr = typeof value === 'string' ? parseCidr(value) : null;
    if (!cidr) throw new RuleError(`${where}: ${JSON.stringify(pattern)} is not a CIDR network (10.0.0.0/8, fe80::/10)`);
    return {
      pattern,
      absent: false,
      matchers: [
        (_raw, text) => {
          const ip = ipBytes(text);
          return ip !== null && inCidr(ip, cidr);
        },
      ],
    };
  }

  if (has('re')) {
    const allowed = new Set(['re', 'i', 'm', 's', 'all', 'neq', 'cased']);
    const bad = modifiers.filter((m) => !allowed.has(m));
    if (bad.length) throw new RuleError(`${where}: "re" cannot be combined with ${bad.join(', ')}`);
    if (typeof value !== 'string') throw new RuleError(`${where}: "re" needs a string pattern`);
    const re = compileRegex(value, { i: has('i'), m: has('m'), s: has('s') }, where);
    return { pattern, absent: false, matchers: [(_raw, text) => re.test(text)] };
  }

  const stringModifiers = modifiers.some((m) => POSITION.has(m) || ENCODING.has(m) || m === 'windash');
  if (!stringModifiers && value instanceof YamlNumber) {
    const n = value.value;
    const text = value.text.toLowerCase();
    return {
      pattern,
      absent: false,
      matchers: [(raw, t, lower) => (typeof raw === 'number' ? raw === n : lower === text || (/^-?\d+(\.\d+)?$/.test(t.trim()) && Number(t) === n))],
    };
  }
  if (!stringModifiers && typeof value === 'boolean') {
    const text = String(value);
    return { pattern, absent: false, matchers: [(raw, _t, lower) => raw === value || lower === text] };
  }

  // Strings (numbers and booleans as their text once a string modifier applies).
  const source = value instanceof YamlNumber ? value.text : String(value);
  let items: Item[] = [{ s: parseSigmaString(source) }];
  for (const m of modifiers) {
    items = items.flatMap((item) => applyModifier(m, item, where));
    if (items.length > 1000) throw new RuleError(`${where}: the modifiers expand one value into more than 1000 variants`);
  }
  const matchers = items.map((item): Matcher => {
    const s = 's' in item ? item.s : plain(item.bytes.toString('latin1'));
    const t = compileSigmaString(s, cased);
    return cased ? (_raw, text) => t.test(text) : (_raw, _text, lower) => t.test(lower);
  });
  return { pattern, absent: false, matchers };
}

function applyModifier(m: string, item: Item, where: string): Item[] {
  switch (m) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (!('s' in item)) throw new RuleError(`${where}: "${m}" after an encoding modifier needs "base64" or "base64offset" in between`);
      let s = item.s;
      if (m !== 'startswith') s = withStar(s, 'start');
      if (m !== 'endswith') s = withStar(s, 'end');
      return [{ s }];
    }
    case 'windash': {
      if (!('s' in item)) throw new RuleError(`${where}: "windash" must come before any encoding modifier`);
      return windash(item.s).map((s) => ({ s }));
    }
    case 'wide':
    case 'utf16le':
    case 'utf16be':
    case 'utf16': {
      const text = textOf(item, m, where);
      const le = Buffer.from(text, 'utf16le');
      if (m === 'utf16be') return [{ bytes: le.swap16() }];
      if (m === 'utf16') return [{ bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]) }];
      return [{ bytes: le }];
    }
    case 'base64': {
      const bytes = 'bytes' in item ? item.bytes : Buffer.from(textOf(item, m, where), 'utf8');
      return [{ s: plain(bytes.toString('base64')) }];
    }
    case 'base64offset': {
      const bytes = 'bytes' in item ? item.bytes : Buffer.from(textOf(item, m, where), 'utf8');
      return base64Offsets(bytes).map((text) => ({ s: plain(text) }));
    }
    default:
      // all, cased, neq: flags read by the caller.
      return [item];
  }
}

function textOf(item: Item, m: string, where: string): string {
  if ('bytes' in item) return item.bytes.toString('latin1');
  if (hasWildcards(item.s)) {
    throw new RuleError(`${where}: "${m}" cannot encode a value with wildcards (${formatSigmaString(item.s)}); escape * and ? with a backslash to mean them literally`);
  }
  return literalOf(item.s);
}

/**
 * The three base64 forms a value takes depending on its offset in the encoded text (0, 1 or 2 bytes in), each cut to
 * the characters that do not depend on its neighbours: pySigma's `base64offset`.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const start = [0, 2, 3];
  const end = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const encoded = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const cut = end[(bytes.length + i) % 3]!;
    out.push(encoded.slice(start[i], cut === 0 ? undefined : cut));
  }
  return out;
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/**
 * `windash`: every `-` or `/` that starts a word (a command-line flag) may be written with any of the five dash
 * characters Windows accepts; all combinations.
 */
function windash(s: SigmaString): SigmaString[] {
  // Positions of flag dashes, as [part index, character index].
  const spots: [number, number][] = [];
  s.forEach((p, i) => {
    if (typeof p !== 'string') return;
    const re = /\B[-/]\b/g;
    for (let m = re.exec(p); m; m = re.exec(p)) spots.push([i, m.index]);
  });
  if (spots.length === 0) return [s];
  let out: SigmaString[] = [s];
  for (const [part, index] of spots) {
    out = out.flatMap((variant) =>
      DASHES.map((dash) => variant.map((p, i) => (i === part && typeof p === 'string' ? p.slice(0, index) + dash + p.slice(index + 1) : p))),
    );
  }
  return out;
}

function numberOf(raw: unknown, text: string): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  const t = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  return undefined;
}

function compare(op: string, n: number): Matcher {
  switch (op) {
    case 'lt':
      return (raw, text) => (numberOf(raw, text) ?? NaN) < n;
    case 'lte':
      return (raw, text) => (numberOf(raw, text) ?? NaN) <= n;
    case 'gt':
      return (raw, text) => (numberOf(raw, text) ?? NaN) > n;
    default:
      return (raw, text) => (numberOf(raw, text) ?? NaN) >= n;
  }
}

/** A time as a Date: ISO text (a zone-less one read as UTC), or epoch seconds (Zeek) or milliseconds. */
function dateOf(raw: unknown, text: string): Date | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return new Date(raw > 1e11 ? raw : raw * 1000);
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The time modifiers compare one part of a date, in UTC (Sigma does no zone conversion). */
function timePart(part: string, n: number): Matcher {
  const get: Record<string, (d: Date) => number> = {
    minute: (d) => d.getUTCMinutes(),
    hour: (d) => d.getUTCHours(),
    day: (d) => d.getUTCDate(),
    week: isoWeek,
    month: (d) => d.getUTCMonth() + 1,
    year: (d) => d.getUTCFullYear(),
  };
  const of = get[part]!;
  return (raw, text) => {
    const d = dateOf(raw, text);
    return d !== undefined && of(d) === n;
  };
}

/**
 * A Sigma (PCRE-flavoured) regular expression as a JavaScript one: leading inline flags `(?i)`, `(?s)`, `(?m)` become
 * flags, `(?P<name>` becomes `(?<name>`; anything JavaScript cannot compile is a rejection naming the pattern.
 */
export function compileRegex(pattern: string, flags: { i: boolean; m: boolean; s: boolean }, where: string): RegExp {
  let src = pattern;
  const set = new Set<string>();
  if (flags.i) set.add('i');
  if (flags.m) set.add('m');
  if (flags.s) set.add('s');
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === 'x') throw new RuleError(`${where}: the regular expression uses the (?x) extended flag, which JavaScript does not support`);
      set.add(f);
    }
    src = src.slice(inline[0].length);
  }
  src = src.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>');
  if (/\(\?[imsx-]+[:)]/.test(src)) throw new RuleError(`${where}: the regular expression sets flags inside the pattern (${pattern}), which JavaScript does not support`);
  if (/\(\?>|[*+?}]\+/.test(src)) throw new RuleError(`${where}: the regular expression uses atomic groups or possessive quantifiers, which JavaScript does not support`);
  try {
    return new RegExp(src, [...set].sort().join(''));
  } catch (err) {
    throw new RuleError(`${where}: the regular expression ${JSON.stringify(pattern)} does not compile (${(err as Error).message})`);
  }
}

/** Whether the field is absent (or null, or an empty list): what a rule value `null` matches. */
export { isAbsent };
