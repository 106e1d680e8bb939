// The two Wazuh services and their credentials: a JWT from `POST /security/user/authenticate` for the server API
// (renewed when a 401 says it expired), HTTP basic for the indexer; and their error bodies turned into messages.
import type { AuthorizeRequest, ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, httpError } from '../sdk/index.js';
import type { WazuhSettings } from './settings.js';

export type WazuhContext = ConnectorContext<WazuhSettings>;

const TOKEN_KEY = 'wazuh.jwt';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** What the server API said: its problem body `{title, detail, remediation?}` or the envelope's `message`. */
export function serverMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { title?: unknown; detail?: unknown; message?: unknown };
  if (typeof b.detail === 'string') return typeof b.title === 'string' ? `${b.title}: ${b.detail}` : b.detail;
  return typeof b.message === 'string' ? b.message : undefined;
}

/** What the indexer said: OpenSearch's `{"error": {"type", "reason"}}`, or its plain-text body (a 401). */
export function indexerMessage(res: HttpResponse): string | undefined {
  const err = (res.body as { error?: unknown } | null)?.error;
  if (err && typeof err === 'object') {
    const e = err as { type?: unknown; reason?: unknown };
    if (typeof e.reason === 'string') return typeof e.type === 'string' ? `${e.type}: ${e.reason}` : e.reason;
  }
  if (typeof err === 'string') return err;
  const t = res.text.trim();
  return t ? t.slice(0, 200) : undefined;
}

/** A server-API request whose answer must be 2xx. */
export async function api(ctx: WazuhContext, req: HttpRequest): Promise<HttpResponse> {
  const res = await ctx.http.request(req);
  if (res.status >= 200 && res.status < 300) return res;
  const request = `${req.method} ${req.path}`;
  const said = serverMessage(res.body);
  if (res.status === 401) {
    throw new ConnectorError('auth', 'HTTP 401: the Wazuh server API did not accept the token, even after logging in again', {
      connector: ctx.name,
      request,
      status: 401,
      ...(said ? { vendorMessage: said } : {}),
    });
  }
  throw httpError(res.status, said, { connector: ctx.name, request });
}

/** An indexer request (basic auth) whose answer must be 2xx. */
export async function indexer(ctx: WazuhContext, req: HttpRequest): Promise<HttpResponse> {
  const s = ctx.settings;
  const res = await ctx.http.request({ ...req, base: 'indexerUrl', headers: { ...(req.headers ?? {}), authorization: basic(s.indexerUsername, s.indexerPassword) } });
  if (res.status >= 200 && res.status < 300) return res;
  const request = `${req.method} ${req.path}`;
  const said = indexerMessage(res);
  if (res.status === 401) {
    throw new ConnectorError('auth', `HTTP 401: the Wazuh indexer did not accept user ${s.indexerUsername} (check indexerUsername and indexerPassword)`, {
      connector: ctx.name,
      request,
      status: 401,
      ...(said ? { vendorMessage: said } : {}),
    });
  }
  throw httpError(res.status, said, { connector: ctx.name, request });
}

/** Server-API requests get the JWT; indexer requests already carry their basic credentials. */
export async function authorize(ctx: WazuhContext, req: AuthorizeRequest): Promise<void> {
  if (req.headers['authorization']) return;
  req.headers['authorization'] = `Bearer ${await token(ctx)}`;
}

/** The JWT expired (`auth_token_exp_timeout`, 900 s by default) or was revoked: log in again. */
export async function onUnauthorized(ctx: WazuhContext): Promise<void> {
  ctx.session.delete(TOKEN_KEY);
}

export async function token(ctx: WazuhContext): Promise<string> {
  const cached = ctx.session.get(TOKEN_KEY);
  if (typeof cached === 'string') return cached;
  const s = ctx.settings;
  const request = 'POST /security/user/authenticate';
  const res = await ctx.http.request({ method: 'POST', path: '/security/user/authenticate', auth: false, headers: { authorization: basic(s.username, s.password) } });
  const said = serverMessage(res.body);
  if (res.status === 401 || res.status === 403) {
    throw new ConnectorError('auth', `HTTP ${res.status}: the Wazuh server API refused the login of user ${s.username}`, {
      connector: ctx.name,
      request,
      status: res.status,
      ...(said ? { vendorMessage: said } : {}),
    });
  }
  if (res.status < 200 || res.status >= 300) throw httpError(res.status, said, { connector: ctx.name, request });
  const jwt = (res.body as { data?: { token?: unknown } } | null)?.data?.token;
  if (typeof jwt !== 'string' || jwt === '') throw new ConnectorError('protocol', 'the login answer has no data.token', { connector: ctx.name, request, status: res.status });
  ctx.session.set(TOKEN_KEY, jwt);
  return jwt;
}
