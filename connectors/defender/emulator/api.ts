import { bearerToken, type EmulatorContext, type EmulatorHooks, type EmulatorReply, type EmulatorRequest, type EmulatorRoute, type Rng } from '../../sdk/index.js';
import type { Alert, Machine } from './data.js';
import { GraphDirectory, graphError } from './graph.js';

export interface DefenderCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

const TOKEN_SECONDS = 3599;
const DEFENDER_AUDIENCE = 'https://api.securitycenter.microsoft.com';
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const MAX_TOP = 10_000;

/** The machine actions the API takes: path segment → MachineAction type and allowed body keys (case-sensitive). */
const ACTIONS: Record<string, { type: string; allowed: readonly string[]; check?: (b: Record<string, unknown>) => string | null }> = {
  isolate: {
    type: 'Isolate',
    allowed: ['Comment', 'IsolationType'],
    check: (b) => (b['IsolationType'] === undefined || ['Full', 'Selective', 'UnManagedDevice'].includes(String(b['IsolationType'])) ? null : `IsolationType '${String(b['IsolationType'])}' is not valid`),
  },
  unisolate: { type: 'Unisolate', allowed: ['Comment'] },
  runAntiVirusScan: {
    type: 'RunAntiVirusScan',
    allowed: ['Comment', 'ScanType'],
    check: (b) => (b['ScanType'] === undefined || ['Quick', 'Full'].includes(String(b['ScanType'])) ? null : `ScanType '${String(b['ScanType'])}' is not valid`),
  },
  collectInvestigationPackage: { type: 'CollectInvestigationPackage', allowed: ['Comment'] },
};

