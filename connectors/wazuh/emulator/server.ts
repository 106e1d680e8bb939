// The Wazuh server API as the emulator speaks it: JWT login with basic auth (and the login block after too many
// failures), the `{data, message, error}` envelope, problem-style errors, agents, active response and agent
// restart with per-agent `failed_items`.
import type { EmulatorContext, EmulatorReply, EmulatorRequest, EmulatorRoute } from '../../sdk/index.js';
import { parseBasicAuth } from '../../sdk/index.js';
import type { Agent } from './data.js';

export const API_VERSION = '4.14.0';
export const MANAGER_HOSTNAME = 'wazuh-manager';
const MAX_LOGIN_ATTEMPTS = 50;

export interface ServerState {
  username: string;
  password: string;
  agents: Agent[];
  /** Issued JWTs and when each expires (epoch ms). */
  tokens: Map<string, number>;
  tokenTtlSeconds: number;
  logins: number;
  failedLogins: number;
  /** `access.max_request_per_minute` (300 as shipped): over it, 429 with code 6001. */
  maxRequestsPerMinute: number;
  /** When each request of the last minute arrived (epoch ms). */
  recent: number[];
  /** Problem bodies recorded from the spec's examples, by "METHOD path status". */
  examples: Record<string, unknown>;
}

export const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}): EmulatorReply => ({
  status,
  json: { title, detail, ...extra },
});

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function issueToken(state: ServerState, ctx: EmulatorContext): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: 'wazuh', aud: 'Wazuh API REST', nbf: now, exp: now + state.tokenTtlSeconds, sub: state.username, run_as: false, rbac_roles: [1], rbac_mode: 'white' };
  // Shaped like Wazuh's ES512 JWT; the signature is random, the emulator checks tokens by lookup.
  const jwt = `${b64url({ alg: 'ES512', typ: 'JWT' })}.${b64url(payload)}.${Buffer.from(ctx.rng.hex(64), 'hex').toString('base64url')}`;
  state.tokens.set(jwt, Date.now() + state.tokenTtlSeconds * 1000);
  return jwt;
}

/** Null when the bearer token is one the emulator issued and it has not expired, else Wazuh's 401. */
export function checkToken(state: ServerState, req: EmulatorRequest): EmulatorReply | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  if (!m) return { status: 401, json: state.examples['GET /agents 401'] ?? { title: 'Unauthorized', detail: 'No authorization token provided' } };
  const expires = state.tokens.get(m[1]!);
  if (expires === undefined || expires <= Date.now()) {
    state.tokens.delete(m[1]!);
    // The exact detail Wazuh gives an expired or revoked token is not in the recorded examples (unv.).
    return problem(401, 'Unauthorized', 'Invalid token');
  }
  return null;
}

const ERRORS: Record<number, { message: string; remediation?: string }> = {
  1701: { message: 'Agent does not exist', remediation: 'Please, use `GET /agents?select=id,name` to find all available agents' },
  1703: { message: 'Action not available for Manager (agent 000)' },
  1707: { message: 'Cannot send request, agent is not active', remediation: 'Please, check non-active agents connection and try again' },
};

/** Which agents a command reaches, and why each of the others does not, grouped by error code as Wazuh does. */
function dispatch(state: ServerState, ids: string[], managerAllowed: boolean) {
  const affected: string[] = [];
  const failures = new Map<number, string[]>();
  for (const id of ids) {
    const agent = state.agents.find((a) => a.id === id);
    const code = !agent ? 1701 : id === '000' && !managerAllowed ? 1703 : agent.status !== 'active' ? 1707 : 0;
    if (code === 0) affected.push(id);
    else failures.set(code, [...(failures.get(code) ?? []), id]);
  }
  const failed_items = [...failures.entries()].map(([code, agentIds]) => ({ error: { code, ...ERRORS[code]! }, id: agentIds }));
  const error = failed_items.length === 0 ? 0 : affected.length === 0 ? 1 : 2;
  return { data: { affected_items: affected, total_affected_items: affected.length, total_failed_items: ids.length - affected.length, failed_items }, error };
}

/** `agents_list=001,002`; absent means every agent. */
const agentsList = (state: ServerState, req: EmulatorRequest) => {
  const list = req.query.get('agents_list');
  return list ? list.split(',').map((s) => s.trim()).filter(Boolean) : state.agents.filter((a) => a.id !== '000').map((a) => a.id);
};

