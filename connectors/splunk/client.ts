// Talking to splunkd: credentials on each request, the session-key login, and Splunk's error envelope
// (`{"messages":[{"type":"ERROR","text":"…"}]}`) turned into a ConnectorError that says what Splunk said.
import type { AuthorizeRequest, ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, httpError } from '../sdk/index.js';
import type { SplunkSettings } from './settings.js';

export type SplunkContext = ConnectorContext<SplunkSettings>;

const SESSION_KEY = 'splunk.sessionKey';

/** The text of Splunk's `messages[]` envelope, joined; undefined when the body has none. */
export function splunkMessages(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const messages = (body as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return undefined;
  const texts = messages
    .map((m) => (m && typeof m === 'object' ? (m as { type?: unknown; text?: unknown }) : {}))
    .filter((m) => typeof m.text === 'string' && m.text !== '')
    .map((m) => (typeof m.type === 'string' ? `${m.type} ${String(m.text)}` : String(m.text)));
  return texts.length ? texts.join('; ') : undefined;
}

/** `/servicesNS/<owner>/<app><rest>`: searches run with the configured app's knowledge objects (macros like `notable`). */
export function ns(s: SplunkSettings, rest: string): string {
  return `/servicesNS/${encodeURIComponent(s.owner)}/${encodeURIComponent(s.app)}${rest}`;
}

/** A request whose answer must be 2xx; anything else becomes a ConnectorError with Splunk's own message. */
export async function call(ctx: SplunkContext, req: HttpRequest): Promise<HttpResponse> {
  const res = await ctx.http.request({ ...req, query: { output_mode: 'json', ...(req.query ?? {}) } });
  if (res.status >= 200 && res.status < 300) return res;
  throw failure(ctx, res, req);
}

export function failure(ctx: SplunkContext, res: HttpResponse, req: HttpRequest): ConnectorError {
  const request = `${req.method} ${req.path.split('?')[0]}`;
  const said = splunkMessages(res.body) ?? (res.text.trim().slice(0, 200) || undefined);
  if (res.status === 401) {
    return new ConnectorError('auth', `HTTP 401: Splunk did not accept the credentials (check the token, or the username and password)`, {
      connector: ctx.name,
      request,
      status: 401,
      ...(said ? { vendorMessage: said } : {}),
    });
  }
  return httpError(res.status, said, { connector: ctx.name, request });
}

export async function authorize(ctx: SplunkContext, req: AuthorizeRequest): Promise<void> {
  const s = ctx.settings;
  if (s.authKind === 'token') {
    req.headers['authorization'] = `${s.tokenScheme} ${s.token ?? ''}`;
  } else if (s.authKind === 'basic') {
    req.headers['authorization'] = `Basic ${Buffer.from(`${s.username ?? ''}:${s.password ?? ''}`).toString('base64')}`;
  } else {
    req.headers['authorization'] = `Splunk ${await sessionKey(ctx)}`;
  }
}

/** A 401 means the session key expired (or was revoked): log in again on the next request. */
export async function onUnauthorized(ctx: SplunkContext): Promise<void> {
  ctx.session.delete(SESSION_KEY);
}

async function sessionKey(ctx: SplunkContext): Promise<string> {
  const cached = ctx.session.get(SESSION_KEY);
  if (typeof cached === 'string') return cached;
  const req: HttpRequest = {
    method: 'POST',
    path: '/services/auth/login',
    query: { output_mode: 'json' },
    form: { username: ctx.settings.username ?? '', password: ctx.settings.password ?? '' },
    auth: false,
  };
  const res = await ctx.http.request(req);
  if (res.status === 401) {
    const said = splunkMessages(res.body);
    throw new ConnectorError('auth', `HTTP 401: Splunk refused the login of user ${ctx.settings.username ?? ''}`, {
      connector: ctx.name,
      request: 'POST /services/auth/login',
      status: 401,
      ...(said ? { vendorMessage: said } : {}),
    });
  }
  if (res.status < 200 || res.status >= 300) throw failure(ctx, res, req);
  const key = (res.body as { sessionKey?: unknown } | null)?.sessionKey;
  if (typeof key !== 'string' || key === '') {
    throw new ConnectorError('protocol', 'the login answer has no sessionKey', { connector: ctx.name, request: 'POST /services/auth/login', status: res.status });
  }
  ctx.session.set(SESSION_KEY, key);
  return key;
}
