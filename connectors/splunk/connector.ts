import { z } from 'zod';
import type { Connector, TestResult } from '../sdk/index.js';
import { isConnectorError } from '../sdk/index.js';
import { SPLUNK_ACTIONS, pollAction, runAction } from './actions.js';
import { authorize, call, onUnauthorized, type SplunkContext } from './client.js';
import { pullAlerts } from './pull.js';
import { SPLUNK_SECRET_FIELDS, SplunkSettings } from './settings.js';

const ServerInfo = z.object({ entry: z.array(z.object({ content: z.object({ version: z.string(), serverName: z.string().optional() }).passthrough() })).min(1) });
const CurrentContext = z.object({ entry: z.array(z.object({ content: z.object({ username: z.string(), roles: z.array(z.string()).optional() }).passthrough() })).min(1) });

async function test(ctx: SplunkContext): Promise<TestResult> {
  try {
    const info = ServerInfo.parse((await call(ctx, { method: 'GET', path: '/services/server/info' })).body).entry[0]!.content;
    const me = CurrentContext.parse((await call(ctx, { method: 'GET', path: '/services/authentication/current-context' })).body).entry[0]!.content;
    const roles = me.roles?.length ? ` (roles ${me.roles.join(', ')})` : '';
    return { ok: true, message: `Splunk ${info.version} on ${info.serverName ?? 'the search head'}, user ${me.username}${roles}, app ${ctx.settings.app}` };
  } catch (e) {
    if (isConnectorError(e)) return { ok: false, message: e.message };
    if (e instanceof z.ZodError) return { ok: false, message: `the answer is not Splunk's server info: ${e.issues[0]?.message ?? ''}` };
    throw e;
  }
}

export const splunkConnector: Connector<typeof SplunkSettings> = {
  manifest: {
    id: 'splunk',
    vendor: 'Splunk',
    settings: SplunkSettings,
    secretFields: SPLUNK_SECRET_FIELDS,
    capabilities: { pullAlerts: true, queryEvents: false, actions: Object.keys(SPLUNK_ACTIONS) },
    actions: SPLUNK_ACTIONS,
    format: 'splunk-notable',
  },
  test,
  pullAlerts,
  runAction: (ctx, action, input) => runAction(ctx, action, input),
  pollAction,
  httpSetup: (s) => ({
    bases: { url: s.url },
    timeoutMs: s.timeoutMs,
    tls: { allowSelfSigned: s.allowSelfSigned, ...(s.caFile ? { caFile: s.caFile } : {}) },
  }),
  authorize,
  onUnauthorized,
};
