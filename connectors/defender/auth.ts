import { z } from 'zod';
import type { ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, httpError } from './errors.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

const TokenReply = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().int().positive(),
});

interface CachedToken {
  value: string;
  expiresAt: number;
}

const TOKEN = 'defender.token';
/** Refreshed this long before Entra ID says it expires, so a page never starts with a token about to lapse. */
const EARLY_MS = 120_000;

/** OAuth2 client credentials against Entra ID (v2.0 endpoint); the token is cached in the connector's session. */
export async function accessToken(ctx: Ctx, now = Date.now()): Promise<string> {
  const cached = ctx.session.get(TOKEN) as CachedToken | undefined;
  if (cached && cached.expiresAt - EARLY_MS > now) return cached.value;
  const { tenantId, clientId, clientSecret, scope } = ctx.settings;
  const request = `sign-in to tenant ${tenantId}`;
  const res = await ctx.http.request({
    method: 'POST',
    base: 'loginUrl',
    path: `/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
  });
  if (res.status !== 200) {
    const err = httpError(request, res);
    // Entra ID answers a wrong secret or client id with 400/401 invalid_client: that is a credentials problem.
    throw new ConnectorError(res.status < 500 && res.status !== 429 ? 'auth' : err.kind, err.message, err.details);
  }
  const parsed = TokenReply.safeParse(res.body);
  if (!parsed.success) {
    throw new ConnectorError('protocol', `Defender ${request}: the token reply has no usable access_token/expires_in`, { connector: 'defender', request });
  }
  ctx.session.set(TOKEN, { value: parsed.data.access_token, expiresAt: now + parsed.data.expires_in * 1000 } satisfies CachedToken);
  return parsed.data.access_token;
}

export function forgetToken(ctx: Ctx): void {
  ctx.session.delete(TOKEN);
}

/** `GET /api/alerts` for messages: method and path without the query string. */
export function describe(req: HttpRequest): string {
  const path = req.path.startsWith('http') ? new URL(req.path).pathname : req.path.split('?')[0]!;
  return `${req.method} ${path}`;
}

/**
 * One API call with the bearer token. A 401 means the token expired or was revoked early: sign in again once and
 * resend; a second 401 is an error. Other statuses are returned for the caller to read.
 */
export async function call(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  const send = async () =>
    ctx.http.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${await accessToken(ctx)}` } });
  let res = await send();
  if (res.status === 401) {
    forgetToken(ctx);
    res = await send();
    if (res.status === 401) throw httpError(describe(req), res);
  }
  return res;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A call whose 2xx answer must be a JSON object. A body that does not parse (a connection cut mid-page) is sent
 * again, a few times, before it is reported: the request is a read or carries its own duplicate check.
 */
export async function callJson(ctx: Ctx, req: HttpRequest, ok: readonly number[] = [200]): Promise<{ res: HttpResponse; body: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    const res = await call(ctx, req);
    if (!ok.includes(res.status)) throw httpError(describe(req), res);
    if (isObject(res.body)) return { res, body: res.body };
    if (attempt >= 4 || ctx.signal.aborted) {
      throw new ConnectorError('protocol', `Defender ${describe(req)}: the answer is not a JSON object (${res.text.length} bytes, truncated?)`, {
        connector: 'defender',
        request: describe(req),
        status: res.status,
      });
    }
  }
}
