import { z } from 'zod';
import type { AuthorizeRequest, ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, defenderError } from './errors.js';
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
  const path = `/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
  const request = `POST ${path}`;
  const res = await ctx.http.request({
    method: 'POST',
    base: 'loginUrl',
    path,
    auth: false,
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
  });
  if (res.status !== 200) {
    // Entra ID answers a wrong secret, client or tenant with 400/401: for the user that is a credentials problem.
    throw defenderError(ctx.name, request, res, res.status < 500 && res.status !== 429 ? 'auth' : undefined);
  }
  const parsed = TokenReply.safeParse(res.body);
  if (!parsed.success) throw new ConnectorError('protocol', 'the token reply has no usable access_token/expires_in', { connector: ctx.name, request });
  ctx.session.set(TOKEN, { value: parsed.data.access_token, expiresAt: now + parsed.data.expires_in * 1000 } satisfies CachedToken);
  return parsed.data.access_token;
}

/** The SDK client calls this before every attempt, so a token refreshed after a 401 is picked up on the retry. */
export async function authorize(ctx: Ctx, req: AuthorizeRequest): Promise<void> {
  req.headers['authorization'] = `Bearer ${await accessToken(ctx)}`;
}

/** A 401 means the token expired or was revoked early: forget it; the client signs in again and resends once. */
export async function onUnauthorized(ctx: Ctx): Promise<void> {
  ctx.session.delete(TOKEN);
}

/** `GET /api/alerts` for messages: method and path without the query string. */
export function describe(req: HttpRequest): string {
  const path = /^https?:/i.test(req.path) ? new URL(req.path).pathname : req.path.split('?')[0]!;
  return `${req.method} ${path}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A call whose answer must have one of the `ok` statuses and a JSON object body; anything else is an error. */
export async function callJson(ctx: Ctx, req: HttpRequest, ok: readonly number[] = [200]): Promise<{ res: HttpResponse; body: Record<string, unknown> }> {
  const res = await ctx.http.request(req);
  if (!ok.includes(res.status)) throw defenderError(ctx.name, describe(req), res);
  if (!isObject(res.body)) {
    throw new ConnectorError('protocol', `the answer is not a JSON object (${res.text.length} bytes)`, { connector: ctx.name, request: describe(req), status: res.status });
  }
  return { res, body: res.body };
}
