import { randomUUID } from 'node:crypto';
import type { RecordedAction } from '../../sdk/index.js';
import { type Alert, type Machine } from './data.js';

/** One request as the emulator's routes see it (after the shared server parsed it). */
export interface EmuRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON, a form as an object, or undefined. */
  body: unknown;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** The alerts this answer serves: counted in `served()` only when the answer goes out whole. */
  alertIds?: string[];
}

export interface DefenderCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

const TOKEN_SECONDS = 3599;
const MAX_TOP = 10_000;
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

/** Padded to 7 fractional digits the ISO text orders like the instant (see the connector's cursor). */
function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/i.exec(t.trim());
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z` : t;
}

const apiError = (status: number, code: string, message: string): EmuResponse => ({
  status,
  body: { error: { code, message, target: randomUUID() } },
});

/**
 * The Defender for Endpoint API and its Entra ID token endpoint, as state plus routes: alerts (OData `$filter` on
 * alertCreationTime/lastUpdateTime, `$top`, `$skip`, `$expand=evidence`, `@odata.nextLink`), machine actions that
 * go Pending → InProgress → Succeeded over polls, and bearer tokens that expire or can be revoked.
 */
export class DefenderApi {
  readonly alerts: Alert[];
  readonly machines: Map<string, Machine>;
  readonly machineActions = new Map<string, Record<string, unknown> & { polls: number }>();
  readonly recorded: RecordedAction[] = [];
  private readonly tokens = new Map<string, number>();

  constructor(
    alerts: Alert[],
    machines: Machine[],
    readonly credentials: DefenderCredentials,
    readonly url: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.alerts = [...alerts].sort((a, b) => (timeKey(a.alertCreationTime) < timeKey(b.alertCreationTime) ? -1 : timeKey(a.alertCreationTime) > timeKey(b.alertCreationTime) ? 1 : a.id < b.id ? -1 : 1));
    this.machines = new Map(machines.map((m) => [m.id, m]));
  }

  /** Every token issued so far stops working (fault `expire`): the client must sign in again. */
  expireTokens(): void {
    this.tokens.clear();
  }

  handle(req: EmuRequest): EmuResponse {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.path);
    if (token) return req.method === 'POST' ? this.issueToken(decodeURIComponent(token[1]!), req.body) : apiError(405, 'MethodNotAllowed', 'Use POST');
    if (!req.path.startsWith('/api/')) return apiError(404, 'NotFound', `No route ${req.path}`);
    const denied = this.authorize(req.headers['authorization']);
    if (denied) return denied;

    if (req.method === 'GET' && req.path === '/api/alerts') return this.listAlerts(req.query);
    const alert = /^\/api\/alerts\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && alert) {
      const found = this.alerts.find((a) => a.id === decodeURIComponent(alert[1]!));
      return found ? { status: 200, body: { '@odata.context': `${this.url()}/api/$metadata#Alerts/$entity`, ...found } } : apiError(404, 'ResourceNotFound', `Alert ${alert[1]} was not found`);
    }
    const action = /^\/api\/machines\/([^/]+)\/([A-Za-z]+)$/.exec(req.path);
    if (action && req.method === 'POST') return this.startAction(req, decodeURIComponent(action[1]!), action[2]!);
    if (req.method === 'GET' && req.path === '/api/machineactions') return this.listMachineActions(req.query);
    const ma = /^\/api\/machineactions\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && ma) return this.pollMachineAction(decodeURIComponent(ma[1]!));
    return apiError(404, 'NotFound', `No route ${req.method} ${req.path}`);
  }

  private issueToken(tenant: string, body: unknown): EmuResponse {
    const form = (body ?? {}) as Record<string, unknown>;
    const entra = (status: number, error: string, code: number, description: string): EmuResponse => ({
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date(this.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`,
        error_codes: [code],
        timestamp: new Date(this.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      },
    });
    if (tenant !== this.credentials.tenantId) return entra(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    if (form['grant_type'] !== 'client_credentials') return entra(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (form['client_id'] !== this.credentials.clientId) {
      return entra(400, 'unauthorized_client', 700016, `Application with identifier '${String(form['client_id'])}' was not found in the directory '${tenant}'.`);
    }
    if (form['client_secret'] !== this.credentials.clientSecret) {
      return entra(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.credentials.clientId}'.`);
    }
    if (typeof form['scope'] !== 'string' || !form['scope'].endsWith('/.default')) return entra(400, 'invalid_scope', 1002012, `The provided value for scope ${String(form['scope'])} is not valid.`);
    const accessToken = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: 'https://api.securitycenter.microsoft.com', tid: tenant, appid: this.credentials.clientId, jti: randomUUID() })).toString('base64url')}.emulator`;
    this.tokens.set(accessToken, this.now() + TOKEN_SECONDS * 1000);
    return { status: 200, body: { token_type: 'Bearer', expires_in: TOKEN_SECONDS, ext_expires_in: TOKEN_SECONDS, access_token: accessToken } };
  }

  private authorize(header: string | undefined): EmuResponse | null {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const expires = token ? this.tokens.get(token) : undefined;
    if (expires !== undefined && expires > this.now()) return null;
    return apiError(401, 'Unauthorized', token ? 'The access token has expired or is not valid.' : 'Authorization header is missing.');
  }

  private listAlerts(query: URLSearchParams): EmuResponse {
    const top = query.has('$top') ? Number(query.get('$top')) : MAX_TOP;
    const skip = query.has('$skip') ? Number(query.get('$skip')) : 0;
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) return apiError(400, 'ODataError', `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${query.get('$top')}'.`);
    if (!Number.isInteger(skip) || skip < 0) return apiError(400, 'ODataError', `Invalid value for $skip: '${query.get('$skip')}'.`);
    const filter = query.get('$filter');
    let match: (a: Alert) => boolean = () => true;
    if (filter) {
      const clauses = filter.split(/\s+and\s+/i).map((c) => /^(alertCreationTime|lastUpdateTime)\s+(ge|gt|le|lt|eq)\s+(\S+)$/.exec(c.trim()));
      if (clauses.some((c) => !c)) return apiError(400, 'ODataError', `The query specified in the URI is not valid. Unsupported $filter: '${filter}'.`);
      const tests = clauses.map((c) => {
        const [, field, op, value] = c!;
        const bound = timeKey(value!);
        return (a: Alert) => {
          const k = timeKey(String(a[field!]));
          return op === 'ge' ? k >= bound : op === 'gt' ? k > bound : op === 'le' ? k <= bound : op === 'lt' ? k < bound : k === bound;
        };
      });
      match = (a) => tests.every((t) => t(a));
    }
    const expand = query.get('$expand') === 'evidence';
    const all = this.alerts.filter(match);
    const page = all.slice(skip, skip + top).map((a) => {
      if (expand) return a;
      const { evidence: _, ...rest } = a;
      return rest;
    });
    const body: Record<string, unknown> = { '@odata.context': `${this.url()}/api/$metadata#Alerts`, value: page };
    if (skip + top < all.length) {
      const next = new URLSearchParams(query);
      next.set('$skip', String(skip + top));
      next.set('$top', String(top));
      body['@odata.nextLink'] = `${this.url()}/api/alerts?${next.toString()}`;
    }
    return { status: 200, body, alertIds: page.map((a) => a.id) };
  }

  private startAction(req: EmuRequest, machineId: string, segment: string): EmuResponse {
    const spec = ACTIONS[segment];
    if (!spec) return apiError(404, 'NotFound', `No route POST ${req.path}`);
    const machine = this.machines.get(machineId);
    if (!machine) return apiError(404, 'ResourceNotFound', `Machine ${machineId} was not found`);
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return apiError(400, 'InvalidRequestBody', 'Request body is not a JSON object');
    const fields = body as Record<string, unknown>;
    const unknown = Object.keys(fields).find((k) => !spec.allowed.includes(k));
    if (unknown) return apiError(400, 'InvalidRequestBody', `Request body is invalid: unknown property '${unknown}'`);
    if (typeof fields['Comment'] !== 'string' || !fields['Comment']) return apiError(400, 'MissingRequiredParameter', 'Comment is required');
    const invalid = spec.check?.(fields);
    if (invalid) return apiError(400, 'InvalidInput', invalid);
    const busy = [...this.machineActions.values()].find((a) => a['machineId'] === machineId && a['type'] === spec.type && (a['status'] === 'Pending' || a['status'] === 'InProgress'));
    if (busy) return apiError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');

    const at = new Date(this.now()).toISOString().replace('Z', '0000Z');
    const action = {
      id: randomUUID(),
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
      polls: 0,
    };
    this.machineActions.set(action.id, action);
    this.recorded.push({ action: spec.type, method: req.method, path: req.path, headers: redact(req.headers), body, at: new Date(this.now()).toISOString() });
    return { status: 201, body: { '@odata.context': `${this.url()}/api/$metadata#MachineActions/$entity`, ...view(action) } };
  }

  /** Each read moves a running action on: Pending → InProgress → Succeeded. */
  private pollMachineAction(id: string): EmuResponse {
    const action = this.machineActions.get(id);
    if (!action) return apiError(404, 'ResourceNotFound', `MachineAction ${id} was not found`);
    action.polls++;
    const next = action['status'] === 'Pending' ? 'InProgress' : action['status'] === 'InProgress' ? 'Succeeded' : null;
    if (next) {
      action['status'] = next;
      action['lastUpdateDateTimeUtc'] = new Date(this.now()).toISOString().replace('Z', '0000Z');
    }
    return { status: 200, body: { '@odata.context': `${this.url()}/api/$metadata#MachineActions/$entity`, ...view(action) } };
  }

  private listMachineActions(query: URLSearchParams): EmuResponse {
    const filter = query.get('$filter') ?? '';
    const clauses = filter ? filter.split(/\s+and\s+/i).map((c) => /^(machineId|type|status|requestor|id)\s+eq\s+'([^']*)'$/.exec(c.trim())) : [];
    if (clauses.some((c) => !c)) return apiError(400, 'ODataError', `The query specified in the URI is not valid. Unsupported $filter: '${filter}'.`);
    const top = query.has('$top') ? Number(query.get('$top')) : MAX_TOP;
    const list = [...this.machineActions.values()].filter((a) => clauses.every((c) => String(a[c![1]!]) === c![2])).slice(0, top);
    return { status: 200, body: { '@odata.context': `${this.url()}/api/$metadata#MachineActions`, value: list.map(view) } };
  }
}

function view(action: Record<string, unknown>): Record<string, unknown> {
  const { polls: _, ...rest } = action;
  return rest;
}

export function redact(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (out['authorization'] !== undefined) out['authorization'] = '<redacted>';
  return out;
}
