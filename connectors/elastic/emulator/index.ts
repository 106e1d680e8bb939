// The Elastic Security emulator: Kibana and Elasticsearch on two loopback ports (as a deployment has two base
// URLs), over one cluster state. Kibana answers in Boom/siem envelopes, Elasticsearch in its own; `expire` on
// Elasticsearch is a point in time that expired mid-pull (API keys and basic credentials do not expire mid-pull).
import {
  createRng,
  parseBasicAuth,
  startEmulatorServer,
  type EmulatorDef,
  type EmulatorOptions,
  type EmulatorReply,
  type EmulatorRequest,
  type FaultKind,
  type RunningEmulator,
  type StartedEmulator,
} from '../../sdk/index.js';
import { Cluster } from './cluster.js';
import { generate, hostPool, loadRecorded, toStored } from './data.js';
import { Elasticsearch, esError, type EsIdentity } from './elasticsearch.js';
import { Kibana, type KibanaIdentity } from './kibana.js';
import type { EmuRequest, EmuResponse } from './types.js';

/**
 * `contentDir`: a folder whose `elastic/kibana-es-archive-alert-docs.ndjson` holds recorded Kibana alert documents,
 * served first and used as templates for the generated volume (`content/emulators` when shipped, `fixtures` in
 * tests). Absent, or without that file: generated alerts only, from a built-in template.
 */
export type ElasticEmulatorOptions = EmulatorOptions;

/** The emulator's own test credentials. */
export const EMULATOR_CREDENTIALS = {
  apiKeyId: 'VuaCfGcBCdbkQm-e5aOx',
  apiKeySecret: 'ui2lp2axTNmsyakw9tvNnw',
  username: 'soc-bot',
  password: 'emulator-password',
} as const;

export const EMULATOR_API_KEY = Buffer.from(`${EMULATOR_CREDENTIALS.apiKeyId}:${EMULATOR_CREDENTIALS.apiKeySecret}`).toString('base64');

/** Who the Authorization header names, or null: `ApiKey <encoded>` or `Basic <user:pass>`. */
function identify(authorization: string | undefined): { username: string; apiKey?: { id: string; name: string } } | null {
  const apiKey = /^ApiKey\s+(\S+)$/i.exec(authorization ?? '');
  if (apiKey) return apiKey[1] === EMULATOR_API_KEY ? { username: EMULATOR_CREDENTIALS.username, apiKey: { id: EMULATOR_CREDENTIALS.apiKeyId, name: 'quell-connector' } } : null;
  const basic = parseBasicAuth(authorization);
  if (basic && basic[0] === EMULATOR_CREDENTIALS.username && basic[1] === EMULATOR_CREDENTIALS.password) return { username: basic[0] };
  return null;
}

const toEmu = (req: EmulatorRequest): EmuRequest => ({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body ?? null });

function toReply(res: EmuResponse): EmulatorReply {
  const reply: EmulatorReply = { status: res.status };
  if (res.headers) reply.headers = res.headers;
  if (typeof res.body === 'string') reply.text = res.body;
  else reply.json = res.body;
  if (res.served) reply.served = res.served;
  return reply;
}

const DEFAULT_GENERATED = 25;

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function combine(kibana: StartedEmulator, es: StartedEmulator, alertIds: () => string[], settings: Record<string, unknown>): RunningEmulator {
  return {
    vendor: 'elastic',
    url: kibana.url,
    settings,
    served: () => [...kibana.served(), ...es.served()],
    alertIds,
    actions: () => kibana.actions(),
    faultsInjected: () => {
      const a = kibana.faultsInjected();
      const b = es.faultsInjected();
      return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as FaultKind] + b[k as FaultKind]])) as Record<FaultKind, number>;
    },
    close: async () => {
      await Promise.all([kibana.close(), es.close()]);
    },
  };
}

