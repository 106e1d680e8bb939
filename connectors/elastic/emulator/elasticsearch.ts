// Elasticsearch's routes the connector uses: `_security/_authenticate`, point in time open/close, `_search` with
// a PIT and `search_after`; errors in ES's envelope `{error:{root_cause,type,reason},status}`.
import { ALIAS, Cluster, type SearchBody } from './cluster.js';
import { QueryError } from './query.js';
import type { EmuRequest, EmuResponse } from './types.js';

export const ES_VERSION = '8.15.0';

export function esError(status: number, type: string, reason: string, extra: Record<string, unknown> = {}): EmuResponse {
  return { status, body: { error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status } };
}

export interface EsIdentity {
  username: string;
  apiKey?: { id: string; name: string };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function keepAlive(value: unknown): number | null {
  const m = typeof value === 'string' ? /^(\d+)(ms|s|m|h|d)$/.exec(value) : null;
  return m ? Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000) : null;
}

export class Elasticsearch {
  constructor(private readonly cluster: Cluster) {}

  handle(req: EmuRequest, who: EsIdentity | null): EmuResponse {
    if (!who) {
      const reason = `unable to authenticate with provided credentials for REST request [${req.path}]`;
      const res = esError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] } });
      return { ...res, headers: { 'www-authenticate': 'Basic realm="security" charset="UTF-8", ApiKey' } };
    }
    const route = `${req.method} ${req.path}`;
    if (route === 'GET /') {
      return { status: 200, body: { name: 'es-emulator', cluster_name: 'quell-emulator', version: { number: ES_VERSION, build_flavor: 'default' }, tagline: 'You Know, for Search' } };
    }
    if (route === 'GET /_security/_authenticate') {
      return {
        status: 200,
        body: {
          username: who.username,
          roles: ['soc_reader'],
          full_name: null,
          email: null,
          metadata: {},
          enabled: true,
          authentication_realm: who.apiKey ? { name: '_es_api_key', type: '_es_api_key' } : { name: 'native1', type: 'native' },
          lookup_realm: who.apiKey ? { name: '_es_api_key', type: '_es_api_key' } : { name: 'native1', type: 'native' },
          authentication_type: who.apiKey ? 'api_key' : 'realm',
          ...(who.apiKey ? { api_key: who.apiKey } : {}),
        },
      };
    }
    const pit = /^POST \/([^/_][^/]*)\/_pit$/.exec(route);
    if (pit) return this.openPit(decodeURIComponent(pit[1] ?? ''), req.query);
    if (route === 'DELETE /_pit') return this.closePit(req.body);
    const search = /^(?:GET|POST) \/(?:([^/_][^/]*)\/)?_search$/.exec(route);
    if (search) return this.search(search[1] === undefined ? undefined : decodeURIComponent(search[1]), req.body);
    return esError(400, 'illegal_argument_exception', `request [${req.path}] contains unrecognized parameter or path, or method [${req.method}] is not allowed`);
  }

  private openPit(index: string, q: URLSearchParams): EmuResponse {
    const ka = q.get('keep_alive');
    if (ka === null) return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
    const ms = keepAlive(ka);
    if (ms === null) return esError(400, 'illegal_argument_exception', `failed to parse setting [keep_alive] with value [${ka}] as a time value: unit is missing or unrecognized`);
    if (!this.cluster.resolves(index)) return esError(404, 'index_not_found_exception', `no such index [${index}]`, { 'resource.type': 'index_or_alias', 'resource.id': index, index });
    return { status: 200, body: { id: this.cluster.openPit(ms), _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } } };
  }

  private closePit(body: unknown): EmuResponse {
    const id = (body as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: no pit ids specified;');
    const pit = this.cluster.pits.get(id);
    // Every id the context was handed out under names the same context: freeing one frees it.
    for (const [k, v] of this.cluster.pits) if (v === pit) this.cluster.pits.delete(k);
    const found = pit !== undefined;
    return { status: found ? 200 : 404, body: { succeeded: found, num_freed: found ? 1 : 0 } };
  }

  /** A PIT that expired (or was never opened): what the `expire` fault makes of a live one. */
  static missingContext(id: string): EmuResponse {
    return esError(404, 'search_context_missing_exception', `No search context found for id [${id.slice(0, 24)}]`);
  }

  private search(index: string | undefined, raw: unknown): EmuResponse {
    const body = (raw && typeof raw === 'object' ? raw : {}) as SearchBody & { pit?: { id?: unknown; keep_alive?: unknown } };
    const started = this.cluster.now();
    let docs = this.cluster.docs;
    let pitId: string | undefined;
    if (body.pit !== undefined) {
      if (index !== undefined) return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
      const id = body.pit.id;
      if (typeof id !== 'string') return esError(400, 'parsing_exception', '[pit] failed to parse field [id]');
      const pit = this.cluster.pits.get(id);
      if (!pit || pit.expiresAt < started) {
        this.cluster.pits.delete(id);
        return Elasticsearch.missingContext(id);
      }
      const ms = body.pit.keep_alive === undefined ? null : keepAlive(body.pit.keep_alive);
      if (ms !== null) pit.expiresAt = started + ms;
      docs = pit.docs;
      // Elasticsearch may hand back a new id for the same context; the client must use the newest.
      pitId = this.cluster.pitId();
      this.cluster.pits.set(pitId, pit);
    } else if (index === undefined || !this.cluster.resolves(index)) {
      const name = index ?? '_all';
      if (index !== undefined) return esError(404, 'index_not_found_exception', `no such index [${name}]`, { 'resource.type': 'index_or_alias', 'resource.id': name, index: name });
    }
    try {
      const result = this.cluster.search(docs, body, { implicitShardDoc: pitId !== undefined, allowSearchAfter: true });
      return {
        status: 200,
        served: result.hits.map((h) => h._id),
        body: {
          ...(pitId ? { pit_id: pitId } : {}),
          took: Math.max(1, this.cluster.now() - started),
          timed_out: false,
          _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
          hits: { total: { value: result.total, relation: 'eq' }, max_score: null, hits: result.hits },
        },
      };
    } catch (e) {
      if (e instanceof QueryError) return esError(400, e.type, e.message);
      throw e;
    }
  }
}

export { ALIAS };
