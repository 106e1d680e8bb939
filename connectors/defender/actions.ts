import { z } from 'zod';
import type { ActionOutcome, ActionSpec, ConnectorContext, HttpResponse, PollHandle } from '../sdk/index.js';
import { callJson } from './auth.js';
import { ConnectorError, defenderError, vendorSaid } from './errors.js';
import { graphActionSpecs, isGraphAction, runGraphAction } from './graph-actions.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

const MachineId = z.string().regex(/^[0-9a-f]{40}$/i, 'a Defender machine id is 40 hex characters');
const Comment = z.string().min(1).max(1000);

export const actionSpecs = {
  isolate: {
    name: 'isolate',
    summary: 'Isolate a machine from the network (Defender keeps its own connection)',
    input: z.object({ machineId: MachineId, comment: Comment, isolationType: z.enum(['Full', 'Selective']).default('Full') }),
    impact: { changes: 'cuts the machine off the network except for the Defender service', reversible: true, undo: 'unisolate', risk: 'high' },
  },
  unisolate: {
    name: 'unisolate',
    summary: 'Release a machine from isolation',
    input: z.object({ machineId: MachineId, comment: Comment }),
    impact: { changes: 'reconnects an isolated machine to the network', reversible: true, undo: 'isolate', risk: 'medium' },
  },
  run_av_scan: {
    name: 'run_av_scan',
    summary: 'Run a Microsoft Defender Antivirus scan on a machine',
    input: z.object({ machineId: MachineId, comment: Comment, scanType: z.enum(['Quick', 'Full']).default('Quick') }),
    impact: { changes: 'starts an antivirus scan on the machine (may quarantine files it detects)', reversible: false, risk: 'low' },
  },
  collect_investigation_package: {
    name: 'collect_investigation_package',
    summary: 'Collect an investigation package (forensic artefacts) from a machine',
    input: z.object({ machineId: MachineId, comment: Comment }),
    impact: { changes: 'collects forensic artefacts from the machine into the Defender portal', reversible: false, risk: 'low' },
  },
  machine_action_status: {
    name: 'machine_action_status',
    summary: 'Read a machine action (any, also one started in the portal)',
    input: z.object({ id: z.string().min(1) }),
    impact: { changes: 'nothing (read only)', reversible: false, risk: 'low' },
  },
  // Entra ID account actions, through Microsoft Graph with the same app registration (graph-actions.ts).
  ...graphActionSpecs,
} satisfies Record<string, ActionSpec>;

export type DefenderAction = keyof typeof actionSpecs;

/** Each machine action: its API path segment, its MachineAction `type`, and its body (keys are case-sensitive). */
const MACHINE_ACTIONS = {
  isolate: { segment: 'isolate', type: 'Isolate', body: (i: Record<string, unknown>) => ({ Comment: i['comment'], IsolationType: i['isolationType'] }) },
  unisolate: { segment: 'unisolate', type: 'Unisolate', body: (i: Record<string, unknown>) => ({ Comment: i['comment'] }) },
  run_av_scan: { segment: 'runAntiVirusScan', type: 'RunAntiVirusScan', body: (i: Record<string, unknown>) => ({ Comment: i['comment'], ScanType: i['scanType'] }) },
  collect_investigation_package: {
    segment: 'collectInvestigationPackage',
    type: 'CollectInvestigationPackage',
    body: (i: Record<string, unknown>) => ({ Comment: i['comment'] }),
  },
} as const;

const MachineAction = z
  .object({ id: z.string().min(1), type: z.string(), status: z.string(), machineId: z.string().nullable().optional(), requestorComment: z.string().nullable().optional() })
  .passthrough();
type MachineAction = z.infer<typeof MachineAction>;

/**
 * The idempotency key rides in the comment: the API takes no key of its own, and the comment is what the machine
 * action list returns, so a resent request can find the action its first attempt created.
 */
const tagged = (comment: string, key: string) => `${comment} [quell:${key}]`;

function outcomeOf(action: MachineAction): ActionOutcome {
  const result = { ...action } as Record<string, unknown>;
  delete result['@odata.context'];
  switch (action.status) {
    case 'Succeeded':
      return { status: 'done', result };
    case 'Pending':
    case 'InProgress':
      return { status: 'pending', poll: { machineActionId: action.id }, message: `${action.type} ${action.status} (machine action ${action.id})` };
    default:
      // Failed, TimeOut, Cancelled: the action ended without doing its work.
      return { status: 'failed', reason: `${action.type} ended ${action.status} (machine action ${action.id})`, result };
  }
}

function parseAction(ctx: Ctx, body: unknown, request: string): MachineAction {
  const parsed = MachineAction.safeParse(body);
  if (!parsed.success) throw new ConnectorError('protocol', 'the answer is not a MachineAction', { connector: ctx.name, request });
  return parsed.data;
}

