import { z } from 'zod';
import type { AuthorizeRequest, ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, envelopeErrors, falconError } from './errors.js';
import type { CrowdStrikeSettings } from './settings.js';

type Ctx = ConnectorContext<CrowdStrikeSettings>;

const TokenReply = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() }).passthrough();

interface CachedToken {
  value: string;
  expiresAt: number;
}

const TOKEN = 'crowdstrike.token';
/** Renewed this long before Falcon says it lapses (tokens last about 30 minutes). */
const EARLY_MS = 60_000;

/** `POST /oauth2/token` (form: client id, secret, optional member CID); the bearer is reused until near expiry. */
export async function accessToken(ctx: Ctx, now = Date.now()): Promise<string> {
  const cached = ctx.session.get(TOKEN) as CachedToken | undefined;
  if (cached && cached.expiresAt - EARLY_MS > now) return cached.value;
  const { clientId, clientSecret, memberCid } = ctx.settings;
  const res = await ctx.http.request({
    method: 'POST',
    path: '/oauth2/token',
    auth: false,
    form: { client_id: clientId, client_secret: clientSecret, ...(memberCid ? { member_cid: memberCid } : {}) },
  });
  // 201 is documented; a 200 is taken too.
  if (res.status !== 201 && res.status !== 200) throw falconError(ctx.name, 'POST /oauth2/token', res, res.status < 500 && res.status !== 429 ? 'auth' : undefined);
  const parsed = TokenReply.safeParse(res.body);
  if (!parsed.success) throw new ConnectorError('protocol', 'the token reply has no usable access_token/expires_in', { connector: ctx.name, request: 'POST /oauth2/token' });
  ctx.session.set(TOKEN, { value: parsed.data.access_token, expiresAt: now + parsed.data.expires_in * 1000 } satisfies CachedToken);
  return parsed.data.access_token;
}

/** Called by the SDK client before every attempt, so a token renewed after a 401 is used on the retry. */
export async function authorize(ctx: Ctx, req: AuthorizeRequest): Promise<void> {
  req.headers['authorization'] = `Bearer ${await accessToken(ctx)}`;
}

/** A 401 (token expired or revoked): forget it; the client signs in again and resends once. */
export async function onUnauthorized(ctx: Ctx): Promise<void> {
  ctx.session.delete(TOKEN);
}

export function describe(req: HttpRequest): string {
  return `${req.method} ${req.path.split('?')[0]}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A call whose answer must be an MSA envelope with an empty `errors[]`: Falcon reports some permission failures as
 * a 200 carrying errors (code 403, "access denied, insufficient scope").
 */
export async function callEnvelope(ctx: Ctx, req: HttpRequest, ok: readonly number[] = [200]): Promise<{ res: HttpResponse; body: Record<string, unknown> }> {
  const res = await ctx.http.request(req);
  if (!ok.includes(res.status)) throw falconError(ctx.name, describe(req), res);
  if (!isObject(res.body)) {
    throw new ConnectorError('protocol', `the answer is not a JSON envelope (${res.text.length} bytes)`, { connector: ctx.name, request: describe(req), status: res.status });
  }
  const errors = envelopeErrors(res.body);
  if (errors) throw falconError(ctx.name, describe(req), res, errors.codes.includes(403) ? 'auth' : 'client');
  return { res, body: res.body };
}
