import { z } from 'zod';
import type { AuthorizeRequest, ConnectorContext, HttpRequest, HttpResponse } from './contract.js';
import { ConnectorError } from './errors.js';

const TokenReply = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() }).passthrough();

interface CachedToken {
  value: string;
  expiresAt: number;
}

export interface ClientCredentials<C extends ConnectorContext<any>> {
  /** Where the token lives in the connector's session (one per vendor). */
  sessionKey: string;
  /** Renewed this long before the vendor says it lapses, so a page never starts with a token about to expire. */
  earlyMs: number;
  /** The token request itself (`auth: false`: it is what the other requests are authorised with). */
  tokenRequest(ctx: C): HttpRequest;
  /** Statuses that carry a token (Entra ID 200, Falcon 201 or 200). */
  accepted: readonly number[];
  /** The vendor's error for a refused token request, phrased from its own error body. */
  refused(ctx: C, res: HttpResponse): Error;
}

/**
 * An OAuth2 client-credentials bearer for a connector: the token is fetched on first use, cached in the connector's
 * session until shortly before it expires, put on every request by `authorize` (called before each attempt), and
 * forgotten by `onUnauthorized` on a 401, so the client signs in again and resends once.
 */
export function clientCredentialsBearer<C extends ConnectorContext<any>>(grant: ClientCredentials<C>) {
  async function accessToken(ctx: C, now = Date.now()): Promise<string> {
    const cached = ctx.session.get(grant.sessionKey) as CachedToken | undefined;
    if (cached && cached.expiresAt - grant.earlyMs > now) return cached.value;
    const req = grant.tokenRequest(ctx);
    const res = await ctx.http.request({ ...req, auth: false });
    if (!grant.accepted.includes(res.status)) throw grant.refused(ctx, res);
    const parsed = TokenReply.safeParse(res.body);
    if (!parsed.success) {
      throw new ConnectorError('protocol', 'the token reply has no usable access_token/expires_in', { connector: ctx.name, request: `${req.method} ${req.path}` });
    }
    ctx.session.set(grant.sessionKey, { value: parsed.data.access_token, expiresAt: now + parsed.data.expires_in * 1000 } satisfies CachedToken);
    return parsed.data.access_token;
  }
  return {
    accessToken,
    async authorize(ctx: C, req: AuthorizeRequest): Promise<void> {
      req.headers['authorization'] = `Bearer ${await accessToken(ctx)}`;
    },
    async onUnauthorized(ctx: C): Promise<void> {
      ctx.session.delete(grant.sessionKey);
    },
  };
}
