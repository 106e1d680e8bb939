import { z } from 'zod';
import type { ActionOutcome, ActionSpec, ConnectorContext, HttpResponse, PollHandle } from '../sdk/index.js';
import { callEnvelope } from './auth.js';
import { ConnectorError, envelopeErrors, falconError } from './errors.js';
import type { CrowdStrikeSettings } from './settings.js';

type Ctx = ConnectorContext<CrowdStrikeSettings>;

const DeviceId = z.string().regex(/^[0-9a-f]{32}$/i, 'a Falcon device (agent) id is 32 hex characters');

export const actionSpecs = {
  contain: {
    name: 'contain',
    summary: 'Network-contain a host (the sensor keeps talking to the Falcon cloud)',
    input: z.object({ deviceId: DeviceId }),
    impact: { changes: 'cuts the host off the network except for the Falcon cloud', reversible: true, undo: 'lift_containment', risk: 'high' },
  },
  lift_containment: {
    name: 'lift_containment',
    summary: 'Lift network containment from a host',
    input: z.object({ deviceId: DeviceId }),
    impact: { changes: 'reconnects a contained host to the network', reversible: true, undo: 'contain', risk: 'medium' },
  },
  memory_dump: {
    name: 'memory_dump',
    summary: 'Dump a process\'s memory on a host through Real Time Response (session, memdump, status)',
    input: z.object({
      deviceId: DeviceId,
      pid: z.number().int().positive(),
      /** Where the sensor writes the dump on the host. */
      path: z.string().min(1).regex(/^[^"\r\n]+$/, 'a path without quotes or line breaks').optional(),
    }),
    impact: { changes: 'writes a memory dump of the process to the host\'s disk', reversible: false, risk: 'medium' },
  },
} satisfies Record<string, ActionSpec>;

export type CrowdStrikeAction = keyof typeof actionSpecs;

/** Device `status` during and after each containment action. */
const CONTAINMENT = {
  contain: { pending: 'containment_pending', done: 'contained' },
  lift_containment: { pending: 'lift_containment_pending', done: 'normal' },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const firstResource = (body: unknown): Record<string, unknown> | undefined => {
  const list = isObject(body) && Array.isArray(body['resources']) ? body['resources'] : [];
  return isObject(list[0]) ? list[0] : undefined;
};

/** The device's `status`, or null when Falcon does not know the device. */
async function deviceStatus(ctx: Ctx, deviceId: string): Promise<string | null> {
  const { body } = await callEnvelope(ctx, { method: 'GET', path: '/devices/entities/devices/v2', query: { ids: deviceId } });
  const device = firstResource(body);
  return device ? String(device['status'] ?? 'unknown') : null;
}

function containmentOutcome(action: keyof typeof CONTAINMENT, deviceId: string, status: string | null): ActionOutcome | null {
  if (status === null) return { status: 'failed', reason: `CrowdStrike knows no device ${deviceId}` };
  const want = CONTAINMENT[action];
  if (status === want.done) return { status: 'done', result: { deviceId, status } };
  if (status === want.pending) return { status: 'pending', poll: { deviceId, want: want.done }, message: `device ${deviceId} is ${status}` };
  return null;
}

const retryable = (err: unknown) => err instanceof ConnectorError && ['server', 'timeout', 'network', 'rate_limited', 'protocol'].includes(err.kind);
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(8_000, 250 * 2 ** attempt)));

/**
 * `POST /devices/entities/devices-actions/v2?action_name=…`. The API takes no idempotency key, but containment is a
 * state: before sending again after a lost answer, the device's status says whether the first attempt got there.
 */
async function containment(ctx: Ctx, action: keyof typeof CONTAINMENT, deviceId: string): Promise<ActionOutcome> {
  const request = `POST /devices/entities/devices-actions/v2?action_name=${action}`;
  // Containment is a state: a host already there (or on its way) needs no second request.
  const already = containmentOutcome(action, deviceId, await deviceStatus(ctx, deviceId));
  if (already) return already;
  for (let attempt = 1; ; attempt++) {
    let res: HttpResponse;
    try {
      res = await ctx.http.request({ method: 'POST', path: '/devices/entities/devices-actions/v2', query: { action_name: action }, json: { ids: [deviceId] }, noRetry: true });
      if (res.status === 429 || res.status >= 500) throw falconError(ctx.name, request, res);
      if (res.status === 202 && !isObject(res.body)) throw new ConnectorError('protocol', 'the answer is not an envelope (cut off?)', { connector: ctx.name, request, status: res.status });
    } catch (err) {
      if (!retryable(err) || attempt >= 5 || ctx.signal.aborted) throw err;
      const reached = containmentOutcome(action, deviceId, await deviceStatus(ctx, deviceId));
      if (reached) return reached;
      await pause(attempt);
      continue;
    }
    if (res.status === 202 || res.status === 200) {
      const errors = envelopeErrors(res.body);
      if (errors) return { status: 'failed', reason: `CrowdStrike refused ${action} on ${deviceId}: ${errors.message}` };
      return { status: 'pending', poll: { deviceId, want: CONTAINMENT[action].done }, message: `${action} accepted for device ${deviceId}` };
    }
    if (res.status === 409) {
      // Already pending or already there (ours, a lost first answer, or someone else's): the status tells.
      const reached = containmentOutcome(action, deviceId, await deviceStatus(ctx, deviceId));
      if (reached) return reached;
    }
    if (res.status === 400 || res.status === 404 || res.status === 409) return { status: 'failed', reason: falconError(ctx.name, request, res).message };
    throw falconError(ctx.name, request, res);
  }
}

/** RTR, step 1: a session with the host (POST /real-time-response/entities/sessions/v1). */
async function openSession(ctx: Ctx, deviceId: string): Promise<string> {
  const { body } = await callEnvelope(
    ctx,
    { method: 'POST', path: '/real-time-response/entities/sessions/v1', json: { device_id: deviceId, origin: 'quell', queue_offline: false } },
    [200, 201],
  );
  const session = firstResource(body)?.['session_id'];
  if (typeof session !== 'string') throw new ConnectorError('protocol', 'no session_id in the answer', { connector: ctx.name, request: 'POST /real-time-response/entities/sessions/v1' });
  return session;
}

const COMMAND_PATH = '/real-time-response/entities/active-responder-command/v1';

/**
 * RTR memory dump: open a session, send `memdump <pid> <path>` (an Active Responder command), then poll the
 * command's status until it is complete. Sent once: a lost answer is reported, not resent, since a second dump
 * on the host is a second change.
 */
async function memoryDump(ctx: Ctx, input: { deviceId: string; pid: number; path?: string | undefined }): Promise<ActionOutcome> {
  const sessionId = await openSession(ctx, input.deviceId);
  const file = input.path ?? `C:\\Windows\\Temp\\quell-${input.pid}.dmp`;
  const commandString = `memdump ${input.pid} "${file}"`;
  const res = await ctx.http.request({
    method: 'POST',
    path: COMMAND_PATH,
    json: { base_command: 'memdump', command_string: commandString, device_id: input.deviceId, session_id: sessionId, persist: true },
    noRetry: true,
  });
  if (res.status !== 201 && res.status !== 200) return { status: 'failed', reason: falconError(ctx.name, `POST ${COMMAND_PATH}`, res).message };
  const errors = envelopeErrors(res.body);
  if (errors) return { status: 'failed', reason: `CrowdStrike refused memdump on ${input.deviceId}: ${errors.message}` };
  const cloudRequestId = firstResource(res.body)?.['cloud_request_id'];
  if (typeof cloudRequestId !== 'string') throw new ConnectorError('protocol', 'no cloud_request_id in the answer', { connector: ctx.name, request: `POST ${COMMAND_PATH}` });
  return { status: 'pending', poll: { cloudRequestId, sessionId, deviceId: input.deviceId, file }, message: `memdump of pid ${input.pid} queued (request ${cloudRequestId})` };
}

async function pollMemoryDump(ctx: Ctx, handle: PollHandle): Promise<ActionOutcome> {
  const cloudRequestId = handle['cloudRequestId'];
  if (typeof cloudRequestId !== 'string') throw new ConnectorError('config', 'memory_dump: the poll handle has no cloudRequestId', { connector: ctx.name });
  const { body } = await callEnvelope(ctx, { method: 'GET', path: COMMAND_PATH, query: { cloud_request_id: cloudRequestId, sequence_id: 0 } });
  const status = firstResource(body);
  if (!status) throw new ConnectorError('protocol', `no command status for ${cloudRequestId}`, { connector: ctx.name, request: `GET ${COMMAND_PATH}` });
  if (status['complete'] !== true) return { status: 'pending', poll: handle, message: `memdump running (request ${cloudRequestId})` };
  const stderr = typeof status['stderr'] === 'string' ? status['stderr'].trim() : '';
  const result = { ...handle, stdout: status['stdout'] ?? '', stderr };
  return stderr ? { status: 'failed', reason: `memdump failed on the host: ${stderr}`, result } : { status: 'done', result };
}

export async function runAction(ctx: Ctx, action: string, input: unknown, _key: string): Promise<ActionOutcome> {
  if (!(action in actionSpecs)) throw new ConnectorError('config', `CrowdStrike has no action ${JSON.stringify(action)} (it has ${Object.keys(actionSpecs).join(', ')})`, { connector: ctx.name });
  const parsed = actionSpecs[action as CrowdStrikeAction].input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConnectorError('config', `${action}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, { connector: ctx.name });
  }
  if (action === 'memory_dump') return memoryDump(ctx, parsed.data as { deviceId: string; pid: number; path?: string });
  return containment(ctx, action as keyof typeof CONTAINMENT, (parsed.data as { deviceId: string }).deviceId);
}

export async function pollAction(ctx: Ctx, action: string, handle: PollHandle): Promise<ActionOutcome> {
  if (action === 'memory_dump') return pollMemoryDump(ctx, handle);
  if (action !== 'contain' && action !== 'lift_containment') throw new ConnectorError('config', `CrowdStrike has no action ${JSON.stringify(action)} to poll`, { connector: ctx.name });
  const deviceId = handle['deviceId'];
  if (typeof deviceId !== 'string') throw new ConnectorError('config', `${action}: the poll handle has no deviceId`, { connector: ctx.name });
  const status = await deviceStatus(ctx, deviceId);
  return containmentOutcome(action, deviceId, status) ?? { status: 'failed', reason: `device ${deviceId} is ${String(status)}, not ${CONTAINMENT[action].pending} or ${CONTAINMENT[action].done}` };
}
