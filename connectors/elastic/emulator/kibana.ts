// Kibana's routes, as CONNECTOR-APIS.md §1 documents them: Boom errors for the platform (401/403/404, route
// validation), the security solution's `{message, status_code}`, the kbn-xsrf pre-handler, spaces in the path.
import { Cluster, POLLS_TO_COMPLETE } from './cluster.js';
import { QueryError } from './query.js';
import type { EmuRequest, EmuResponse } from './types.js';

export const KIBANA_VERSION = '8.15.0';

const boom = (statusCode: number, error: string, message: string): EmuResponse => ({ status: statusCode, body: { statusCode, error, message } });
const siem = (status: number, message: string): EmuResponse => ({ status, body: { message, status_code: status } });
const notFound = () => boom(404, 'Not Found', 'Not Found');

export const XSRF_MISSING = { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' } as const;

const SEARCH_KEYS = ['query', 'aggs', 'size', 'track_total_hits', '_source', 'fields', 'runtime_mappings', 'sort', 'include_attacks'] as const;
const STATUSES = ['open', 'closed', 'acknowledged', 'in-progress'];
const REASONS = ['false_positive', 'issue_resolved', 'acceptable_risk', 'expected_activity', 'low_severity', 'duplicate', 'investigation_required'];
const AGENT_TYPES = ['endpoint', 'sentinel_one', 'crowdstrike', 'microsoft_defender_endpoint'];
const COMMANDS = ['isolate', 'unisolate'] as const;

/** Routes whose requests change something: recorded as the connector action they serve. */
const ACTION_ROUTES: [RegExp, string][] = [
  [/^POST \/api\/detection_engine\/signals\/status$/, 'set-alert-status'],
  [/^POST \/api\/endpoint\/action\/isolate$/, 'isolate-host'],
  [/^POST \/api\/endpoint\/action\/unisolate$/, 'release-host'],
];

export interface KibanaIdentity {
  username: string;
  profileUid: string;
}

export class Kibana {
  constructor(
    private readonly cluster: Cluster,
    private readonly newId: () => string,
    private readonly hostsByAgent: Map<string, string>,
  ) {}

  /** Kibana answers paths under `/api` and `/s/<space>/api`; everything else on this port is Elasticsearch. */
  static owns(path: string): boolean {
    return path.startsWith('/api/') || path === '/api' || path.startsWith('/s/');
  }

  handle(req: EmuRequest, who: KibanaIdentity | null): EmuResponse {
    // Authentication runs before the xsrf check (Kibana's xsrf handler is an onPostAuth hook).
    if (!who) return boom(401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers['kbn-xsrf'] === undefined) return { status: 400, body: { ...XSRF_MISSING } };
    let path = req.path;
    const space = /^\/s\/([^/]+)(\/.*)$/.exec(path);
    if (space) {
      // The emulator has one space; another space id is unknown to it, as to a Kibana where it was never created.
      if (space[1] !== 'default') return notFound();
      path = space[2] ?? '';
    }
    const route = `${req.method} ${path}`;
    const action = ACTION_ROUTES.find(([re]) => re.test(route))?.[1];
    const res = this.dispatch(req, route, who);
    // An action request is recorded once it is past auth and the xsrf check, whatever its body: as it arrived.
    return action ? { ...res, action } : res;
  }

  private dispatch(req: EmuRequest, route: string, who: KibanaIdentity): EmuResponse {
    if (route === 'GET /api/status') return this.status();
    const spaceRoute = /^GET \/api\/spaces\/space\/([^/]+)$/.exec(route);
    if (spaceRoute) {
      if (spaceRoute[1] !== 'default') return boom(404, 'Not Found', `Saved object [space/${spaceRoute[1]}] not found`);
      return { status: 200, body: { id: 'default', name: 'Default', description: 'This is your default space!', color: '#00bfb3', disabledFeatures: [], _reserved: true } };
    }
    if (route === 'POST /api/detection_engine/signals/search') return this.signalsSearch(req.body);
    if (route === 'POST /api/detection_engine/signals/status') return this.signalsStatus(req, who);
    const legacy = /^POST \/api\/endpoint\/(isolate|unisolate)$/.exec(route);
    if (legacy) return { status: 308, headers: { location: req.path.replace(/\/endpoint\//, '/endpoint/action/') }, body: '' };
    const create = /^POST \/api\/endpoint\/action\/(isolate|unisolate)$/.exec(route);
    if (create) return this.createAction(req, create[1] as (typeof COMMANDS)[number], who);
    if (route === 'GET /api/endpoint/action') return this.listActions(req.query);
    if (route === 'GET /api/endpoint/action_status') return this.pendingCounts(req.query);
    const details = /^GET \/api\/endpoint\/action\/([^/]+)$/.exec(route);
    if (details) return this.actionDetails(decodeURIComponent(details[1] ?? ''));
    return notFound();
  }

  private status(): EmuResponse {
    return {
      status: 200,
      body: {
        name: 'kibana-emulator',
        uuid: '5b2de169-2785-441b-ae8c-186a1936b17d',
        version: { number: KIBANA_VERSION, build_hash: 'emulator', build_number: 1, build_snapshot: false },
        status: { overall: { level: 'available', summary: 'All services and plugins are available' }, core: {}, plugins: {} },
      },
    };
  }

  private signalsSearch(raw: unknown): EmuResponse {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return siem(400, '"value" must be of type object');
    const input = raw as Record<string, unknown>;
    // zod's default mode strips unknown keys: `from`, `search_after` and `pit` never reach Elasticsearch.
    const body: Record<string, unknown> = {};
    for (const k of SEARCH_KEYS) if (input[k] !== undefined) body[k] = input[k];
    if (!['query', 'aggs', '_source', 'fields', 'track_total_hits', 'size', 'sort'].some((k) => body[k] !== undefined)) {
      return siem(400, '"value" must have at least 1 children');
    }
    if (body.size !== undefined && (!Number.isInteger(body.size) || (body.size as number) < 0)) return siem(400, `[request body]: size: Number must be greater than or equal to 0`);
    try {
      const started = this.cluster.now();
      const result = this.cluster.search(this.cluster.docs, body, { implicitShardDoc: false, allowSearchAfter: false });
      return {
        status: 200,
        served: result.hits.map((h) => h._id),
        body: {
          took: Math.max(1, this.cluster.now() - started),
          timed_out: false,
          _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
          hits: { total: { value: result.total, relation: 'eq' }, max_score: null, hits: result.hits },
          ...(body.aggs !== undefined ? { aggregations: {} } : {}),
        },
      };
    } catch (e) {
      if (e instanceof QueryError) return siem(400, `${e.type}\n\tRoot causes:\n\t\t${e.type}: ${e.message}`);
      throw e;
    }
  }

  private signalsStatus(req: EmuRequest, who: KibanaIdentity): EmuResponse {
    const b = req.body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object') return siem(400, '[request body]: Expected object, received null');
    if (typeof b.status !== 'string' || !STATUSES.includes(b.status)) {
      return siem(400, `[request body]: status: Invalid enum value. Expected 'open' | 'closed' | 'acknowledged' | 'in-progress', received '${String(b.status)}'`);
    }
    if (b.reason !== undefined && (typeof b.reason !== 'string' || !REASONS.includes(b.reason))) {
      return siem(400, `[request body]: reason: Invalid enum value. Expected ${REASONS.map((r) => `'${r}'`).join(' | ')}, received '${String(b.reason)}'`);
    }
    const byIds = Array.isArray(b.signal_ids);
    if (!byIds && (b.query === undefined || typeof b.query !== 'object')) return siem(400, '[request body]: Invalid input: signal_ids or query is required');
    if (byIds && (b.signal_ids as unknown[]).some((id) => typeof id !== 'string')) return siem(400, '[request body]: signal_ids: Expected string');
    const now = this.cluster.now();
    let targets;
    try {
      targets = byIds
        ? this.cluster.docs.filter((d) => (b.signal_ids as string[]).includes(d.id))
        : this.cluster.search(this.cluster.docs, { query: b.query, size: 10_000 }, { implicitShardDoc: false, allowSearchAfter: false }).hits.map((h) => this.cluster.docs.find((d) => d.id === h._id)!);
    } catch (e) {
      if (e instanceof QueryError) return siem(400, `${e.type}: ${e.message}`);
      throw e;
    }
    let updated = 0;
    for (const d of targets) {
      // The painless script writes only when the status changes; the rest are no-ops that still count as updated.
      if (d.source['kibana.alert.workflow_status'] !== b.status) {
        d.source['kibana.alert.workflow_status'] = b.status;
        d.source['kibana.alert.workflow_user'] = who.profileUid;
        d.source['kibana.alert.workflow_status_updated_at'] = new Date(now).toISOString();
        if (typeof b.reason === 'string') d.source['kibana.alert.workflow_reason'] = b.reason;
        else delete d.source['kibana.alert.workflow_reason'];
        if ('signal.status' in d.source) d.source['signal.status'] = b.status;
      }
      updated++;
    }
    return {
      status: 200,
      body: {
        took: 12,
        timed_out: false,
        total: targets.length,
        updated,
        deleted: 0,
        batches: targets.length ? 1 : 0,
        version_conflicts: 0,
        noops: 0,
        retries: { bulk: 0, search: 0 },
        throttled_millis: 0,
        requests_per_second: -1,
        throttled_until_millis: 0,
        failures: [],
      },
    };
  }

  private createAction(req: EmuRequest, command: (typeof COMMANDS)[number], who: KibanaIdentity): EmuResponse {
    const b = req.body as Record<string, unknown> | null;
    if (!b || typeof b !== 'object') return boom(400, 'Bad Request', '[request body]: expected a plain object value, but found [null] instead.');
    const ids = b.endpoint_ids;
    if (!Array.isArray(ids)) return boom(400, 'Bad Request', `[request body.endpoint_ids]: expected value of type [array] but got [${ids === undefined ? 'undefined' : typeof ids}]`);
    if (ids.length === 0) return boom(400, 'Bad Request', '[request body.endpoint_ids]: array size is [0], but cannot be smaller than [1]');
    const bad = ids.findIndex((id) => typeof id !== 'string' || id.trim() === '');
    if (bad >= 0) return boom(400, 'Bad Request', `[request body.endpoint_ids.${bad}]: endpoint_ids cannot contain empty strings`);
    const agentType = b.agent_type ?? 'endpoint';
    if (typeof agentType !== 'string' || !AGENT_TYPES.includes(agentType)) {
      return boom(400, 'Bad Request', `[request body.agent_type]: types that failed validation: ${AGENT_TYPES.map((t, i) => `\n- [request body.agent_type.${i}]: expected value to equal [${t}]`).join('')}`);
    }
    if (agentType !== 'endpoint') return boom(400, 'Bad Request', '[request body.agent_type]: feature is disabled');
    const agents = ids as string[];
    const id = this.newId();
    const agentState: Record<string, unknown> = {};
    const hosts: Record<string, unknown> = {};
    for (const a of agents) {
      agentState[a] = { isCompleted: false, wasSuccessful: false, wasCanceled: false, errors: null, completedAt: null };
      hosts[a] = { name: this.hostsByAgent.get(a) ?? '' };
    }
    const details: Record<string, unknown> = {
      id,
      agents,
      hosts,
      command,
      agentType,
      isExpired: false,
      isCompleted: false,
      wasSuccessful: false,
      wasCanceled: false,
      errors: null,
      status: 'pending',
      startedAt: new Date(this.cluster.now()).toISOString(),
      completedAt: null,
      createdBy: who.username,
      ...(typeof b.comment === 'string' ? { comment: b.comment } : {}),
      parameters: b.parameters ?? {},
      agentState,
      outputs: {},
    };
    this.cluster.actions.set(id, { details, polls: 0 });
    return { status: 200, body: { action: id, data: details } };
  }

  /** Every poll moves a pending action on; after POLLS_TO_COMPLETE polls the agent has answered. */
  private advance(id: string): Record<string, unknown> | undefined {
    const rec = this.cluster.actions.get(id);
    if (!rec) return undefined;
    rec.polls++;
    const d = rec.details;
    if (d.status === 'pending' && rec.polls >= POLLS_TO_COMPLETE) {
      const completedAt = new Date(this.cluster.now()).toISOString();
      Object.assign(d, { isCompleted: true, wasSuccessful: true, status: 'successful', completedAt });
      for (const s of Object.values(d.agentState as Record<string, Record<string, unknown>>)) Object.assign(s, { isCompleted: true, wasSuccessful: true, completedAt });
    }
    return d;
  }

  private actionDetails(id: string): EmuResponse {
    const d = this.advance(id);
    if (!d) return boom(404, 'Not Found', `Action with id '${id}' not found.`);
    return { status: 200, body: { data: d } };
  }

  private listActions(q: URLSearchParams): EmuResponse {
    const page = Number(q.get('page') ?? 1);
    const pageSize = Number(q.get('pageSize') ?? 10);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return boom(400, 'Bad Request', `[request query.pageSize]: Value must be equal to or lower than [100].`);
    const split = (name: string) => q.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
    const agentIds = split('agentIds');
    const commands = split('commands');
    const all = [...this.cluster.actions.values()]
      .map((r) => r.details)
      .filter((d) => !agentIds.length || (d.agents as string[]).some((a) => agentIds.includes(a)))
      .filter((d) => !commands.length || commands.includes(String(d.command)))
      .reverse();
    return {
      status: 200,
      body: {
        page,
        pageSize,
        startDate: q.get('startDate') ?? 'now-24h/h',
        endDate: q.get('endDate') ?? 'now',
        elasticAgentIds: agentIds.length ? agentIds : undefined,
        userIds: undefined,
        commands: commands.length ? commands : undefined,
        statuses: undefined,
        agentTypes: ['endpoint'],
        total: all.length,
        data: all.slice((page - 1) * pageSize, page * pageSize),
      },
    };
  }

  private pendingCounts(q: URLSearchParams): EmuResponse {
    const ids = q.getAll('agent_ids').flatMap((v) => v.split(',')).filter(Boolean);
    if (!ids.length) return boom(400, 'Bad Request', '[request query.agent_ids]: expected value of type [array] but got [undefined]');
    if (ids.length > 50) return boom(400, 'Bad Request', '[request query.agent_ids]: array size is [' + ids.length + '], but cannot be greater than [50]');
    const data = ids.map((agent) => {
      const pending: Record<string, number> = { isolate: 0, unisolate: 0 };
      for (const { details } of this.cluster.actions.values()) {
        if (details.status === 'pending' && (details.agents as string[]).includes(agent)) pending[String(details.command)] = (pending[String(details.command)] ?? 0) + 1;
      }
      return { agent_id: agent, pending_actions: pending };
    });
    return { status: 200, body: { data } };
  }
}
