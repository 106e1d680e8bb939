// The emulated cluster's state: the alerts index, open points in time, endpoint response actions. Kibana's and
// Elasticsearch's routes both read it, as the real Kibana reads the real cluster.
import { compareBySort, compileQuery, parseSort, QueryError, sortValue, type SortKey, type StoredDoc } from './query.js';

export const ALIAS = '.alerts-security.alerts-default';
/** Elasticsearch's `index.max_result_window`. */
export const MAX_RESULT_WINDOW = 10_000;

export interface SearchBody {
  query?: unknown;
  size?: unknown;
  from?: unknown;
  sort?: unknown;
  search_after?: unknown;
  _source?: unknown;
  track_total_hits?: unknown;
}

export interface Pit {
  /** The documents the PIT sees: a snapshot taken when it was opened. */
  docs: StoredDoc[];
  expiresAt: number;
}

export interface ActionRecord {
  details: Record<string, unknown>;
  polls: number;
}

/** Polls after which a pending response action completes: the first poll sees it pending, the second done. */
export const POLLS_TO_COMPLETE = 2;

export class Cluster {
  readonly pits = new Map<string, Pit>();
  readonly actions = new Map<string, ActionRecord>();
  private pitSeq = 0;

  constructor(
    /** Sorted by `@timestamp` then alert uuid (the stream order `alertIds()` reports). */
    readonly docs: StoredDoc[],
    readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  /** Index names and patterns that resolve to the alerts index. */
  resolves(index: string): boolean {
    return index
      .split(',')
      .every((i) => i === ALIAS || i === '.internal.alerts-security.alerts-default-000001' || i === '.alerts-security.alerts-*' || i === '.alerts-security.alerts-default*' || i === '*');
  }

  openPit(keepAliveMs: number): string {
    const id = this.pitId();
    this.pits.set(id, { docs: this.docs.slice(), expiresAt: this.now() + keepAliveMs });
    return id;
  }

  /** A PIT id as Elasticsearch prints them (base64); a new id per search, all aliases of one snapshot. */
  pitId(): string {
    this.pitSeq++;
    return Buffer.from(`emulated-pit\u0001${this.pitSeq}\u0001${this.newId()}`).toString('base64').replace(/=+$/, '');
  }

  /**
   * Runs a search the way Elasticsearch does for these parameters. `implicitShardDoc`: a PIT search without
   * `_shard_doc` in its sort gets it appended as the tie-breaker (and in every hit's `sort`).
   */
  search(docs: StoredDoc[], body: SearchBody, options: { implicitShardDoc: boolean; allowSearchAfter: boolean }) {
    const size = body.size === undefined ? 10 : Number(body.size);
    const from = body.from === undefined ? 0 : Number(body.from);
    if (!Number.isInteger(size) || size < 0) throw new QueryError('illegal_argument_exception', `[size] parameter cannot be negative, found [${String(body.size)}]`);
    if (!Number.isInteger(from) || from < 0) throw new QueryError('illegal_argument_exception', `[from] parameter cannot be negative, found [${String(body.from)}]`);
    if (from + size > MAX_RESULT_WINDOW) {
      throw new QueryError(
        'illegal_argument_exception',
        `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
      );
    }
    const keys: SortKey[] = parseSort(body.sort);
    if (options.implicitShardDoc && !keys.some((k) => k.field === '_shard_doc')) keys.push({ field: '_shard_doc', desc: false });
    const now = this.now();
    const predicate = compileQuery(body.query, now);
    const hits = docs.filter(predicate);
    const withSort = hits.map((d) => ({ d, sort: keys.map((k) => sortValue(d, k.field)) }));
    // The index is kept in stream order, so the connector's own sort needs no sorting here.
    const streamOrder = keys.length >= 2 && keys.every((k, i) => !k.desc && k.field === ['@timestamp', 'kibana.alert.uuid', '_shard_doc'][i]);
    if (keys.length && !streamOrder) withSort.sort((a, b) => compareBySort(keys, a.sort, b.sort));
    let rest = withSort;
    if (options.allowSearchAfter && body.search_after !== undefined) {
      if (!keys.length) throw new QueryError('illegal_argument_exception', 'Sort must contain at least one field.');
      const after = body.search_after;
      if (!Array.isArray(after) || after.length !== keys.length) {
        throw new QueryError('illegal_argument_exception', `search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${keys.length}.`);
      }
      if (from > 0) throw new QueryError('illegal_argument_exception', '[from] parameter must be set to 0 when [search_after] is used.');
      const afterValues = after.map((v, i) => (keys[i]?.field === '@timestamp' && typeof v === 'string' ? Date.parse(v) : v)) as (string | number | null)[];
      rest = withSort.filter((h) => compareBySort(keys, h.sort, afterValues) > 0);
    }
    const page = rest.slice(from, from + size);
    return {
      total: hits.length,
      hits: page.map(({ d, sort }) => ({
        _index: d.index,
        _id: d.id,
        _score: null,
        _source: d.source,
        ...(keys.length ? { sort } : {}),
      })),
    };
  }
}
