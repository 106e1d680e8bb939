// The Splunk emulator: splunkd's management port on 127.0.0.1 serving the recorded ES notables plus generated
// volume, with session-key login, bearer tokens and basic auth, and every notable update and saved-search dispatch
// recorded.
import path from 'node:path';
import type { EmulatorDef, EmulatorOptions, RunningEmulator } from '../../sdk/index.js';
import { bearerToken, parseBasicAuth, startEmulatorServer, type EmulatorRequest } from '../../sdk/index.js';
import { rowId } from '../rows.js';
import { buildAlerts, defaultContentDir } from './data.js';
import { messages, splunkRoutes, type SplunkState } from './routes.js';

export interface RunningSplunkEmulator extends RunningEmulator {
  /** Session keys issued by `/services/auth/login`. */
  logins(): number;
  /** Sids of the search jobs that exist (dispatched and not deleted). */
  jobs(): string[];
  /** A notable as the emulator now holds it (after updates), by event_id. */
  notable(eventId: string): Record<string, unknown> | undefined;
}

const USERNAME = 'admin';
const PASSWORD = 'quell-emulator';
const TOKEN = 'quell-emulator-token';

const sessionKey = (req: EmulatorRequest) => /^Splunk\s+(\S+)$/i.exec(req.headers['authorization'] ?? '')?.[1] ?? null;

export async function startSplunkEmulator(options: EmulatorOptions = {}): Promise<RunningSplunkEmulator> {
  const dir = options.contentDir ? path.join(options.contentDir, 'splunk') : defaultContentDir();
  if (!dir) throw new Error('the Splunk emulator cannot find its data (content/emulators/splunk); pass contentDir');
  const seed = options.seed ?? 1;
  const state: SplunkState = {
    alerts: buildAlerts(dir, options.alerts ?? 0, seed, Date.now()),
    username: USERNAME,
    password: PASSWORD,
    token: TOKEN,
    sessions: new Set(),
    jobs: new Map(),
    savedSearches: ['Access - Brute Force Access Behavior Detected - Rule', 'Endpoint - Recurring Malware Infection - Rule', 'Identity - Root sucess - Rule'],
    nextSid: 1,
    logins: 0,
  };
  let url = '';
  const running = await startEmulatorServer(
    {
      vendor: 'splunk',
      routes: splunkRoutes(state, () => url),
      hooks: {
        error: (status, message) => ({ status, json: messages(status >= 500 ? 'FATAL' : 'ERROR', message) }),
        authenticate(req) {
          const auth = req.headers['authorization'];
          const key = sessionKey(req);
          const basic = parseBasicAuth(auth);
          const ok =
            (key !== null && state.sessions.has(key)) ||
            bearerToken(auth) === state.token ||
            (basic !== null && basic[0] === state.username && basic[1] === state.password);
          return ok ? null : { status: 401, json: messages('WARN', 'call not properly authenticated') };
        },
        // Session keys expire (sessionTimeout); tokens and basic credentials do not.
        expireToken(req) {
          const key = sessionKey(req);
          if (key) state.sessions.delete(key);
        },
      },
      settings: (u) => ({
        url: u,
        authKind: 'session',
        username: USERNAME,
        password: PASSWORD,
        app: 'SplunkEnterpriseSecuritySuite',
        owner: 'nobody',
        query: 'search `notable`',
        earliestTime: '0',
        pageSize: 1000,
        timeoutMs: 10_000,
      }),
      alertIds: () => state.alerts.map((r) => rowId(r) ?? ''),
    },
    options,
  );
  url = running.url;
  return {
    ...running,
    logins: () => state.logins,
    jobs: () => [...state.jobs.keys()],
    notable: (eventId) => state.alerts.find((r) => r['event_id'] === eventId),
  };
}

export const splunkEmulator: EmulatorDef = { vendor: 'splunk', start: (options) => startSplunkEmulator(options) };

/** The emulator's token credential, for tests of `authKind: token`. */
export const SPLUNK_EMULATOR_TOKEN = TOKEN;
