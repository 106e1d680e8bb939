import { z } from 'zod';
import type { ConnectorContext, HttpRequest, HttpResponse } from '../sdk/index.js';
import { ConnectorError, envelopeErrors, httpError } from './errors.js';
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
    form: { client_id: clientId, client_secret: clientSecret, ...(memberCid ? { member_cid: memberCid } : {}) },
  });
  // 201 is documented; a 200 is accepted too.
  if (res.status !== 201 && res.status !== 200) {
    throw httpError(`POST /oauth2/token (client ${clientId})`, res, res.status < 500 && res.status !== 429 ? 'auth' : undefined);
  }
  const parsed = TokenReply.safeParse(res.body);
  if (!parsed.success) throw new ConnectorError('protocol', 'CrowdStrike POST /oauth2/token: the reply has no usable access_token/expires_in', { connector: 'crowdstrike' });
  ctx.session.set(TOKEN, { value: parsed.data.access_token, expiresAt: now + parsed.data.expires_in * 1000 } satisfies CachedToken);
  return parsed.data.access_token;
}

export function describe(req: HttpRequest): string {
  return `${req.method} ${req.path.split('?')[0]}`;
}

/** One API call with the bearer; a 401 (token expired or revoked) signs in again once and resends. */
export async function call(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  const send = async () => ctx.http.request({ ...req, headers: { ...req.headers, Authorization: `Bearer ${await accessToken(ctx)}` } });
  let res = await send();
  if (res.status === 401) {
    ctx.session.delete(TOKEN);
    res = await send();
    if (res.status === 401) throw httpError(describe(req), res, 'auth');
  }
  return res;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A read whose answer must be an MSA envelope with an empty `errors[]`: Falcon reports some permission failures as
 * a 200 carrying errors. A body that does not parse (cut mid-answer) is asked for again, a few times.
 */
export async function callEnvelope(ctx: Ctx, req: HttpRequest, ok: readonly number[] = [200]): Promise<{ res: HttpResponse; body: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    const res = await call(ctx, req);
    if (!ok.includes(res.status)) throw httpError(describe(req), res);
    if (isObject(res.body)) {
      const errors = envelopeErrors(res.body);
      if (errors) throw httpError(describe(req), res, errors.codes.includes(403) ? 'auth' : 'client');
      return { res, body: res.body };
    }
    if (attempt >= 4 || ctx.signal.aborted) {
      throw new ConnectorError('protocol', `CrowdStrike ${describe(req)}: the answer is not a JSON envelope (${res.text.length} bytes, truncated?)`, {
        connector: 'crowdstrike',
        request: describe(req),
        status: res.status,
      });
    }
  }
}
