// The slice of the Elasticsearch query DSL and sort the emulator evaluates: what the connector and a person trying
// queries by hand send (bool, range with date math, term/terms, ids, exists, match_all). Anything else is answered
// the way Elasticsearch answers an unknown query: 400 parsing_exception.

export type Source = Record<string, unknown>;

export interface StoredDoc {
  index: string;
  id: string;
  source: Source;
  /** `@timestamp` in epoch milliseconds (the sort value Elasticsearch returns for a date). */
  ts: number;
  /** Position in the index: the emulator's `_shard_doc`. */
  seq: number;
}

export class QueryError extends Error {
  constructor(
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** A field by its dotted name, whether the document stores it flat (`"kibana.alert.uuid"`) or nested (`host.name`). */
export function field(source: Source, name: string): unknown {
  if (name in source) return source[name];
  const parts = name.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const head = parts.slice(0, i).join('.');
    const value = source[head];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const found = field(value as Source, parts.slice(i).join('.'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `now`, `now-24h`, `now+1d`, an ISO date or epoch milliseconds, as epoch milliseconds. */
export function parseDate(value: unknown, now: number, format?: string): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') throw new QueryError('parse_exception', `failed to parse date field [${String(value)}]`);
  if (format === 'epoch_millis' && /^-?\d+$/.test(value)) return Number(value);
  const math = /^now(?:([+-])(\d+)([smhdw]))?(?:\/([smhdw]))?$/.exec(value);
  if (math) {
    let t = now + (math[1] ? (math[1] === '-' ? -1 : 1) * Number(math[2]) * (UNITS[math[3] ?? 's'] ?? 0) : 0);
    if (math[4]) t -= t % (UNITS[math[4]] ?? 1);
    return t;
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new QueryError('parse_exception', `failed to parse date field [${value}] with format [strict_date_optional_time||epoch_millis]`);
  }
  return parsed;
}

const isDateField = (name: string) => name === '@timestamp' || name.endsWith('_time') || name.endsWith('_at') || name === 'event.ingested';

function dateOf(doc: StoredDoc, name: string): number {
  const v = name === '@timestamp' ? doc.ts : field(doc.source, name);
  return typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
}

function asList(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function one(clause: unknown, what: string): [string, unknown] {
  if (!clause || typeof clause !== 'object' || Array.isArray(clause)) throw new QueryError('parsing_exception', `[${what}] query malformed, no start_object after query name`);
  const entries = Object.entries(clause);
  if (entries.length !== 1) throw new QueryError('parsing_exception', `[${what}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`);
  return entries[0] as [string, unknown];
}

export type Predicate = (doc: StoredDoc) => boolean;

/** The query as a predicate, parsed once per search (errors surface before any document is read). */
export function compileQuery(query: unknown, now: number): Predicate {
  if (query === undefined) return () => true;
  const [kind, body] = one(query, 'query');
  switch (kind) {
    case 'match_all':
      return () => true;
    case 'bool': {
      const b = (body ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(b)) {
        if (!['filter', 'must', 'should', 'must_not', 'minimum_should_match', 'boost'].includes(key)) {
          throw new QueryError('parsing_exception', `[bool] query does not support [${key}]`);
        }
      }
      const must = [...asList(b.filter), ...asList(b.must)].map((q) => compileQuery(q, now));
      const mustNot = asList(b.must_not).map((q) => compileQuery(q, now));
      const should = asList(b.should).map((q) => compileQuery(q, now));
      const min = should.length === 0 ? 0 : b.minimum_should_match === undefined ? (must.length ? 0 : 1) : Number(b.minimum_should_match);
      return (doc) => {
        for (const p of must) if (!p(doc)) return false;
        for (const p of mustNot) if (p(doc)) return false;
        if (min > 0) {
          let hits = 0;
          for (const p of should) if (p(doc) && ++hits >= min) break;
          if (hits < min) return false;
        }
        return true;
      };
    }
    case 'range': {
      const [name, spec] = one(body, 'range');
      const r = (spec ?? {}) as Record<string, unknown>;
      const format = typeof r.format === 'string' ? r.format : undefined;
      const isDate = isDateField(name);
      const bounds = (['gt', 'gte', 'lt', 'lte'] as const)
        .filter((op) => r[op] !== undefined && r[op] !== null)
        .map((op) => ({ op, bound: (isDate ? parseDate(r[op], now, format) : r[op]) as string | number }));
      return (doc) => {
        const v = isDate ? dateOf(doc, name) : (field(doc.source, name) as string | number | undefined | null);
        if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) return false;
        for (const { op, bound } of bounds) {
          if (op === 'gt' && !(v > bound)) return false;
          if (op === 'gte' && !(v >= bound)) return false;
          if (op === 'lt' && !(v < bound)) return false;
          if (op === 'lte' && !(v <= bound)) return false;
        }
        return true;
      };
    }
    case 'term': {
      const [name, spec] = one(body, 'term');
      const want = spec && typeof spec === 'object' && 'value' in spec ? (spec as { value: unknown }).value : spec;
      return (doc) => asList(field(doc.source, name)).some((v) => v === want);
    }
    case 'terms': {
      const [name, values] = one(body, 'terms');
      if (!Array.isArray(values)) throw new QueryError('parsing_exception', `[terms] query does not support [${name}]`);
      return (doc) => asList(field(doc.source, name)).some((v) => values.includes(v));
    }
    case 'ids': {
      const values = (body as { values?: unknown })?.values;
      return (doc) => Array.isArray(values) && values.includes(doc.id);
    }
    case 'exists': {
      const name = (body as { field?: unknown })?.field;
      return (doc) => typeof name === 'string' && field(doc.source, name) !== undefined;
    }
    default:
      throw new QueryError('parsing_exception', `unknown query [${kind}]`);
  }
}

export interface SortKey {
  field: string;
  desc: boolean;
}

/** `[{"@timestamp": "asc"}, {"kibana.alert.uuid": {"order": "asc"}}, "_shard_doc"]` as sort keys. */
export function parseSort(sort: unknown): SortKey[] {
  if (sort === undefined) return [];
  return asList(sort).map((s) => {
    if (typeof s === 'string') return { field: s, desc: false };
    const [name, spec] = one(s, 'sort');
    const order = typeof spec === 'string' ? spec : (spec as { order?: unknown })?.order;
    if (order !== undefined && order !== 'asc' && order !== 'desc') throw new QueryError('parsing_exception', `[sort] unknown order [${String(order)}]`);
    return { field: name, desc: order === 'desc' };
  });
}

/** The value Elasticsearch puts in a hit's `sort` array: dates as epoch millis, missing as null. */
export function sortValue(doc: StoredDoc, key: string): string | number | null {
  if (key === '@timestamp') return doc.ts;
  if (key === '_shard_doc' || key === '_doc') return doc.seq;
  if (key === '_id') return doc.id;
  const v = field(doc.source, key);
  if (Array.isArray(v)) return (v[0] as string | number | undefined) ?? null;
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

function cmp(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  // Missing values sort last, as Elasticsearch's default `missing: _last`.
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function compareBySort(keys: SortKey[], a: (string | number | null)[], b: (string | number | null)[]): number {
  for (let i = 0; i < keys.length; i++) {
    const c = cmp(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return keys[i]?.desc ? -c : c;
  }
  return 0;
}