/** Wazuh's sliding one-minute request counter, applied to every route (the login included). */
function limited(state: ServerState, route: EmulatorRoute): EmulatorRoute {
  return {
    ...route,
    handle: (req, ctx) => {
      const now = Date.now();
      while (state.recent.length && state.recent[0]! <= now - 60_000) state.recent.shift();
      if (state.recent.length >= state.maxRequestsPerMinute) return { status: 429, json: state.examples['POST /security/user/authenticate 429'] };
      state.recent.push(now);
      return route.handle(req, ctx);
    },
  };
}

export function serverRoutes(state: ServerState): EmulatorRoute[] {
  return routes(state).map((r) => limited(state, r));
}

function routes(state: ServerState): EmulatorRoute[] {
  return [
    {
      method: 'POST',
      path: '/security/user/authenticate',
      auth: 'token',
      handle: (req, ctx) => {
        if (state.failedLogins >= MAX_LOGIN_ATTEMPTS) {
          return problem(403, 'Permission Denied', 'Limit of login attempts reached. The current IP has been blocked due to a high number of login attempts', { error: 6000 });
        }
        const creds = parseBasicAuth(req.headers['authorization']);
        if (!creds || creds[0] !== state.username || creds[1] !== state.password) {
          state.failedLogins++;
          return { status: 401, json: state.examples['POST /security/user/authenticate 401'] ?? { title: 'Unauthorized', detail: 'Invalid credentials' } };
        }
        state.logins++;
        const token = issueToken(state, ctx);
        if (req.query.get('raw') === 'true') return { text: token, headers: { 'content-type': 'text/plain; charset=utf-8' } };
        return { json: { data: { token }, error: 0 } };
      },
    },
    {
      method: 'GET',
      path: '/',
      handle: () => ({
        json: {
          data: { title: 'Wazuh API REST', api_version: API_VERSION, revision: 41400, license_name: 'GPL 2.0', license_url: 'https://github.com/wazuh/wazuh/blob/v4.14.0/LICENSE', hostname: MANAGER_HOSTNAME, timestamp: new Date().toISOString() },
          error: 0,
        },
      }),
    },
    {
      method: 'GET',
      path: '/agents',
      handle: (req) => {
        const offset = Number(req.query.get('offset') ?? 0);
        const limit = Number(req.query.get('limit') ?? 500);
        const wanted = req.query.get('agents_list')?.split(',');
        const status = req.query.get('status')?.split(',');
        const list = state.agents.filter((a) => (!wanted || wanted.includes(a.id)) && (!status || status.includes(a.status)));
        const items = list.slice(offset, offset + limit);
        return {
          json: {
            data: { affected_items: items, total_affected_items: list.length, total_failed_items: 0, failed_items: [] },
            message: items.length ? 'All selected agents information was returned' : 'No agent information was returned',
            error: 0,
          },
        };
      },
    },
    {
      method: 'PUT',
      path: '/active-response',
      handle: (req, ctx) => {
        ctx.recordAction('activeResponse');
        const body = req.body as { command?: unknown; arguments?: unknown } | undefined;
        if (!body || typeof body !== 'object') return problem(400, 'Bad Request', 'Request body is empty or not JSON');
        if (typeof body.command !== 'string' || body.command === '') return problem(400, 'Bad Request', "'command' is a required property");
        if (body.arguments !== undefined && !Array.isArray(body.arguments)) return problem(400, 'Bad Request', `${JSON.stringify(body.arguments)} is not of type 'array'`);
        const result = dispatch(state, agentsList(state, req), true);
        const message = result.error === 0 ? 'AR command was sent to all agents' : result.error === 2 ? 'AR command was not sent to some agents' : 'AR command was not sent to any agent';
        return { json: { ...result, message } };
      },
    },
    {
      method: 'PUT',
      path: '/agents/restart',
      handle: (req, ctx) => {
        ctx.recordAction('restartAgents');
        const result = dispatch(state, agentsList(state, req), false);
        const message = result.error === 0 ? 'Restart command was sent to all agents' : result.error === 2 ? 'Restart command was not sent to some agents' : 'Restart command was not sent to any agent';
        return { json: { ...result, message } };
      },
    },
  ];
}
