import { z } from 'zod';
import { abortableSleep, isConnectorError, type Connector, type HttpSetup, type TestResult } from '../sdk/index.js';
import { ACTIONS, pollAction, runAction } from './actions.js';
import { elasticsearch, esOk, kibana, type Ctx } from './client.js';
import { pullAlerts } from './pull.js';
import { authorization, ElasticSettings, SECRET_FIELDS } from './settings.js';

const Status = z.looseObject({ version: z.looseObject({ number: z.string() }), status: z.looseObject({ overall: z.looseObject({ level: z.string() }) }).optional() });
const Space = z.looseObject({ id: z.string(), name: z.string() });
const Authenticate = z.looseObject({ username: z.string(), authentication_type: z.string().optional(), api_key: z.looseObject({ name: z.string().optional() }).optional() });
const Count = z.looseObject({ hits: z.looseObject({ total: z.union([z.number(), z.looseObject({ value: z.number(), relation: z.string() })]) }) });

async function test(ctx: Ctx): Promise<TestResult> {
  const s = ctx.settings;
  try {
    const status = await kibana(ctx, { method: 'GET', path: '/api/status' }, Status);
    await kibana(ctx, { method: 'GET', path: `/api/spaces/space/${encodeURIComponent(s.space)}` }, Space);
    const count = await kibana(
      ctx,
      { method: 'POST', path: '/api/detection_engine/signals/search', json: { size: 0, track_total_hits: true, query: { match_all: {} } } },
      Count,
    );
    const total = count.hits.total;
    const alerts = typeof total === 'number' ? total : `${total.relation === 'gte' ? '≥' : ''}${total.value}`;
    let who = s.auth === 'basic' ? `user ${s.username ?? ''}` : 'an API key';
    let paging = 'Kibana signals/search (time windows)';
    if (s.esUrl) {
      const req = { method: 'GET' as const, path: '/_security/_authenticate' };
      const me = esOk(ctx, req, await elasticsearch(ctx, req), Authenticate);
      who = me.api_key?.name ? `user ${me.username} (API key ${me.api_key.name})` : `user ${me.username}`;
      paging = 'Elasticsearch point in time + search_after';
    }
    const level = status.status?.overall.level;
    return {
      ok: true,
      message: `Kibana ${status.version.number}${level && level !== 'available' ? ` (${level})` : ''}, ${who}, space ${s.space}, ${alerts} alerts visible; pulls with ${paging}`,
    };
  } catch (e) {
    if (isConnectorError(e)) return { ok: false, message: e.message };
    throw e;
  }
}

function httpSetup(s: ElasticSettings): HttpSetup {
  const tls: NonNullable<HttpSetup['tls']> = {};
  if (s.tls.caFile) tls.caFile = s.tls.caFile;
  if (s.tls.allowSelfSigned) tls.allowSelfSigned = true;
  return {
    bases: { url: s.url, ...(s.esUrl ? { esUrl: s.esUrl } : {}) },
    timeoutMs: s.timeoutMs,
    ...(Object.keys(tls).length ? { tls } : {}),
  };
}

/** Spaces requests `1/rateLimitPerSecond` apart across this connector's session. */
async function pace(ctx: Ctx): Promise<void> {
  const perSecond = ctx.settings.rateLimitPerSecond;
  if (!perSecond) return;
  const gap = 1000 / perSecond;
  const next = (ctx.session.get('elastic.nextSlot') as number | undefined) ?? 0;
  const now = Date.now();
  const at = Math.max(now, next);
  ctx.session.set('elastic.nextSlot', at + gap);
  if (at > now) await abortableSleep(at - now, ctx.signal);
}

export const connector: Connector<typeof ElasticSettings> = {
  manifest: {
    id: 'elastic',
    vendor: 'Elastic Security',
    settings: ElasticSettings,
    secretFields: SECRET_FIELDS,
    capabilities: { pullAlerts: true, queryEvents: false, actions: Object.keys(ACTIONS) },
    actions: ACTIONS,
    format: 'elastic-alert',
  },
  test,
  pullAlerts,
  runAction,
  pollAction,
  httpSetup,
  async authorize(ctx, req) {
    await pace(ctx);
    req.headers.authorization = authorization(ctx.settings);
  },
};
