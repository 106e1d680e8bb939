// The part of Microsoft Graph (v1.0) the Defender connector's account actions use: users (by object id or
// userPrincipalName) and applications with their password credentials. Seeded with the identities of the Golden
// SAML dataset (fixtures/golden-saml, OTRF SimuLand): the user pgustavo@simulandlabs.com and the application
// SimuLandApp with the secret the attacker added to it (KeyIdentifier 59eaeebc-…).
import type { EmulatorContext, EmulatorReply, EmulatorRequest, EmulatorRoute } from '../../sdk/index.js';

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  signInSessionsValidFromDateTime: string;
}

export interface GraphApplication {
  id: string;
  displayName: string;
  passwordCredentials: { keyId: string; displayName: string }[];
}

export const GRAPH_USERS: readonly GraphUser[] = [
  { id: 'aead923d-498b-4f64-a66c-2af91447a8b6', userPrincipalName: 'pgustavo@simulandlabs.com', displayName: 'pgustavo', accountEnabled: true, signInSessionsValidFromDateTime: '2021-08-01T00:00:00Z' },
  // Synthetic: PANDALAB\pedro.gustavo of the LSASS campaign dataset (fixtures/windows/lsass-campaign-03) as a synced
  // hybrid identity; the object id is made up.
  { id: '3c9e5f0a-7b21-4d6e-8a14-5f2b9c0d7e31', userPrincipalName: 'pedro.gustavo@pandalab.com', displayName: 'pedro.gustavo', accountEnabled: true, signInSessionsValidFromDateTime: '2023-08-01T00:00:00Z' },
];

export const GRAPH_APPLICATIONS: readonly GraphApplication[] = [
  {
    id: '11b49e19-2326-4be6-93cb-7f37439bbd81',
    displayName: 'SimuLandApp',
    passwordCredentials: [{ keyId: '59eaeebc-8a6b-44a6-9f24-7d55e64420c9', displayName: 'SimuLandCreds' }],
  },
];

/** Graph's error body: `{"error":{"code","message","innerError":{date, request-id, client-request-id}}}`. */
export function graphError(status: number, code: string, message: string, ctx?: EmulatorContext): EmulatorReply {
  const id = ctx ? ctx.rng.uuid() : '00000000-0000-0000-0000-000000000000';
  const date = (ctx ? ctx.now() : new Date()).toISOString().replace(/\.\d+Z$/, '');
  return { status, json: { error: { code, message, innerError: { date, 'request-id': id, 'client-request-id': id } } } };
}

const notFound = (id: string, ctx: EmulatorContext) =>
  graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`, ctx);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export class GraphDirectory {
  readonly users: Map<string, GraphUser>;
  readonly applications: Map<string, GraphApplication>;

  constructor(readonly origin: () => string) {
    this.users = new Map(GRAPH_USERS.map((u) => [u.id, { ...u }]));
    this.applications = new Map(GRAPH_APPLICATIONS.map((a) => [a.id, { ...a, passwordCredentials: a.passwordCredentials.map((c) => ({ ...c })) }]));
  }

  /** By object id, or by userPrincipalName (case-insensitive), as Graph resolves `/users/{id | userPrincipalName}`. */
  user(ref: string): GraphUser | undefined {
    return this.users.get(ref) ?? [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === ref.toLowerCase());
  }

  routes(): EmulatorRoute[] {
    return [
      { method: 'PATCH', path: /^\/v1\.0\/users\/(?<id>[^/]+)$/, handle: (req, ctx) => this.updateUser(req, ctx) },
      { method: 'POST', path: /^\/v1\.0\/users\/(?<id>[^/]+)\/revokeSignInSessions$/, handle: (req, ctx) => this.revokeSessions(req, ctx) },
      { method: 'POST', path: /^\/v1\.0\/applications\/(?<id>[^/]+)\/removePassword$/, handle: (req, ctx) => this.removePassword(req, ctx) },
    ];
  }

  private updateUser(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    ctx.recordAction('updateUser');
    const ref = decodeURIComponent(req.params['id'] ?? '');
    const user = this.user(ref);
    if (!user) return notFound(ref, ctx);
    if (!isObject(req.body)) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.', ctx);
    // Only the property the connector sends is modelled; another is refused rather than silently dropped.
    const unknown = Object.keys(req.body).find((k) => k !== 'accountEnabled');
    if (unknown) return graphError(400, 'Request_BadRequest', `The emulator models only accountEnabled, not '${unknown}'.`, ctx);
    if (typeof req.body['accountEnabled'] !== 'boolean') return graphError(400, 'Request_BadRequest', 'Invalid value specified for property \'accountEnabled\' of resource \'User\'.', ctx);
    user.accountEnabled = req.body['accountEnabled'];
    return { status: 204 };
  }

  private revokeSessions(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    ctx.recordAction('revokeSignInSessions');
    const ref = decodeURIComponent(req.params['id'] ?? '');
    const user = this.user(ref);
    if (!user) return notFound(ref, ctx);
    user.signInSessionsValidFromDateTime = ctx.now().toISOString().replace(/\.\d+Z$/, 'Z');
    return { json: { '@odata.context': `${this.origin()}/v1.0/$metadata#Edm.Boolean`, value: true } };
  }

  private removePassword(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    ctx.recordAction('removePassword');
    const id = decodeURIComponent(req.params['id'] ?? '');
    const app = this.applications.get(id);
    if (!app) return notFound(id, ctx);
    const keyId = isObject(req.body) ? req.body['keyId'] : undefined;
    if (typeof keyId !== 'string') return graphError(400, 'Request_BadRequest', "The request body must contain 'keyId'.", ctx);
    const at = app.passwordCredentials.findIndex((c) => c.keyId.toLowerCase() === keyId.toLowerCase());
    // Unverified: the exact code and text Graph gives for a keyId the application does not hold.
    if (at < 0) return graphError(400, 'Request_BadRequest', `No password credential with keyId '${keyId}' on application '${id}'.`, ctx);
    app.passwordCredentials.splice(at, 1);
    return { status: 204 };
  }
}