export async function startElasticEmulator(options: ElasticEmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? 1;
  const now = Date.now();
  const hosts = hostPool(createRng(seed ^ 0x4057));
  const recorded = loadRecorded(options.contentDir);
  // Without recorded alerts and without a count, a few generated ones: an emulator someone tries should not be empty.
  const count = options.alerts ?? (recorded.length ? 0 : DEFAULT_GENERATED);
  const docs = toStored(generate(recorded, count, seed, hosts, now));
  const idRng = createRng(seed ^ 0xac71);
  const cluster = new Cluster(docs, () => Date.now(), () => idRng.uuid());
  const hostsByAgent = new Map<string, string>(hosts.map((h) => [h.agentId, h.name]));
  for (const d of docs) {
    const agent = d.source.agent as { id?: unknown } | undefined;
    const host = d.source.host as { name?: unknown } | undefined;
    if (typeof agent?.id === 'string' && typeof host?.name === 'string') hostsByAgent.set(agent.id, host.name);
  }
  const kibanaApi = new Kibana(cluster, () => idRng.uuid(), hostsByAgent);
  const esApi = new Elasticsearch(cluster);
  const alertIds = () => cluster.docs.map((d) => d.id);
  const faultOptions: EmulatorOptions = {
    seed,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.slowMs !== undefined ? { slowMs: options.slowMs } : {}),
    ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
  };

  const kibana = await startEmulatorServer(
    {
      vendor: 'elastic',
      routes: [
        {
          method: ALL_METHODS,
          path: /^\/.*$/,
          handle(req, ctx) {
            const who = identify(req.headers.authorization);
            const identity: KibanaIdentity | null = who ? { username: who.username, profileUid: `u_${who.username}_0` } : null;
            const res = kibanaApi.handle(toEmu(req), identity);
            if (res.action) ctx.recordAction(res.action);
            return toReply(res);
          },
        },
      ],
      hooks: {
        error: (status, message) => ({ status, json: { statusCode: status, error: status === 503 ? 'Service Unavailable' : status === 500 ? 'Internal Server Error' : status === 429 ? 'Too Many Requests' : status === 404 ? 'Not Found' : 'Bad Request', message } }),
      },
      settings: () => ({}),
      alertIds,
    },
    { ...faultOptions, ...(options.port ? { port: options.port } : {}) },
  );

  const es = await startEmulatorServer(
    {
      vendor: 'elastic',
      routes: [
        {
          method: ALL_METHODS,
          path: /^\/.*$/,
          handle: (req) => toReply(esApi.handle(toEmu(req), identify(req.headers.authorization) as EsIdentity | null)),
        },
      ],
      hooks: {
        error: (status, message) => toReply(esError(status, status >= 500 ? 'status_exception' : 'illegal_argument_exception', message)),
        // Elasticsearch pushes back with es_rejected_execution_exception and no Retry-After.
        rateLimited: () =>
          toReply(
            esError(
              429,
              'es_rejected_execution_exception',
              'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1024, max_coordinating_and_primary_bytes=107374182]',
            ),
          ),
        expireToken(req) {
          try {
            const pit = (JSON.parse(req.text) as { pit?: { id?: unknown } }).pit;
            if (typeof pit?.id === 'string') {
              const ctx = cluster.pits.get(pit.id);
              for (const [k, v] of cluster.pits) if (v === ctx) cluster.pits.delete(k);
            }
          } catch {
            // Not a JSON search body: nothing to expire.
          }
        },
      },
      settings: () => ({}),
      alertIds,
    },
    { ...faultOptions, seed: seed + 7 },
  );

  const oldest = docs.reduce((min, d) => Math.min(min, d.ts), now);
  const days = Math.max(1, Math.ceil((now - oldest) / 86_400_000) + 1);
  const settings = {
    url: kibana.url,
    esUrl: es.url,
    space: 'default',
    auth: 'apiKey',
    apiKey: EMULATOR_API_KEY,
    // Far enough back for the recorded alerts too, which keep their original times.
    lookback: `${days}d`,
    pageSize: 500,
  };
  return combine(kibana, es, alertIds, settings);
}

export const elasticEmulator: EmulatorDef = {
  vendor: 'elastic',
  start: (options: ElasticEmulatorOptions) => startElasticEmulator(options),
};
