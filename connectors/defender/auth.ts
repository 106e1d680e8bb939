import { clientCredentialsBearer, type AuthorizeRequest, type ConnectorContext, type HttpRequest, type HttpResponse } from '../sdk/index.js';
import { ConnectorError, defenderError } from './errors.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

/**
 * OAuth2 client credentials against Entra ID (v2.0 endpoint), one token per resource: the Defender API and Microsoft
 * Graph each accept only tokens issued for them (the `aud` claim), so each has its own scope and session slot.
 */
function grant(sessionKey: string, scopeOf: (s: DefenderSettings) => string) {
  return clientCredentialsBearer<Ctx>({
    sessionKey,
    // Refreshed two minutes before Entra ID says it expires.
    earlyMs: 120_000,
    tokenRequest: ({ settings }) => ({
      method: 'POST',
      base: 'loginUrl',
      path: `/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`,
      form: { grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret, scope: scopeOf(settings) },
    }),
    accepted: [200],
    // Entra ID answers a wrong secret, client or tenant with 400/401: for the user that is a credentials problem.
    refused: (ctx, res) =>
      defenderError(ctx.name, `POST /${encodeURIComponent(ctx.settings.tenantId)}/oauth2/v2.0/token`, res, res.status < 500 && res.status !== 429 ? 'auth' : undefined),
  });
}

const defenderGrant = grant('defender.token', (s) => s.scope);
const graphGrant = grant('defender.graph.token', (s) => s.graphScope);

export const accessToken = defenderGrant.accessToken;

/** Graph requests are the ones under `<graphUrl>/v1.0/` (the Defender API lives under `/api/`, even on one host). */
function isGraph(ctx: Ctx, url: URL): boolean {
  const base = new URL(ctx.settings.graphUrl);
  const prefix = `${base.pathname.replace(/\/+$/, '')}/v1.0/`;
  return url.origin === base.origin && url.pathname.startsWith(prefix);
}

export async function authorize(ctx: Ctx, req: AuthorizeRequest): Promise<void> {
  return isGraph(ctx, req.url) ? graphGrant.authorize(ctx, req) : defenderGrant.authorize(ctx, req);
}

/** A 401 drops both tokens: the client cannot tell which one was refused, and a fresh sign-in is cheap. */
export async function onUnauthorized(ctx: Ctx): Promise<void> {
  await defenderGrant.onUnauthorized(ctx);
  await graphGrant.onUnauthorized(ctx);
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
