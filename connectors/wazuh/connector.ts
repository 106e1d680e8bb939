import { z } from 'zod';
import type { Connector, TestResult } from '../sdk/index.js';
import { ConnectorError, isConnectorError } from '../sdk/index.js';
import { WAZUH_ACTIONS, runAction } from './actions.js';
import { api, authorize, indexer, onUnauthorized, type WazuhContext } from './client.js';
import { pullAlerts } from './pull.js';
import { WAZUH_SECRET_FIELDS, WazuhSettings } from './settings.js';

const ApiInfo = z.object({ data: z.object({ api_version: z.string(), hostname: z.string().optional(), title: z.string().optional() }).passthrough() });
const Count = z.object({ hits: z.object({ total: z.object({ value: z.number(), relation: z.string().optional() }) }) });

async function test(ctx: WazuhContext): Promise<TestResult> {
  try {
    const info = ApiInfo.parse((await api(ctx, { method: 'GET', path: '/' })).body).data;
    const s = ctx.settings;
    const res = await indexer(ctx, { method: 'POST', path: `/${s.indexPattern}/_search`, json: { size: 0, track_total_hits: true, query: { range: { timestamp: { gte: `now-${s.lookback}` } } } } });
    const total = Count.parse(res.body).hits.total;
    return {
      ok: true,
      message: `Wazuh ${info.api_version} server API on ${info.hostname ?? 'the manager'}, user ${s.username}; indexer user ${s.indexerUsername}: ${total.value} alerts in ${s.indexPattern} over the last ${s.lookback}`,
    };
  } catch (e) {
    if (isConnectorError(e)) return { ok: false, message: e.message };
    if (e instanceof z.ZodError) return { ok: false, message: `the answer is not what the Wazuh API sends: ${e.issues[0]?.path.join('.') ?? ''} ${e.issues[0]?.message ?? ''}` };
    throw e;
  }
}

export const wazuhConnector: Connector<typeof WazuhSettings> = {
  manifest: {
    id: 'wazuh',
    vendor: 'Wazuh',
    settings: WazuhSettings,
    secretFields: WAZUH_SECRET_FIELDS,
    capabilities: { pullAlerts: true, queryEvents: false, actions: Object.keys(WAZUH_ACTIONS) },
    actions: WAZUH_ACTIONS,
    // The indexer stores alerts as the manager writes them to alerts.json; core's reader takes the search hits.
    format: 'wazuh-alert',
  },
  test,
  pullAlerts,
  runAction: (ctx, action, input) => runAction(ctx, action, input),
  async pollAction(ctx, action) {
    throw new ConnectorError('config', `Wazuh action "${action}" is fire-and-forget: the API confirms delivery and has nothing to poll`, { connector: ctx.name });
  },
  httpSetup: (s) => ({
    bases: { url: s.url, indexerUrl: s.indexerUrl },
    timeoutMs: s.timeoutMs,
    tls: { allowSelfSigned: s.allowSelfSigned, ...(s.caFile ? { caFile: s.caFile } : {}) },
  }),
  authorize,
  onUnauthorized,
};
