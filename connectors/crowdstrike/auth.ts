import { clientCredentialsBearer, type ConnectorContext, type HttpRequest, type HttpResponse } from '../sdk/index.js';
import { ConnectorError, envelopeErrors, falconError } from './errors.js';
import type { CrowdStrikeSettings } from './settings.js';

type Ctx = ConnectorContext<CrowdStrikeSettings>;

/** `POST /oauth2/token` (form: client id, secret, optional member CID); the bearer is reused until near expiry. */
export const { accessToken, authorize, onUnauthorized } = clientCredentialsBearer<Ctx>({
  sessionKey: 'crowdstrike.token',
  // Renewed a minute before Falcon says it lapses (tokens last about 30 minutes).
  earlyMs: 60_000,
  tokenRequest: ({ settings: { clientId, clientSecret, memberCid } }) => ({
    method: 'POST',
    path: '/oauth2/token',
    form: { client_id: clientId, client_secret: clientSecret, ...(memberCid ? { member_cid: memberCid } : {}) },
  }),
  // 201 is documented; a 200 is taken too.
  accepted: [201, 200],
  refused: (ctx, res) => falconError(ctx.name, 'POST /oauth2/token', res, res.status < 500 && res.status !== 429 ? 'auth' : undefined),
});

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
