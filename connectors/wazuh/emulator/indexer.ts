// The Wazuh indexer as the emulator speaks it (OpenSearch 2.x `_search`): daily `wazuh-alerts-4.x-YYYY.MM.DD`
// indices matched by the path's index pattern, `range` on `timestamp` with date math, `sort` + `search_after`,
// `from` + `size` capped by `index.max_result_window`, and OpenSearch's error envelope.
import { createHash } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, EmulatorRoute } from '../../sdk/index.js';
import { alertTimeMs as parseTime, type Doc } from './data.js';

// Parsed once per alert: every search filters and sorts the whole stream.
const times = new WeakMap<Doc, number>();
function alertTimeMs(a: Doc): number {
  let t = times.get(a);
  if (t === undefined) {
    t = parseTime(a);
    times.set(a, t);
  }
  return t;
}

export const OPENSEARCH_VERSION = '2.19.2';
const MAX_RESULT_WINDOW = 10_000;

export function openSearchError(status: number, type: string, reason: string): EmulatorReply {
  return { status, json: { error: { root_cause: [{ type, reason }], type, reason }, status } };
}

const indices = new WeakMap<Doc, string>();
/** The daily index an alert lives in. */
export function indexOf(a: Doc): string {
  let i = indices.get(a);
  if (i === undefined) {
    i = `wazuh-alerts-4.x-${new Date(alertTimeMs(a)).toISOString().slice(0, 10).replace(/-/g, '.')}`;
    indices.set(a, i);
  }
  return i;
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** OpenSearch date math the pull uses: `now`, `now-24h`, ISO-8601, epoch millis. */
export function dateMath(value: unknown, nowMs: number): number {
  if (typeof value === 'number') return value;
  const s = String(value);
  const m = /^now(?:-(\d+)([smhdwMy]))?$/.exec(s);
  if (m) {
    if (!m[1]) return nowMs;
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, M: 2592e6, y: 31536e6 }[m[2] as 's']!;
    return nowMs - Number(m[1]) * unit;
  }
  if (/^\d+$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`failed to parse date field [${s}]`);
  return t;
}

type Filter = (a: Doc) => boolean;

/** The query subset the connector and a person trying the emulator send: match_all, range on timestamp, bool.filter/must. */
function compile(query: unknown, nowMs: number): Filter {
  if (query === undefined || query === null) return () => true;
  const q = query as Record<string, unknown>;
  if ('match_all' in q) return () => true;
  if ('range' in q) {
    const [field, cond] = Object.entries(q['range'] as Record<string, Record<string, unknown>>)[0] ?? [];
    if (field !== 'timestamp' && field !== '@timestamp') throw new Error(`range on [${String(field)}] is not supported by the emulator`);
    const c = cond ?? {};
    const gte = c['gte'] !== undefined ? dateMath(c['gte'], nowMs) : -Infinity;
    const gt = c['gt'] !== undefined ? dateMath(c['gt'], nowMs) : -Infinity;
    const lte = c['lte'] !== undefined ? dateMath(c['lte'], nowMs) : Infinity;
    const lt = c['lt'] !== undefined ? dateMath(c['lt'], nowMs) : Infinity;
    return (a) => {
      const t = alertTimeMs(a);
      return t >= gte && t > gt && t <= lte && t < lt;
    };
  }
  if ('bool' in q) {
    const b = q['bool'] as Record<string, unknown>;
    const parts = ['filter', 'must'].flatMap((k) => (b[k] === undefined ? [] : Array.isArray(b[k]) ? (b[k] as unknown[]) : [b[k]]));
    const filters = parts.map((p) => compile(p, nowMs));
    return (a) => filters.every((f) => f(a));
  }
  throw new Error(`query [${Object.keys(q)[0] ?? ''}] is not supported by the emulator`);
}

interface SortKey {
  field: string;
  desc: boolean;
}

function sortKeys(sort: unknown): SortKey[] {
  const list = sort === undefined ? [] : Array.isArray(sort) ? sort : [sort];
  return list.map((s) => {
    if (typeof s === 'string') return { field: s, desc: false };
    const [field, spec] = Object.entries(s as Record<string, unknown>)[0] ?? ['', 'asc'];
    const order = typeof spec === 'string' ? spec : (spec as { order?: string }).order ?? 'asc';
    return { field, desc: order === 'desc' };
  });
}

