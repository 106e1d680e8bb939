import { clientCredentialsBearer, type ConnectorContext, type HttpRequest, type HttpResponse } from '../sdk/index.js';
import { ConnectorError, defenderError } from './errors.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

/** OAuth2 client credentials against Entra ID (v2.0 endpoint); the token is cached in the connector's session. */
export const { accessToken, authorize, onUnauthorized } = clientCredentialsBearer<Ctx>({
  sessionKey: 'defender.token',
  // Refreshed two minutes before Entra ID says it expires.
  earlyMs: 120_000,
  tokenRequest: ({ settings: { tenantId, clientId, clientSecret, scope } }) => ({
    method: 'POST',
    base: 'loginUrl',
    path: `/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
  }),
  accepted: [200],
  // Entra ID answers a wrong secret, client or tenant with 400/401: for the user that is a credentials problem.
  refused: (ctx, res) =>
    defenderError(ctx.name, `POST /${encodeURIComponent(ctx.settings.tenantId)}/oauth2/v2.0/token`, res, res.status < 500 && res.status !== 429 ? 'auth' : undefined),
});

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