/** Padded to 7 fractional digits the ISO text orders like the instant it names. */
export function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/i.exec(t.trim());
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z` : t;
}

/** Defender's time format: 7 fractional digits. */
const odataTime = (d: Date) => d.toISOString().replace('Z', '0000Z');

/** The API's error body: `{"error":{"code","message","target"}}`. */
export const apiError = (status: number, code: string, message: string, rng?: Rng): EmulatorReply => ({
  status,
  json: { error: { code, message, target: rng ? rng.uuid() : '00000000-0000-0000-0000-000000000000' } },
});

type MachineActionState = Record<string, unknown> & { id: string; status: string };

/**
 * The Defender for Endpoint API and its Entra ID token endpoint: state plus routes for the SDK emulator server.
 * Alerts honour OData `$filter` on alertCreationTime/lastUpdateTime, `$top` (≤ 10,000), `$skip`, `$expand=evidence`
 * and carry `@odata.nextLink` while more remain; machine actions go Pending → InProgress → Succeeded over polls;
 * bearer tokens last an hour and the `expire` fault revokes them.
 */
export class DefenderApi {
  readonly alerts: Alert[];
  readonly machines: Map<string, Machine>;
  readonly machineActions = new Map<string, MachineActionState>();
  /** Microsoft Graph, reached with the same app registration (the account actions). */
  readonly graph: GraphDirectory;
  /** token → expiry and audience: a token serves only the resource its scope named. */
  private readonly tokens = new Map<string, { expires: number; aud: string }>();
  private issued = 0;

  constructor(
    alerts: Alert[],
    machines: Machine[],
    readonly credentials: DefenderCredentials,
    /** The emulator's own origin, for @odata.context and nextLink (known once the server listens). */
    readonly origin: () => string,
  ) {
    this.alerts = [...alerts].sort((a, b) => {
      const ka = timeKey(a.alertCreationTime);
      const kb = timeKey(b.alertCreationTime);
      return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    this.machines = new Map(machines.map((m) => [m.id, m]));
    this.graph = new GraphDirectory(origin);
  }

  /** The audience of every token issued, in order (tests: which resource each sign-in was for). */
  readonly issuedAudiences: string[] = [];

  readonly hooks: EmulatorHooks = {
    error: (status, message) => {
      const code = status === 404 ? 'NotFound' : status === 429 ? 'TooManyRequests' : status === 400 ? 'BadRequest' : status >= 500 ? 'InternalServerError' : 'BadRequest';
      return apiError(status, code, message);
    },
    rateLimited: (seconds) => ({ ...apiError(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${seconds} seconds.`), headers: { 'retry-after': String(seconds) } }),
    authenticate: (req) => {
      const token = bearerToken(req.headers['authorization']);
      const held = token ? this.tokens.get(token) : undefined;
      const graph = req.path.startsWith('/v1.0/');
      if (held && held.expires > Date.now()) {
        if (held.aud === (graph ? GRAPH_AUDIENCE : DEFENDER_AUDIENCE)) return null;
        return graph
          ? graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')
          : apiError(401, 'Unauthorized', 'The access token was not issued for this API (invalid audience).');
      }
      if (graph) return graphError(401, 'InvalidAuthenticationToken', token ? 'Lifetime validation failed, the token is expired.' : 'Access token is empty.');
      return apiError(401, 'Unauthorized', token ? 'The access token is expired or not valid.' : 'Authorization header is missing or not a Bearer token.');
    },
    expireToken: (req) => {
      const token = bearerToken(req.headers['authorization']);
      if (token) this.tokens.delete(token);
    },
  };

  routes(): EmulatorRoute[] {
    return [
      { method: 'POST', path: /^\/(?<tenant>[^/]+)\/oauth2\/v2\.0\/token$/, auth: 'token', handle: (req, ctx) => this.issueToken(req, ctx) },
      { method: 'GET', path: '/api/alerts', handle: (req) => this.listAlerts(req) },
      { method: 'GET', path: /^\/api\/alerts\/(?<id>[^/]+)$/, handle: (req) => this.getAlert(req) },
      { method: 'POST', path: /^\/api\/machines\/(?<id>[^/]+)\/(?<verb>isolate|unisolate|runAntiVirusScan|collectInvestigationPackage)$/, handle: (req, ctx) => this.startAction(req, ctx) },
      { method: 'GET', path: '/api/machineactions', handle: (req) => this.listMachineActions(req) },
      { method: 'GET', path: /^\/api\/machineactions\/(?<id>[^/]+)$/, handle: (req, ctx) => this.pollMachineAction(req, ctx) },
      ...this.graph.routes(),
    ];
  }

  private issueToken(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const tenant = decodeURIComponent(req.params['tenant'] ?? '');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const stamp = ctx.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const entra = (status: number, error: string, code: number, description: string): EmulatorReply => ({
      status,
      json: {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${ctx.rng.uuid()}\r\nCorrelation ID: ${ctx.rng.uuid()}\r\nTimestamp: ${stamp}`,
        error_codes: [code],
        timestamp: stamp,
        trace_id: ctx.rng.uuid(),
        correlation_id: ctx.rng.uuid(),
      },
    });
    if (tenant !== this.credentials.tenantId) {
      return entra(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (form['grant_type'] !== 'client_credentials') return entra(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form['client_id'] !== this.credentials.clientId) {
      return entra(400, 'unauthorized_client', 700016, `Application with identifier '${String(form['client_id'])}' was not found in the directory '${tenant}'.`);
    }
    if (form['client_secret'] !== this.credentials.clientSecret) {
      return entra(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.credentials.clientId}'.`,
      );
    }
    if (typeof form['scope'] !== 'string' || !form['scope'].endsWith('/.default')) {
      return entra(400, 'invalid_scope', 1002012, `The provided value for scope ${String(form['scope'])} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const aud = form['scope'].slice(0, -'/.default'.length);
    const claims = { aud, tid: tenant, appid: this.credentials.clientId, n: ++this.issued };
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${ctx.rng.hex(43)}`;
    this.tokens.set(token, { expires: Date.now() + TOKEN_SECONDS * 1000, aud });
    this.issuedAudiences.push(aud);
    return { json: { token_type: 'Bearer', expires_in: TOKEN_SECONDS, ext_expires_in: TOKEN_SECONDS, access_token: token } };
  }

  private listAlerts(req: EmulatorRequest): EmulatorReply {
    const q = req.query;
    const top = q.has('$top') ? Number(q.get('$top')) : MAX_TOP;
    const skip = q.has('$skip') ? Number(q.get('$skip')) : 0;
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
      return apiError(400, 'ODataError', `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${q.get('$top')}'.`);
    }
    if (!Number.isInteger(skip) || skip < 0) return apiError(400, 'ODataError', `Invalid value '${q.get('$skip')}' for $skip.`);
    const filter = q.get('$filter');
    const tests: ((a: Alert) => boolean)[] = [];
    if (filter) {
      for (const clause of filter.split(/\s+and\s+/i)) {
        const m = /^(alertCreationTime|lastUpdateTime)\s+(ge|gt|le|lt|eq)\s+(\S+)$/.exec(clause.trim());
        if (!m) return apiError(400, 'ODataError', `The query specified in the URI is not valid. Could not parse $filter clause '${clause.trim()}'.`);
        const [, field, op, value] = m;
        const bound = timeKey(value!);
        tests.push((a) => {
          const k = timeKey(String(a[field!]));
          return op === 'ge' ? k >= bound : op === 'gt' ? k > bound : op === 'le' ? k <= bound : op === 'lt' ? k < bound : k === bound;
        });
      }
    }
    const expand = q.get('$expand') === 'evidence';
    const matching = tests.length ? this.alerts.filter((a) => tests.every((t) => t(a))) : this.alerts;
    const page = matching.slice(skip, skip + top);
    const json: Record<string, unknown> = {
      '@odata.context': `${this.origin()}/api/$metadata#Alerts`,
      value: expand ? page : page.map(({ evidence: _, ...rest }) => rest),
    };
    if (skip + page.length < matching.length) {
      const next = new URLSearchParams(q);
      next.set('$top', String(top));
      next.set('$skip', String(skip + page.length));
      json['@odata.nextLink'] = `${this.origin()}/api/alerts?${next.toString()}`;
    }
    return { json, served: page.map((a) => a.id) };
  }

  private getAlert(req: EmulatorRequest): EmulatorReply {
    const id = decodeURIComponent(req.params['id'] ?? '');
    const found = this.alerts.find((a) => a.id === id);
    return found ? { json: { '@odata.context': `${this.origin()}/api/$metadata#Alerts/$entity`, ...found } } : apiError(404, 'ResourceNotFound', `Alert ${id} was not found`);
  }

  private startAction(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const spec = ACTIONS[req.params['verb']!]!;
    ctx.recordAction(spec.type);
    const machineId = decodeURIComponent(req.params['id'] ?? '');
    const machine = this.machines.get(machineId);
    if (!machine) return apiError(404, 'ResourceNotFound', `Machine ${machineId} was not found`, ctx.rng);
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return apiError(400, 'InvalidRequestBody', 'Request body is missing or not a JSON object', ctx.rng);
    const fields = body as Record<string, unknown>;
    const unknown = Object.keys(fields).find((k) => !spec.allowed.includes(k));
    if (unknown) return apiError(400, 'InvalidRequestBody', `Request body is invalid: unknown property '${unknown}'`, ctx.rng);
    if (typeof fields['Comment'] !== 'string' || fields['Comment'] === '') return apiError(400, 'MissingRequiredParameter', 'Comment is required', ctx.rng);
    const invalid = spec.check?.(fields);
    if (invalid) return apiError(400, 'InvalidInput', invalid, ctx.rng);
    const running = [...this.machineActions.values()].some(
      (a) => a['machineId'] === machineId && a['type'] === spec.type && (a.status === 'Pending' || a.status === 'InProgress'),
    );
    if (running) return apiError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', ctx.rng);

    const at = odataTime(ctx.now());
    const action: MachineActionState = {
      id: ctx.rng.uuid(),
      type: spec.type,
      scope: typeof fields['IsolationType'] === 'string' ? fields['IsolationType'] : typeof fields['ScanType'] === 'string' ? fields['ScanType'] : null,
      requestor: this.credentials.clientId,
      requestorComment: fields['Comment'],
      status: 'Pending',
      machineId,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: at,
      lastUpdateDateTimeUtc: at,
      relatedFileInfo: null,
    };
    this.machineActions.set(action.id, action);
    return { status: 201, json: { '@odata.context': `${this.origin()}/api/$metadata#MachineActions/$entity`, ...action } };
  }

  /** Each read moves a running action on one step: Pending → InProgress → Succeeded. */
  private pollMachineAction(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const id = decodeURIComponent(req.params['id'] ?? '');
    const action = this.machineActions.get(id);
    if (!action) return apiError(404, 'ResourceNotFound', `MachineAction ${id} was not found`, ctx.rng);
    const next = action.status === 'Pending' ? 'InProgress' : action.status === 'InProgress' ? 'Succeeded' : null;
    if (next) {
      action.status = next;
      action['lastUpdateDateTimeUtc'] = odataTime(ctx.now());
    }
    return { json: { '@odata.context': `${this.origin()}/api/$metadata#MachineActions/$entity`, ...action } };
  }

  private listMachineActions(req: EmulatorRequest): EmulatorReply {
    const filter = req.query.get('$filter') ?? '';
    const clauses: [string, string][] = [];
    if (filter) {
      for (const clause of filter.split(/\s+and\s+/i)) {
        const m = /^(machineId|type|status|requestor|id)\s+eq\s+'([^']*)'$/.exec(clause.trim());
        if (!m) return apiError(400, 'ODataError', `The query specified in the URI is not valid. Could not parse $filter clause '${clause.trim()}'.`);
        clauses.push([m[1]!, m[2]!]);
      }
    }
    const top = req.query.has('$top') ? Number(req.query.get('$top')) : MAX_TOP;
    const list = [...this.machineActions.values()].filter((a) => clauses.every(([k, v]) => String(a[k]) === v)).slice(0, top);
    return { json: { '@odata.context': `${this.origin()}/api/$metadata#MachineActions`, value: list } };
  }
}
