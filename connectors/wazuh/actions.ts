// Wazuh's actions go through the server API and are fire-and-forget: the manager confirms it queued the command
// for each agent (`data.affected_items`) or says why not (`failed_items`), and nothing can be polled afterwards.
import { z } from 'zod';
import type { ActionOutcome, ActionSpec } from '../sdk/index.js';
import { ConnectorError } from '../sdk/index.js';
import { api, type WazuhContext } from './client.js';

const AgentId = z.string().regex(/^\d{3,}$/, 'an agent id such as 001');
const Ip = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)$/, 'an IPv4 or IPv6 address');

export const ActiveResponseInput = z
  .object({
    agents: z.array(AgentId).min(1).max(500),
    /** A command from the manager's configuration, or `!script` for a script by name. */
    command: z.string().min(1).default('!firewall-drop'),
    /** The address the command acts on (`firewall-drop`, `host-deny`): sent as the alert's `data.srcip`. */
    srcip: Ip.optional(),
    arguments: z.array(z.string()).optional(),
  })
  .strict();

export const RestartAgentsInput = z.object({ agents: z.array(AgentId).min(1).max(500) }).strict();

export const WAZUH_ACTIONS: Record<string, ActionSpec> = {
  activeResponse: {
    name: 'activeResponse',
    summary: 'Run an active-response command on agents (e.g. firewall-drop a source address)',
    input: ActiveResponseInput,
    impact: {
      changes: 'runs an active-response script on each agent; firewall-drop blocks the address in the host firewall until the command\'s timeout lifts it',
      reversible: false,
      risk: 'high',
    },
  },
  restartAgents: {
    name: 'restartAgents',
    summary: 'Restart the Wazuh agent on hosts',
    input: RestartAgentsInput,
    impact: { changes: 'restarts the Wazuh agent service on each host (not the host); it stops reporting for a few seconds', reversible: false, risk: 'medium' },
  },
};

const FailedItem = z.object({ error: z.object({ code: z.number(), message: z.string() }).passthrough(), id: z.array(z.string()) });
const Envelope = z.object({
  data: z.object({
    affected_items: z.array(z.string()),
    total_affected_items: z.number(),
    failed_items: z.array(FailedItem),
    total_failed_items: z.number(),
  }),
  message: z.string(),
  error: z.number(),
});

/** `error` 0: every agent; 1: none; 2: some. Anything short of all is failed, with the per-agent reasons. */
function outcome(ctx: WazuhContext, body: unknown, request: string): ActionOutcome {
  const parsed = Envelope.safeParse(body);
  if (!parsed.success) throw new ConnectorError('protocol', 'the answer is not a Wazuh affected_items/failed_items envelope', { connector: ctx.name, request });
  const { data, message, error } = parsed.data;
  const failed = data.failed_items.map((f) => ({ agents: f.id, code: f.error.code, message: f.error.message }));
  const result = { message, affected: data.affected_items, failed };
  if (error === 0 && failed.length === 0) return { status: 'done', result };
  const why = failed.map((f) => `${f.agents.join(', ')}: ${f.code} ${f.message}`).join('; ');
  return { status: 'failed', reason: `${message} (${why})`, result };
}

export async function runAction(ctx: WazuhContext, action: string, input: unknown): Promise<ActionOutcome> {
  switch (action) {
    case 'activeResponse': {
      const i = ActiveResponseInput.parse(input);
      const path = '/active-response';
      const json: Record<string, unknown> = { command: i.command };
      if (i.arguments) json['arguments'] = i.arguments;
      if (i.srcip) json['alert'] = { data: { srcip: i.srcip } };
      // Sent once: a command the manager may already have queued is not sent again by a retry.
      const res = await api(ctx, { method: 'PUT', path, query: { agents_list: i.agents.join(',') }, json, noRetry: true });
      return outcome(ctx, res.body, `PUT ${path}`);
    }
    case 'restartAgents': {
      const i = RestartAgentsInput.parse(input);
      const path = '/agents/restart';
      const res = await api(ctx, { method: 'PUT', path, query: { agents_list: i.agents.join(',') }, noRetry: true });
      return outcome(ctx, res.body, `PUT ${path}`);
    }
    default:
      throw new ConnectorError('config', `Wazuh has no action "${action}" (actions: ${Object.keys(WAZUH_ACTIONS).join(', ')})`, { connector: ctx.name });
  }
}