/** The sort value of a field: dates as epoch millis (what OpenSearch returns in `sort`), keywords as strings. */
function sortValue(a: Doc, field: string): number | string {
  if (field === 'timestamp' || field === '@timestamp') return alertTimeMs(a);
  let v: unknown = a;
  for (const part of field.split('.')) v = v && typeof v === 'object' ? (v as Doc)[part] : undefined;
  return typeof v === 'number' ? v : String(v ?? '');
}

const cmp = (x: number | string, y: number | string) => (x < y ? -1 : x > y ? 1 : 0);

export function indexerRoutes(alerts: () => Doc[], served: { index: (a: Doc) => string }): EmulatorRoute[] {
  const search = (req: EmulatorRequest): EmulatorReply => {
    const target = req.params['index'] ?? '*';
    const patterns = target.split(',').map(glob);
    const all = alerts();
    const names = new Set(all.map(served.index));
    const matched = [...names].filter((i) => patterns.some((p) => p.test(i)));
    if (!target.includes('*') && matched.length === 0) return openSearchError(404, 'index_not_found_exception', `no such index [${target}]`);

    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const size = Number(body['size'] ?? req.query.get('size') ?? 10);
    const from = Number(body['from'] ?? 0);
    if (from + size > MAX_RESULT_WINDOW) {
      return openSearchError(400, 'illegal_argument_exception', `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets.`);
    }
    let filter: Filter;
    try {
      filter = compile(body['query'], Date.now());
    } catch (e) {
      return openSearchError(400, 'parsing_exception', (e as Error).message);
    }
    const keys = sortKeys(body['sort']);
    const after = body['search_after'];
    if (after !== undefined && (!Array.isArray(after) || after.length !== keys.length)) {
      return openSearchError(400, 'illegal_argument_exception', `search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${keys.length}.`);
    }
    const inIndex = new Set(matched);
    let docs = all.filter((a) => inIndex.has(served.index(a)) && filter(a));
    const total = docs.length;
    const order = (x: Doc, y: Doc) => {
      for (const k of keys) {
        const c = cmp(sortValue(x, k.field), sortValue(y, k.field));
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    };
    // The stream is held in (timestamp, id) order already: the pull's own sort needs no work.
    const streamOrder = keys.length === 2 && keys[0]!.field === 'timestamp' && !keys[0]!.desc && keys[1]!.field === 'id' && !keys[1]!.desc;
    if (keys.length && !streamOrder) docs = docs.slice().sort(order);
    if (Array.isArray(after)) {
      docs = docs.filter((d) => {
        for (let i = 0; i < keys.length; i++) {
          const c = cmp(sortValue(d, keys[i]!.field), after[i] as number | string);
          if (c !== 0) return keys[i]!.desc ? c < 0 : c > 0;
        }
        return false;
      });
    }
    const page = docs.slice(from, from + size);
    const trackTotal = body['track_total_hits'];
    return {
      json: {
        took: 3,
        timed_out: false,
        _shards: { total: Math.max(1, matched.length), successful: Math.max(1, matched.length), skipped: 0, failed: 0 },
        hits: {
          ...(trackTotal === false ? {} : { total: trackTotal === true || total <= 10_000 ? { value: total, relation: 'eq' } : { value: 10_000, relation: 'gte' } }),
          max_score: null,
          hits: page.map((a) => ({
            _index: served.index(a),
            _id: createHash('sha1').update(String(a['id'])).digest('base64url').slice(0, 20),
            _score: null,
            _source: a,
            ...(keys.length ? { sort: keys.map((k) => sortValue(a, k.field)) } : {}),
          })),
        },
      },
      served: page.map((a) => String(a['id'])),
    };
  };

  return [
    {
      method: 'GET',
      path: '/',
      handle: () => ({
        json: {
          name: 'wazuh-indexer',
          cluster_name: 'wazuh-cluster',
          cluster_uuid: 'emulator',
          version: { distribution: 'opensearch', number: OPENSEARCH_VERSION, lucene_version: '9.12.1' },
          tagline: 'The OpenSearch Project: https://opensearch.org/',
        },
      }),
    },
    { method: ['GET', 'POST'], path: /^\/(?<index>[^/_][^/]*)\/_search$/, handle: search },
    { method: ['GET', 'POST'], path: '/_search', handle: search },
  ];
}
