// Actions: set the workflow status of alerts (signals/status), isolate and release a host (Elastic Defend response
// actions, polled until the agent answers).
//
// Kibana takes no idempotency key. Setting a status is idempotent by nature (the update script writes only when the
// status differs), so it may be retried. A response action is not: each POST creates one. So its comment carries
// `[quell:<key>]`, it is sent once (no automatic retry), and before sending again after a failure that may have
// reached Kibana the action list is searched for that key.
import { z } from 'zod';
import { abortableSleep, ConnectorError, isConnectorError, type ActionOutcome, type ActionSpec, type PollHandle } from '../sdk/index.js';
import { kibana, type Ctx } from './client.js';

const AlertIds = z.array(z.string().min(1)).min(1).max(10_000);

export const SetAlertStatusInput = z.object({
  alertIds: AlertIds.describe('kibana.alert.uuid (= the document _id) of each alert'),
  status: z.enum(['open', 'acknowledged', 'closed']),
  reason: z.enum(['false_positive', 'issue_resolved', 'acceptable_risk', 'expected_activity', 'low_severity', 'duplicate', 'investigation_required']).optional(),
});

export const HostActionInput = z.object({
  /** Elastic Agent ids (`agent.id` of an alert). */
  endpointIds: z.array(z.string().min(1)).min(1).max(50),
  comment: z.string().max(1000).optional(),
  alertIds: z.array(z.string().min(1)).optional(),
  caseIds: z.array(z.string().min(1)).optional(),
});

export const ACTIONS = {
  'set-alert-status': {
    name: 'set-alert-status',
    summary: 'Set the workflow status of alerts in Kibana (open, acknowledged, closed)',
    input: SetAlertStatusInput,
    impact: { changes: "sets kibana.alert.workflow_status of the alerts in Elastic Security", reversible: true, undo: 'set-alert-status', risk: 'low' },
  },
  'isolate-host': {
    name: 'isolate-host',
    summary: 'Isolate hosts from the network (Elastic Defend response action)',
    input: HostActionInput,
    impact: { changes: 'cuts the hosts off the network except for their connection to Elastic (Defend agent)', reversible: true, undo: 'release-host', risk: 'high' },
  },
  'release-host': {
    name: 'release-host',
    summary: 'Release hosts from network isolation (Elastic Defend response action)',
    input: HostActionInput,
    impact: { changes: 'reconnects isolated hosts to the network (Defend agent)', reversible: true, undo: 'isolate-host', risk: 'medium' },
  },
} satisfies Record<string, ActionSpec>;

const StatusResponse = z.looseObject({ total: z.number(), updated: z.number(), version_conflicts: z.number().optional(), failures: z.array(z.unknown()).optional() });

const ActionDetails = z.looseObject({
  id: z.string(),
  command: z.string(),
  agents: z.array(z.string()),
  isCompleted: z.boolean(),
  wasSuccessful: z.boolean(),
  isExpired: z.boolean().optional(),
  status: z.string().optional(),
  errors: z.array(z.string()).nullable().optional(),
  comment: z.string().optional(),
  startedAt: z.string().optional(),
  completedAt: z.string().nullable().optional(),
});
type ActionDetails = z.infer<typeof ActionDetails>;

/** Sends of one response action before giving up; each after checking it did not already arrive. */
const SEND_ATTEMPTS = 5;

const COMMAND = { 'isolate-host': 'isolate', 'release-host': 'unisolate' } as const;

export const keyTag = (key: string) => `[quell:${key}]`;

export async function runAction(ctx: Ctx, action: string, input: unknown, idempotencyKey: string): Promise<ActionOutcome> {
  if (action === 'set-alert-status') return setAlertStatus(ctx, SetAlertStatusInput.parse(input));
  if (action === 'isolate-host' || action === 'release-host') return responseAction(ctx, action, HostActionInput.parse(input), idempotencyKey);
  throw new ConnectorError('config', `unknown action ${action} (elastic has: ${Object.keys(ACTIONS).join(', ')})`, { connector: ctx.name });
}

