// TEST ONLY. The emulator of "Acme Alerts", a made-up minimal vendor the SDK and core tests run against (no real
// vendor lives on the SDK branch). It is honest about the things connectors must get right — OAuth2 client
// credentials with expiring tokens, an opaque paging cursor, a vendor error envelope, 429 with Retry-After, an
// action that is accepted as pending, deduplicated by Idempotency-Key and polled to completion — and nothing else.
//
//   POST /oauth/token            form grant_type=client_credentials, client_id, client_secret → {access_token, …}
//   GET  /api/v1/me              → {client_id, tenant}
//   GET  /api/v1/alerts          ?limit=N&cursor=C → {data: [...], next_cursor, has_more}
//   POST /api/v1/hosts/{id}/isolate | /release   (Idempotency-Key header) → 202 {action_id, state: "pending"}
//   GET  /api/v1/actions/{id}    → {action_id, type, host_id, state: "pending" | "succeeded"}
//   errors: {"error": {"code": "...", "message": "..."}}
import type { EmulatorDef, EmulatorOptions } from '../emulator-contract.js';
import { bearerToken, startEmulatorServer, type EmulatorReply, type StartedEmulator } from '../emulator.js';
import { generatedId, timeAt } from '../rng.js';

export const ACME_CLIENT_ID = 'quell-test-client';
export const ACME_CLIENT_SECRET = 's3cr3t-acme-Zq8v1';
/** Polls an action takes before it is done. */
export const ACME_POLLS_TO_DONE = 2;

export interface AcmeAlert {
  id: string;
  timestamp: string;
  rule: { id: string; level: number; description: string };
  agent: { id: string; name: string; ip: string };
  manager: { name: string };
  location: string;
  full_log: string;
}

const RULES = [
  { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user' },
  { id: '5712', level: 10, description: 'sshd: brute force trying to get access to the system' },
  { id: '92052', level: 12, description: 'Mimikatz-like LSASS access' },
];

/** The alerts an Acme emulator with `count` alerts and `seed` serves, in stream order. */
export function acmeAlerts(count: number, seed: number): AcmeAlert[] {
  const out: AcmeAlert[] = [];
  for (let i = 0; i < count; i++) {
    const rule = RULES[i % RULES.length]!;
    const host = `ws-${String(i % 37).padStart(3, '0')}`;
    out.push({
      id: generatedId(seed, i, 'acme-'),
      timestamp: timeAt('2026-11-20T08:00:00.000Z', i, 1000),
      rule,
      agent: { id: String(i % 37).padStart(3, '0'), name: host, ip: `10.20.${i % 37}.${(i % 200) + 10}` },
      manager: { name: 'acme-manager' },
      location: '/var/log/auth.log',
      full_log: `${rule.description} on ${host} (#${i})`,
    });
  }
  return out;
}

interface ActionState {
  id: string;
  type: string;
  hostId: string;
  polls: number;
}

export interface AcmeEmulatorOptions extends EmulatorOptions {
  /** Page size cap the API enforces. */
  maxLimit?: number;
}

export async function startAcmeEmulator(options: AcmeEmulatorOptions = {}): Promise<StartedEmulator & { alerts: AcmeAlert[] }> {
  const seed = options.seed ?? 1;
  const alerts = acmeAlerts(options.alerts ?? 25, seed);
  const maxLimit = options.maxLimit ?? 500;
  const tokens = new Set<string>();
  const byKey = new Map<string, ActionState>();
  const byId = new Map<string, ActionState>();
  let tokenCount = 0;

  const error = (status: number, code: string, message: string): EmulatorReply => ({ status, json: { error: { code, message } } });

  const startAction = (type: string): Parameters<typeof startEmulatorServer>[0]['routes'][number]['handle'] => (req, ctx) => {
    const hostId = req.params.id!;
    if (!/^[\w.-]+$/.test(hostId)) return error(404, 'not_found', `host ${hostId} not found`);
    const key = req.headers['idempotency-key'];
    ctx.recordAction(type);
    const existing = key ? byKey.get(key) : undefined;
    if (existing) return { status: 200, json: { action_id: existing.id, state: existing.polls >= ACME_POLLS_TO_DONE ? 'succeeded' : 'pending' } };
    const state: ActionState = { id: `act-${byId.size + 1}`, type, hostId, polls: 0 };
    byId.set(state.id, state);
    if (key) byKey.set(key, state);
    return { status: 202, json: { action_id: state.id, state: 'pending' } };
  };

  return Object.assign(
    await startEmulatorServer(
      {
        vendor: 'acme',
        settings: (url) => ({ url, clientId: ACME_CLIENT_ID, clientSecret: ACME_CLIENT_SECRET }),
        alertIds: () => alerts.map((a) => a.id),
        hooks: {
          error: (status, message) => error(status, status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : status === 404 ? 'not_found' : 'bad_request', message),
          authenticate: (req) => {
            const token = bearerToken(req.headers.authorization);
            return token && tokens.has(token) ? null : error(401, 'unauthorized', 'invalid or expired access token');
          },
          expireToken: (req) => {
            const token = bearerToken(req.headers.authorization);
            if (token) tokens.delete(token);
          },
        },
        routes: [
          {
            method: 'POST',
            path: '/oauth/token',
            auth: 'token',
            handle: (req) => {
              const form = (req.body ?? {}) as Record<string, string>;
              if (form.grant_type !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' } };
              if (form.client_id !== ACME_CLIENT_ID || form.client_secret !== ACME_CLIENT_SECRET) {
                return { status: 401, json: { error: 'invalid_client', error_description: 'client authentication failed' } };
              }
              const token = `tok-${++tokenCount}-${generatedId(seed, tokenCount).slice(0, 12)}`;
              tokens.add(token);
              return { json: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
            },
          },
          { method: 'GET', path: '/api/v1/me', handle: () => ({ json: { client_id: ACME_CLIENT_ID, tenant: 'acme-test' } }) },
          {
            method: 'GET',
            path: '/api/v1/alerts',
            handle: (req) => {
              const limitText = req.query.get('limit') ?? '100';
              const limit = Number(limitText);
              if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) return error(400, 'bad_request', `limit must be an integer from 1 to ${maxLimit}`);
              const cursor = req.query.get('cursor');
              let start = 0;
              if (cursor !== null) {
                const m = /^c(\d+)$/.exec(cursor);
                if (!m) return error(400, 'bad_request', `cursor ${cursor} is not valid`);
                start = Number(m[1]);
              }
              const page = alerts.slice(start, start + limit);
              const next = start + page.length;
              return { json: { data: page, next_cursor: `c${next}`, has_more: next < alerts.length }, served: page.map((a) => a.id) };
            },
          },
          { method: 'POST', path: /^\/api\/v1\/hosts\/(?<id>[^/]+)\/isolate$/, handle: startAction('isolate') },
          { method: 'POST', path: /^\/api\/v1\/hosts\/(?<id>[^/]+)\/release$/, handle: startAction('release') },
          {
            method: 'GET',
            path: /^\/api\/v1\/actions\/(?<id>[^/]+)$/,
            handle: (req) => {
              const state = byId.get(req.params.id!);
              if (!state) return error(404, 'not_found', `action ${req.params.id} not found`);
              state.polls++;
              return { json: { action_id: state.id, type: state.type, host_id: state.hostId, state: state.polls >= ACME_POLLS_TO_DONE ? 'succeeded' : 'pending' } };
            },
          },
        ],
      },
      options,
    ),
    { alerts },
  );
}

export const acmeEmulator: EmulatorDef = { vendor: 'acme', start: (options) => startAcmeEmulator(options) };
