// The Wazuh emulator: two loopback servers, as a deployment has two services. The server API (JWT login, agents,
// active response, agent restart; actions recorded) and the indexer (basic auth, `wazuh-alerts-*` search with
// search_after) serving the recorded alerts.json sample plus generated volume. Faults apply to both; `expire`
// revokes the JWT a server-API request carries (the indexer's basic credentials do not expire).
import path from 'node:path';
import type { EmulatorDef, EmulatorOptions, FaultKind, RunningEmulator } from '../../sdk/index.js';
import { parseBasicAuth, startEmulatorServer } from '../../sdk/index.js';
import { buildAgents, buildAlerts, defaultContentDir, loadSpecExamples } from './data.js';
import { indexOf, indexerRoutes, openSearchError } from './indexer.js';
import { checkToken, problem, serverRoutes, type ServerState } from './server.js';

export interface WazuhEmulatorOptions extends EmulatorOptions {
  /** The JWT lifetime (`auth_token_exp_timeout`); default 900 s, as Wazuh ships. */
  tokenTtlSeconds?: number;
  /** The server API's `max_request_per_minute`; default 300, as Wazuh ships. */
  maxRequestsPerMinute?: number;
}

export interface RunningWazuhEmulator extends RunningEmulator {
  indexerUrl: string;
  /** Successful logins at `/security/user/authenticate`. */
  logins(): number;
}

const USERNAME = 'wazuh-wui';
const PASSWORD = 'quell-emulator';
const INDEXER_USERNAME = 'admin';
const INDEXER_PASSWORD = 'quell-emulator-indexer';

const HTTP_TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Request Entity Too Large', 500: 'Wazuh Internal Error', 503: 'Service Unavailable' };

export async function startWazuhEmulator(options: WazuhEmulatorOptions = {}): Promise<RunningWazuhEmulator> {
  const dir = options.contentDir ? path.join(options.contentDir, 'wazuh') : defaultContentDir();
  if (!dir) throw new Error('the Wazuh emulator cannot find its data (content/emulators/wazuh); pass contentDir');
  const seed = options.seed ?? 1;
  const examples = loadSpecExamples(dir);
  const agents = buildAgents(examples);
  const alerts = buildAlerts(dir, agents, options.alerts ?? 0, seed, Date.now());
  const state: ServerState = {
    username: USERNAME,
    password: PASSWORD,
    agents,
    tokens: new Map(),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 900,
    logins: 0,
    failedLogins: 0,
    maxRequestsPerMinute: options.maxRequestsPerMinute ?? 300,
    recent: [],
    examples,
  };

  const indexer = await startEmulatorServer(
    {
      vendor: 'wazuh-indexer',
      routes: indexerRoutes(() => alerts, { index: indexOf }),
      hooks: {
        error: (status, message) => openSearchError(status, status === 404 ? 'resource_not_found_exception' : status >= 500 ? 'exception' : 'illegal_argument_exception', message),
        rateLimited: () => openSearchError(429, 'es_rejected_execution_exception', 'rejected execution of coordinating operation [shard_detail=[wazuh-alerts-4.x][0][P]]'),
        authenticate(req) {
          const creds = parseBasicAuth(req.headers['authorization']);
          if (creds && creds[0] === INDEXER_USERNAME && creds[1] === INDEXER_PASSWORD) return null;
          return { status: 401, text: 'Unauthorized', headers: { 'content-type': 'text/plain; charset=UTF-8', 'www-authenticate': 'Basic realm="OpenSearch Security"' } };
        },
      },
      settings: () => ({}),
      alertIds: () => alerts.map((a) => String(a['id'])),
    },
    options,
  );
  const server = await startEmulatorServer(
    {
      vendor: 'wazuh',
      routes: serverRoutes(state),
      hooks: {
        error: (status, message) => problem(status, HTTP_TITLES[status] ?? 'Wazuh Error', message),
        // Wazuh's own 429 (code 6001) carries no Retry-After.
        rateLimited: () => ({ status: 429, json: examples['POST /security/user/authenticate 429'] }),
        authenticate: (req) => checkToken(state, req),
        expireToken(req) {
          const m = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
          if (m) state.tokens.delete(m[1]!);
        },
      },
      settings: (url) => ({
        url,
        username: USERNAME,
        password: PASSWORD,
        indexerUrl: indexer.url,
        indexerUsername: INDEXER_USERNAME,
        indexerPassword: INDEXER_PASSWORD,
        indexPattern: 'wazuh-alerts-*',
        pageSize: 500,
        // The recorded sample is from 2022: reach back far enough to serve it.
        lookback: '10y',
        timeoutMs: 10_000,
      }),
      alertIds: () => alerts.map((a) => String(a['id'])),
    },
    { ...options, seed: seed + 101 },
  );

  const sumFaults = (): Record<FaultKind, number> => {
    const a = indexer.faultsInjected();
    const b = server.faultsInjected();
    return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as FaultKind] + b[k as FaultKind]])) as Record<FaultKind, number>;
  };
  return {
    vendor: 'wazuh',
    url: server.url,
    indexerUrl: indexer.url,
    settings: server.settings,
    served: () => indexer.served(),
    alertIds: () => alerts.map((a) => String(a['id'])),
    actions: () => server.actions(),
    faultsInjected: sumFaults,
    logins: () => state.logins,
    close: async () => {
      await Promise.all([server.close(), indexer.close()]);
    },
  };
}

export const wazuhEmulator: EmulatorDef = { vendor: 'wazuh', start: (options) => startWazuhEmulator(options) };