async function setAlertStatus(ctx: Ctx, input: z.infer<typeof SetAlertStatusInput>): Promise<ActionOutcome> {
  const body = { signal_ids: input.alertIds, status: input.status, ...(input.reason ? { reason: input.reason } : {}) };
  const res = await kibana(ctx, { method: 'POST', path: '/api/detection_engine/signals/status', json: body }, StatusResponse);
  const result = { total: res.total, updated: res.updated, requested: input.alertIds.length, status: input.status };
  if (res.failures?.length) return { status: 'failed', reason: `Kibana reported ${res.failures.length} failure(s) updating the alerts`, result };
  if (res.total < input.alertIds.length) {
    return { status: 'failed', reason: `only ${res.total} of ${input.alertIds.length} alert(s) exist in space ${ctx.settings.space}; ${res.updated} updated`, result };
  }
  return { status: 'done', result };
}

/** A transient failure after which the request may or may not have reached Kibana. */
const uncertain = (e: unknown) => isConnectorError(e) && ['server', 'timeout', 'network', 'rate_limited', 'protocol'].includes(e.kind);

async function findByKey(ctx: Ctx, command: string, agentIds: string[], key: string): Promise<ActionDetails | undefined> {
  const list = await kibana(
    ctx,
    { method: 'GET', path: '/api/endpoint/action', query: { agentIds: agentIds.join(','), commands: command, pageSize: 100, page: 1 } },
    z.looseObject({ data: z.array(ActionDetails) }),
  );
  return list.data.find((a) => a.comment?.includes(keyTag(key)));
}

async function responseAction(ctx: Ctx, action: keyof typeof COMMAND, input: z.infer<typeof HostActionInput>, key: string): Promise<ActionOutcome> {
  const command = COMMAND[action];
  const comment = [input.comment, keyTag(key)].filter(Boolean).join(' ');
  const body = {
    endpoint_ids: input.endpointIds,
    comment,
    agent_type: 'endpoint',
    ...(input.alertIds?.length ? { alert_ids: input.alertIds } : {}),
    ...(input.caseIds?.length ? { case_ids: input.caseIds } : {}),
  };
  // A retry of the same intent (a crash after sending) finds the action it already created.
  const earlier = await findByKey(ctx, command, input.endpointIds, key);
  if (earlier) return outcome(earlier);
  let lastError: unknown;
  for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    // Sent with noRetry, so the HTTP client does not back off for us.
    if (attempt > 0) await abortableSleep(200 * 2 ** (attempt - 1), ctx.signal);
    try {
      const res = await kibana(ctx, { method: 'POST', path: `/api/endpoint/action/${command}`, json: body, noRetry: true }, z.looseObject({ data: ActionDetails }));
      return outcome(res.data);
    } catch (e) {
      if (!uncertain(e)) throw e;
      lastError = e;
      const created = await findByKey(ctx, command, input.endpointIds, key);
      if (created) return outcome(created);
    }
  }
  throw lastError;
}

function outcome(d: ActionDetails): ActionOutcome {
  const result = { actionId: d.id, command: d.command, agents: d.agents, status: d.status ?? (d.isCompleted ? (d.wasSuccessful ? 'successful' : 'failed') : 'pending'), ...(d.completedAt ? { completedAt: d.completedAt } : {}) };
  if (d.isCompleted) {
    if (d.wasSuccessful) return { status: 'done', result };
    return { status: 'failed', reason: d.errors?.length ? d.errors.join('; ') : `the ${d.command} action did not succeed on the agent`, result };
  }
  if (d.isExpired) return { status: 'failed', reason: `the ${d.command} action expired before the agent answered`, result };
  return { status: 'pending', poll: { actionId: d.id }, message: `${d.command} sent to ${d.agents.length} agent(s), waiting for the agent to answer` };
}

const Handle = z.object({ actionId: z.string().min(1) });

export async function pollAction(ctx: Ctx, action: string, handle: PollHandle): Promise<ActionOutcome> {
  if (action !== 'isolate-host' && action !== 'release-host') throw new ConnectorError('config', `action ${action} has nothing to poll`, { connector: ctx.name });
  const { actionId } = Handle.parse(handle);
  const res = await kibana(ctx, { method: 'GET', path: `/api/endpoint/action/${encodeURIComponent(actionId)}` }, z.looseObject({ data: ActionDetails }));
  return outcome(res.data);
}
