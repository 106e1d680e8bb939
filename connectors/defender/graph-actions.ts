// Entra ID account actions through Microsoft Graph (v1.0), with the same app registration as the Defender API but a
// Graph token (auth.ts). What a responder does to a compromised identity: block its sign-in, end its sessions, and
// take away a credential an attacker added to an application (the Golden SAML / app-credential pattern).
//
// Graph takes no idempotency key. Disabling (PATCH accountEnabled=false) and revoking sessions (resetting
// signInSessionsValidFromDateTime to now) end in the same state when sent twice, so the client may retry them.
// Removing a password is sent once: a second attempt after a lost answer would be refused (the key is gone), which
// would hide that the first one worked.
import { z } from 'zod';
import type { ActionOutcome, ActionSpec, ConnectorContext, HttpRequest } from '../sdk/index.js';
import { describe } from './auth.js';
import { ConnectorError, defenderError } from './errors.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID such as 59eaeebc-8a6b-44a6-9f24-7d55e64420c9');
/** Graph addresses a user by object id or by userPrincipalName. */
const UserRef = z.string().min(1).max(1024).regex(/^[^/\\?#\s]+$/, 'a user object id or userPrincipalName');

export const graphActionSpecs = {
  disableUser: {
    name: 'disableUser',
    summary: 'Block an Entra ID user from signing in (Microsoft Graph: accountEnabled = false)',
    input: z.object({ userId: UserRef }),
    impact: { changes: 'blocks every new sign-in of the user account (existing sessions run until revoked)', reversible: true, undo: 're-enable the account in Entra ID', risk: 'high' },
  },
  revokeSessions: {
    name: 'revokeSessions',
    summary: "Revoke an Entra ID user's sign-in sessions and refresh tokens (Microsoft Graph revokeSignInSessions)",
    input: z.object({ userId: UserRef }),
    impact: { changes: 'invalidates the refresh tokens and session cookies of the user: every application asks them to sign in again', reversible: false, risk: 'medium' },
  },
  removeAppCredential: {
    name: 'removeAppCredential',
    summary: 'Remove a client secret (password credential) from an Entra ID application (Microsoft Graph removePassword)',
    input: z.object({ applicationId: Guid.describe('the application object id (not its appId)'), keyId: Guid }),
    impact: { changes: 'deletes the secret: anything that signs in as the application with it is refused', reversible: false, risk: 'medium' },
  },
} satisfies Record<string, ActionSpec>;

export type GraphAction = keyof typeof graphActionSpecs;

export const isGraphAction = (action: string): action is GraphAction => action in graphActionSpecs;

async function send(ctx: Ctx, req: HttpRequest, ok: readonly number[]): Promise<{ status: number; body: unknown } | ActionOutcome> {
  const res = await ctx.http.request({ ...req, base: 'graphUrl' });
  if (ok.includes(res.status)) return { status: res.status, body: res.body };
  // An unknown user, application or key is an answer about this action, not a broken connection.
  if (res.status === 404 || res.status === 400) return { status: 'failed', reason: defenderError(ctx.name, describe(req), res).message };
  throw defenderError(ctx.name, describe(req), res);
}

const isOutcome = (v: { status: unknown }): v is ActionOutcome => typeof v.status === 'string';

export async function runGraphAction(ctx: Ctx, action: GraphAction, input: unknown): Promise<ActionOutcome> {
  const spec = graphActionSpecs[action];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConnectorError('config', `${action}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, { connector: ctx.name });
  }
  switch (action) {
    case 'disableUser': {
      const { userId } = parsed.data as { userId: string };
      const r = await send(ctx, { method: 'PATCH', path: `/v1.0/users/${encodeURIComponent(userId)}`, json: { accountEnabled: false } }, [204]);
      return isOutcome(r) ? r : { status: 'done', result: { userId, accountEnabled: false } };
    }
    case 'revokeSessions': {
      const { userId } = parsed.data as { userId: string };
      const r = await send(ctx, { method: 'POST', path: `/v1.0/users/${encodeURIComponent(userId)}/revokeSignInSessions` }, [200, 204]);
      if (isOutcome(r)) return r;
      // v1.0 answers 200 with `{"value": true}`; an empty 204 is taken as the same.
      const value = r.body && typeof r.body === 'object' ? (r.body as Record<string, unknown>)['value'] : true;
      if (value !== true) return { status: 'failed', reason: `Graph did not confirm the revocation for ${userId} (value ${JSON.stringify(value)})` };
      return { status: 'done', result: { userId, revoked: true } };
    }
    case 'removeAppCredential': {
      const { applicationId, keyId } = parsed.data as { applicationId: string; keyId: string };
      const r = await send(ctx, { method: 'POST', path: `/v1.0/applications/${encodeURIComponent(applicationId)}/removePassword`, json: { keyId }, noRetry: true }, [204]);
      return isOutcome(r) ? r : { status: 'done', result: { applicationId, keyId, removed: true } };
    }
  }
}
