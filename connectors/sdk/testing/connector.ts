// TEST ONLY. The connector for the made-up "Acme Alerts" API (see ./emulator.ts): the smallest honest example of
// a vendor connector — settings with a secret, OAuth2 client credentials through `authorize`/`onUnauthorized`,
// cursor paging, and an action that goes pending and is polled to done. Its alerts are Wazuh-shaped, so core
// normalises them with the `wazuh-alert` import format.
import { z } from 'zod';
import type { ActionOutcome, Connector, ConnectorContext, HttpResponse } from '../contract.js';
import { ConnectorError, httpError } from '../errors.js';
import { vendorText } from '../http.js';

export const AcmeSettings = z.object({
  url: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  pageSize: z.number().int().min(1).max(500).default(100),
  timeoutMs: z.number().int().positive().default(30_000),
  caFile: z.string().optional(),
  allowSelfSigned: z.boolean().default(false),
});
type Settings = z.infer<typeof AcmeSettings>;
type Ctx = ConnectorContext<Settings>;

const HostInput = z.object({ hostId: z.string().min(1), comment: z.string().max(500).optional() });

async function token(ctx: Ctx): Promise<string> {
  const cached = ctx.session.get('token');
  if (typeof cached === 'string') return cached;
  const res = await ctx.http.request({
    method: 'POST',
    path: '/oauth/token',
    auth: false,
    form: { grant_type: 'client_credentials', client_id: ctx.settings.clientId, client_secret: ctx.settings.clientSecret },
  });
  const body = res.body as { access_token?: unknown; error_description?: unknown } | null;
  if (res.status !== 200 || typeof body?.access_token !== 'string') {
    throw new ConnectorError('auth', `the token request was refused (HTTP ${res.status})`, {
      connector: ctx.name,
      request: 'POST /oauth/token',
      status: res.status,
      ...(vendorText(res) ? { vendorMessage: vendorText(res)! } : {}),
    });
  }
  ctx.session.set('token', body.access_token);
  return body.access_token;
}

function check(ctx: Ctx, res: HttpResponse, request: string): void {
  if (res.status >= 200 && res.status < 300) return;
  throw httpError(res.status, vendorText(res), { connector: ctx.name, request });
}

function outcome(body: { action_id?: unknown; state?: unknown }): ActionOutcome {
  const id = String(body.action_id);
  if (body.state === 'succeeded') return { status: 'done', result: { actionId: id } };
  if (body.state === 'failed') return { status: 'failed', reason: `action ${id} failed`, result: { actionId: id } };
  return { status: 'pending', poll: { actionId: id }, message: `action ${id} is ${String(body.state)}` };
}

export const acmeConnector: Connector<typeof AcmeSettings> = {
  manifest: {
    id: 'acme',
    vendor: 'Acme Alerts (test-only)',
    settings: AcmeSettings,
    secretFields: ['clientSecret'],
    capabilities: { pullAlerts: true, queryEvents: false, actions: ['isolate_host', 'release_host'] },
    actions: {
      isolate_host: {
        name: 'isolate_host',
        summary: 'Isolate a host from the network',
        input: HostInput,
        impact: { changes: 'cuts the host off the network except for the Acme agent', reversible: true, undo: 'release_host', risk: 'high' },
      },
      release_host: {
        name: 'release_host',
        summary: 'Release a host from isolation',
        input: HostInput,
        impact: { changes: 'reconnects an isolated host to the network', reversible: true, undo: 'isolate_host', risk: 'medium' },
      },
    },
    format: 'wazuh-alert',
  },

  async authorize(ctx, req) {
    req.headers.authorization = `Bearer ${await token(ctx)}`;
  },

  async onUnauthorized(ctx) {
    ctx.session.delete('token');
  },

  async test(ctx) {
    try {
      const res = await ctx.http.request({ method: 'GET', path: '/api/v1/me' });
      check(ctx, res, 'GET /api/v1/me');
      const me = res.body as { client_id: string; tenant: string };
      return { ok: true, message: `Acme API at ${ctx.settings.url}, client ${me.client_id}, tenant ${me.tenant}` };
    } catch (e) {
      if (e instanceof ConnectorError) return { ok: false, message: e.message };
      throw e;
    }
  },

  async pullAlerts(ctx, cursor) {
    const next = typeof cursor?.next === 'string' ? cursor.next : undefined;
    const res = await ctx.http.request({ method: 'GET', path: '/api/v1/alerts', query: { limit: ctx.settings.pageSize, cursor: next } });
    check(ctx, res, 'GET /api/v1/alerts');
    const body = res.body as { data?: unknown; next_cursor?: unknown; has_more?: unknown };
    if (!Array.isArray(body.data) || typeof body.next_cursor !== 'string') {
      throw new ConnectorError('protocol', 'the alerts page has no data array or next_cursor', { connector: ctx.name, request: 'GET /api/v1/alerts' });
    }
    const records = (body.data as Record<string, unknown>[]).map((raw) => ({ id: String(raw.id), raw }));
    return { records, cursor: { next: body.next_cursor }, done: body.has_more !== true };
  },

  async runAction(ctx, action, input, idempotencyKey) {
    const { hostId, comment } = HostInput.parse(input);
    const verb = action === 'isolate_host' ? 'isolate' : action === 'release_host' ? 'release' : null;
    if (!verb) throw new ConnectorError('config', `no action named ${action}`, { connector: ctx.name });
    const path = `/api/v1/hosts/${encodeURIComponent(hostId)}/${verb}`;
    const res = await ctx.http.request({ method: 'POST', path, headers: { 'idempotency-key': idempotencyKey }, json: comment === undefined ? {} : { comment } });
    if (res.status === 404) return { status: 'failed', reason: `Acme says: ${vendorText(res) ?? 'not found'}` };
    check(ctx, res, `POST ${path}`);
    return outcome(res.body as { action_id?: unknown; state?: unknown });
  },

  async pollAction(ctx, _action, handle) {
    const path = `/api/v1/actions/${encodeURIComponent(String(handle.actionId))}`;
    const res = await ctx.http.request({ method: 'GET', path });
    check(ctx, res, `GET ${path}`);
    return outcome(res.body as { action_id?: unknown; state?: unknown });
  },
};
