import type { Connector, ConnectorContext, ConnectorManifest, TestResult } from '../sdk/index.js';
import { actionSpecs, pollAction, runAction } from './actions.js';
import { authorize, callEnvelope, onUnauthorized } from './auth.js';
import { ConnectorError } from './errors.js';
import { pullAlerts } from './pull.js';
import { CrowdStrikeSettings, SECRET_FIELDS } from './settings.js';

export const manifest: ConnectorManifest<typeof CrowdStrikeSettings> = {
  id: 'crowdstrike',
  vendor: 'CrowdStrike Falcon',
  settings: CrowdStrikeSettings,
  secretFields: SECRET_FIELDS,
  capabilities: { pullAlerts: true, queryEvents: false, actions: Object.keys(actionSpecs) },
  actions: actionSpecs,
  format: 'crowdstrike-alert',
};

/** Gets a token and queries one alert id: proves the cloud, the credentials and the Alerts: Read scope. */
async function test(ctx: ConnectorContext<CrowdStrikeSettings>): Promise<TestResult> {
  try {
    const { body } = await callEnvelope(ctx, { method: 'GET', path: '/alerts/queries/alerts/v2', query: { limit: 1 } });
    const meta = (body['meta'] ?? {}) as { pagination?: { total?: number } };
    const total = meta.pagination?.total;
    return {
      ok: true,
      message: `CrowdStrike Falcon API ${new URL(ctx.settings.url).host}: signed in as API client ${ctx.settings.clientId}${ctx.settings.memberCid ? ` for CID ${ctx.settings.memberCid}` : ''}; alerts readable${typeof total === 'number' ? ` (${total} in view)` : ''}`,
    };
  } catch (err) {
    if (err instanceof ConnectorError) return { ok: false, message: err.message };
    throw err;
  }
}

export const connector: Connector<typeof CrowdStrikeSettings> = {
  manifest,
  test,
  pullAlerts,
  runAction,
  pollAction,
  authorize,
  onUnauthorized,
};