/** The machine action an earlier attempt with this key created, if the service holds one. */
async function findByKey(ctx: Ctx, machineId: string, type: string, key: string): Promise<MachineAction | undefined> {
  const { body } = await callJson(ctx, {
    method: 'GET',
    path: '/api/machineactions',
    query: { $filter: `machineId eq '${machineId}' and type eq '${type}'`, $top: 100 },
  });
  const list = z.array(MachineAction).safeParse(body['value']);
  if (!list.success) throw new ConnectorError('protocol', 'the answer has no MachineAction list', { connector: ctx.name, request: 'GET /api/machineactions' });
  return list.data.find((a) => a.requestorComment?.includes(`[quell:${key}]`));
}

const retryable = (err: unknown) => err instanceof ConnectorError && ['server', 'timeout', 'network', 'rate_limited', 'protocol'].includes(err.kind);

async function startMachineAction(ctx: Ctx, name: keyof typeof MACHINE_ACTIONS, input: Record<string, unknown>, key: string): Promise<ActionOutcome> {
  const spec = MACHINE_ACTIONS[name];
  const machineId = String(input['machineId']);
  const path = `/api/machines/${machineId}/${spec.segment}`;
  const request = `POST ${path}`;
  const body = spec.body({ ...input, comment: tagged(String(input['comment']), key) });
  // Asked again with the same key (a retry after a crash, before the outcome was stored): never a second action.
  const existing = await findByKey(ctx, machineId, spec.type, key);
  if (existing) return outcomeOf(existing);
  for (let attempt = 1; ; attempt++) {
    let res: HttpResponse;
    try {
      // Sent once per attempt: a retry must first ask whether the previous attempt got through.
      res = await ctx.http.request({ method: 'POST', path, json: body, noRetry: true });
      if ((res.status === 201 || res.status === 200) && (res.body === null || typeof res.body !== 'object')) {
        throw new ConnectorError('protocol', 'the answer is not a MachineAction (cut off?)', { connector: ctx.name, request, status: res.status });
      }
      if (res.status === 429 || res.status >= 500) throw defenderError(ctx.name, request, res);
    } catch (err) {
      if (!retryable(err) || attempt >= 5 || ctx.signal.aborted) throw err;
      const earlier = await findByKey(ctx, machineId, spec.type, key);
      if (earlier) return outcomeOf(earlier);
      await new Promise((r) => setTimeout(r, Math.min(8_000, 250 * 2 ** attempt)));
      continue;
    }
    if (res.status === 201 || res.status === 200) return outcomeOf(parseAction(ctx, res.body, request));
    const said = vendorSaid(res);
    if (res.status === 400 && (said.code === 'ActiveRequestAlreadyExists' || /already in progress/i.test(said.message ?? ''))) {
      // Ours (a first attempt whose answer was lost) or someone else's pending action on the same machine.
      const earlier = await findByKey(ctx, machineId, spec.type, key);
      if (earlier) return outcomeOf(earlier);
      return { status: 'failed', reason: `Defender refused ${spec.type} on machine ${machineId}: ${said.message ?? said.code ?? `HTTP ${res.status}`}` };
    }
    if (res.status === 404) return { status: 'failed', reason: defenderError(ctx.name, request, res).message };
    throw defenderError(ctx.name, request, res);
  }
}

async function readMachineAction(ctx: Ctx, id: string): Promise<MachineAction> {
  const path = `/api/machineactions/${encodeURIComponent(id)}`;
  const { body } = await callJson(ctx, { method: 'GET', path });
  return parseAction(ctx, body, `GET ${path}`);
}

export async function runAction(ctx: Ctx, action: string, input: unknown, key: string): Promise<ActionOutcome> {
  if (!(action in actionSpecs)) throw new ConnectorError('config', `Defender has no action ${JSON.stringify(action)} (it has ${Object.keys(actionSpecs).join(', ')})`, { connector: ctx.name });
  const spec = actionSpecs[action as DefenderAction];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConnectorError('config', `${action}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, { connector: ctx.name });
  }
  if (isGraphAction(action)) return runGraphAction(ctx, action, parsed.data);
  if (action === 'machine_action_status') {
    const found = await readMachineAction(ctx, (parsed.data as { id: string }).id);
    return { status: 'done', result: { ...found } };
  }
  return startMachineAction(ctx, action as keyof typeof MACHINE_ACTIONS, parsed.data as Record<string, unknown>, key);
}

export async function pollAction(ctx: Ctx, action: string, handle: PollHandle): Promise<ActionOutcome> {
  const id = handle['machineActionId'];
  if (typeof id !== 'string') throw new ConnectorError('config', `${action}: the poll handle has no machineActionId`, { connector: ctx.name });
  return outcomeOf(await readMachineAction(ctx, id));
}
