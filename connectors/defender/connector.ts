import type { Connector, ConnectorContext, ConnectorManifest, TestResult } from '../sdk/index.js';
import { actionSpecs, pollAction, runAction } from './actions.js';
import { authorize, callJson, onUnauthorized } from './auth.js';
import { ConnectorError } from './errors.js';
import { pullAlerts } from './pull.js';
import { DefenderSettings, SECRET_FIELDS } from './settings.js';

export const manifest: ConnectorManifest<typeof DefenderSettings> = {
  id: 'defender',
  vendor: 'Microsoft Defender for Endpoint',
  settings: DefenderSettings,
  secretFields: SECRET_FIELDS,
  capabilities: { pullAlerts: true, queryEvents: false, actions: Object.keys(actionSpecs) },
  actions: actionSpecs,
  format: 'defender-alert',
};

/** Signs in and reads one alert: proves the credentials, the tenant and the Alert.Read.All role. */
async function test(ctx: ConnectorContext<DefenderSettings>): Promise<TestResult> {
  try {
    const { body } = await callJson(ctx, { method: 'GET', path: '/api/alerts', query: { $top: 1 } });
    const seen = Array.isArray(body['value']) ? body['value'].length : 0;
    return {
      ok: true,
      message: `Defender for Endpoint API ${new URL(ctx.settings.url).host}: signed in to tenant ${ctx.settings.tenantId} as app ${ctx.settings.clientId}; alerts readable (${seen ? 'latest alert returned' : 'no alerts yet'})`,
    };
  } catch (err) {
    if (err instanceof ConnectorError) return { ok: false, message: err.message };
    throw err;
  }
}

export const connector: Connector<typeof DefenderSettings> = {
  manifest,
  test,
  pullAlerts,
  runAction,
  pollAction,
  authorize,
  onUnauthorized,
};
