import { bearerToken, type EmulatorContext, type EmulatorHooks, type EmulatorReply, type EmulatorRequest, type EmulatorRoute } from '../../sdk/index.js';
import type { Alert, Device } from './data.js';

export interface FalconCredentials {
  clientId: string;
  clientSecret: string;
}

const TOKEN_SECONDS = 1799;
const RATE_LIMIT = 6000;
const MAX_QUERY_LIMIT = 10_000;
const MAX_ENTITY_IDS = 1000;
/** Device reads (the sensor checking in) before a pending containment change takes effect. */
export const READS_TO_SETTLE = 2;
/** Status reads before an RTR command completes. */
export const POLLS_TO_COMPLETE = 2;

const RESPONDER_COMMANDS = new Set(['memdump', 'get', 'kill', 'cp', 'mv', 'rm', 'zip', 'mkdir', 'map', 'encrypt', 'restart', 'shutdown', 'reg', 'ls', 'ps', 'netstat', 'cd', 'cat', 'env', 'eventlog', 'filehash', 'getsid', 'ipconfig', 'mount', 'history']);

/** Nanosecond precision: padded to 9 fractional digits the ISO text orders like the instant it names. */
export function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/i.exec(t.trim());
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z` : t;
}

interface Command {
  cloudRequestId: string;
  sessionId: string;
  deviceId: string;
  baseCommand: string;
  commandString: string;
  polls: number;
}

type Clause = (a: Alert) => boolean;

/**
 * The Falcon API for the emulator server: OAuth2 tokens, the MSA envelope on every answer with X-CS-TRACEID and
 * X-RateLimit-* headers, alerts v2 (id query with FQL filter/sort/offset/limit, then entities), host containment
 * whose device status goes `*_pending` → settled over reads, and RTR sessions and Active Responder commands that
 * complete over status polls.
 */
export class FalconApi {
  readonly alerts: Alert[];
  readonly devices: Map<string, Device>;
  readonly sessions = new Map<string, string>();
  readonly commands = new Map<string, Command>();
  private readonly tokens = new Map<string, number>();
  private window = { minute: 0, used: 0 };
  private traces = 0;

  constructor(alerts: Alert[], devices: Device[], readonly credentials: FalconCredentials) {
    this.alerts = alerts;
    this.devices = new Map(devices.map((d) => [d.device_id, d]));
  }

  /** The MSA envelope with the headers every Falcon answer carries. */
  envelope(status: number, resources: unknown[] | null, errors: { code: number; message: string; id?: string }[] = [], meta: Record<string, unknown> = {}): EmulatorReply {
    const traceId = `emu-trace-${++this.traces}`;
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.window.minute) this.window = { minute, used: 0 };
    this.window.used++;
    const json: Record<string, unknown> = { meta: { query_time: 0.0042, powered_by: 'emulator', trace_id: traceId, ...meta }, errors };
    if (resources !== null) json['resources'] = resources;
    return {
      status,
      json,
      headers: { 'x-cs-traceid': traceId, 'x-ratelimit-limit': String(RATE_LIMIT), 'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - this.window.used)) },
    };
  }

  private fail(status: number, message: string): EmulatorReply {
    return this.envelope(status, null, [{ code: status, message }]);
  }

  readonly hooks: EmulatorHooks = {
    error: (status, message) => this.fail(status, message),
    // No standard Retry-After: X-RateLimit-RetryAfter is the epoch second at which to try again.
    rateLimited: (seconds, nowMs) => {
      const reply = this.fail(429, 'API rate limit exceeded.');
      return { ...reply, headers: { ...reply.headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-retryafter': String(Math.ceil(nowMs / 1000) + seconds) } };
    },
    authenticate: (req) => {
      const token = bearerToken(req.headers['authorization']);
      const expires = token ? this.tokens.get(token) : undefined;
      if (expires !== undefined && expires > Date.now()) return null;
      return this.fail(401, token ? 'access denied, invalid bearer token' : 'access denied, authorization failed');
    },
    expireToken: (req) => {
      const token = bearerToken(req.headers['authorization']);
      if (token) this.tokens.delete(token);
    },
  };

  routes(): EmulatorRoute[] {
    return [
      { method: 'POST', path: '/oauth2/token', auth: 'token', handle: (req, ctx) => this.issueToken(req, ctx) },
      { method: 'POST', path: '/oauth2/revoke', auth: 'token', handle: (req) => this.revoke(req) },
      { method: 'GET', path: '/alerts/queries/alerts/v2', handle: (req) => this.queryAlerts(req) },
      { method: 'POST', path: '/alerts/entities/alerts/v2', handle: (req) => this.alertEntities(req) },
      { method: 'POST', path: '/devices/entities/devices-actions/v2', handle: (req, ctx) => this.deviceAction(req, ctx) },
      { method: 'GET', path: '/devices/entities/devices/v2', handle: (req) => this.deviceDetails(req) },
      { method: 'POST', path: '/real-time-response/entities/sessions/v1', handle: (req, ctx) => this.openSession(req, ctx) },
      { method: 'POST', path: '/real-time-response/entities/active-responder-command/v1', handle: (req, ctx) => this.runCommand(req, ctx) },
      { method: 'GET', path: '/real-time-response/entities/active-responder-command/v1', handle: (req) => this.commandStatus(req) },
    ];
  }

  private issueToken(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (form['client_id'] !== this.credentials.clientId || form['client_secret'] !== this.credentials.clientSecret) {
      return this.fail(401, 'access denied, invalid client credentials');
    }
    const token = `${ctx.rng.hex(8)}.${ctx.rng.hex(32)}.${ctx.rng.hex(16)}`;
    this.tokens.set(token, Date.now() + TOKEN_SECONDS * 1000);
    // The token reply is plain JSON, not an envelope; the region header is what SDKs use for cloud discovery.
    return { status: 201, json: { access_token: token, token_type: 'bearer', expires_in: TOKEN_SECONDS }, headers: { 'x-cs-region': 'us-1', 'x-cs-traceid': ctx.rng.uuid() } };
  }

  private revoke(req: EmulatorRequest): EmulatorReply {
    const token = String((req.body as Record<string, unknown> | undefined)?.['token'] ?? '');
    this.tokens.delete(token);
    return this.envelope(200, []);
  }

  /** A subset of FQL: `field:value`, `field:'value'`, `field:>=value` … joined by `+` (AND), one level of (…). */
  private parseFilter(filter: string): Clause[] | string {
    const clauses: Clause[] = [];
    const flat = filter.replace(/[()]/g, '');
    for (const part of flat.split('+')) {
      const m = /^\s*([a-z_.]+):(>=|<=|>|<|!)?'?([^']*)'?\s*$/.exec(part);
      if (!m) return `Invalid filter: cannot parse '${part}'`;
      const [, field, op = '', value] = m;
      const read = (a: Alert) => (field!.includes('.') ? field!.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), a) : a[field!]);
      if (field!.endsWith('timestamp')) {
        const bound = timeKey(value!);
        clauses.push((a) => {
          const k = timeKey(String(read(a) ?? ''));
          return op === '>=' ? k >= bound : op === '>' ? k > bound : op === '<=' ? k <= bound : op === '<' ? k < bound : op === '!' ? k !== bound : k === bound;
        });
      } else if (/^-?\d+$/.test(value!) && op && op !== '!') {
        const n = Number(value);
        clauses.push((a) => {
          const v = Number(read(a));
          return op === '>=' ? v >= n : op === '>' ? v > n : op === '<=' ? v <= n : v < n;
        });
      } else {
        clauses.push((a) => (op === '!' ? String(read(a)) !== value : String(read(a)) === value));
      }
    }
    return clauses;
  }

  private queryAlerts(req: EmulatorRequest): EmulatorReply {
    const q = req.query;
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    const offset = q.has('offset') ? Number(q.get('offset')) : 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) return this.fail(400, `limit must be between 1 and ${MAX_QUERY_LIMIT}`);
    if (!Number.isInteger(offset) || offset < 0) return this.fail(400, 'offset must be a non-negative integer');
    const clauses = q.get('filter') ? this.parseFilter(q.get('filter')!) : [];
    if (typeof clauses === 'string') return this.fail(400, clauses);
    const sort = q.get('sort') ?? 'created_timestamp|desc';
    const sm = /^(created_timestamp|updated_timestamp|timestamp|severity)\|(asc|desc)$/.exec(sort);
    if (!sm) return this.fail(400, `Invalid sort: '${sort}'`);
    const [, field, dir] = sm;
    const key = (a: Alert) => (field === 'severity' ? String(a['severity']).padStart(3, '0') : timeKey(String(a[field!] ?? '')));
    const matching = this.alerts.filter((a) => clauses.every((c) => c(a)));
    // Ties broken by composite id, so paging is stable.
    matching.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const order = ka < kb ? -1 : ka > kb ? 1 : a.composite_id < b.composite_id ? -1 : a.composite_id > b.composite_id ? 1 : 0;
      return dir === 'asc' ? order : -order;
    });
    const page = matching.slice(offset, offset + limit).map((a) => a.composite_id);
    return this.envelope(200, page, [], { powered_by: 'detectsapi', pagination: { offset, limit, total: matching.length } });
  }

  private alertEntities(req: EmulatorRequest): EmulatorReply {
    const ids = (req.body as Record<string, unknown> | undefined)?.['composite_ids'];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) return this.fail(400, 'composite_ids must be a list of strings');
    if (ids.length > MAX_ENTITY_IDS) return this.fail(400, `at most ${MAX_ENTITY_IDS} composite_ids per request`);
    const byId = new Map(this.alerts.map((a) => [a.composite_id, a]));
    const found = (ids as string[]).map((id) => byId.get(id)).filter((a): a is Alert => a !== undefined);
    return { ...this.envelope(200, found, [], { powered_by: 'detectsapi' }), served: found.map((a) => a.composite_id) };
  }

  private deviceAction(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const action = req.query.get('action_name') ?? '';
    ctx.recordAction(action || 'devices-actions');
    const transitions: Record<string, { from: string; pending: string }> = {
      contain: { from: 'normal', pending: 'containment_pending' },
      lift_containment: { from: 'contained', pending: 'lift_containment_pending' },
    };
    if (!['contain', 'lift_containment', 'hide_host', 'unhide_host'].includes(action)) return this.fail(400, `Invalid action_name '${action}'`);
    const ids = (req.body as Record<string, unknown> | undefined)?.['ids'];
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) return this.fail(400, 'ids must be a non-empty list of device ids');
    const errors: { code: number; message: string; id: string }[] = [];
    const resources: { id: string; path: string }[] = [];
    for (const id of ids as string[]) {
      const device = this.devices.get(id);
      if (!device) {
        errors.push({ code: 404, message: `Device ${id} not found`, id });
        continue;
      }
      const t = transitions[action];
      if (t && device.status !== t.from) {
        errors.push({ code: 409, message: `Device ${id} is ${device.status}; cannot ${action}`, id });
        continue;
      }
      if (t) {
        device.status = t.pending;
        device.reads = 0;
      }
      resources.push({ id, path: `/devices/entities/devices/v2?ids=${id}` });
    }
    if (!resources.length) return this.envelope(errors[0]!.code, [], errors);
    return this.envelope(202, resources, errors, { writes: { resources_affected: resources.length } });
  }

  /** Reading a device is the sensor checking in: a pending containment change settles after a few reads. */
  private deviceDetails(req: EmulatorRequest): EmulatorReply {
    const ids = req.query.getAll('ids');
    if (!ids.length) return this.fail(400, 'ids is required');
    const out: Record<string, unknown>[] = [];
    for (const id of ids) {
      const device = this.devices.get(id);
      if (!device) continue;
      if (device.status.endsWith('_pending') && ++device.reads >= READS_TO_SETTLE) {
        device.status = device.status === 'containment_pending' ? 'contained' : 'normal';
      }
      const { reads: _, ...view } = device;
      out.push(view);
    }
    return this.envelope(200, out);
  }

  private openSession(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    ctx.recordAction('rtr_session');
    const deviceId = (req.body as Record<string, unknown> | undefined)?.['device_id'];
    if (typeof deviceId !== 'string' || !this.devices.has(deviceId)) return this.fail(404, `Could not find device ${String(deviceId)}`);
    const sessionId = ctx.rng.uuid();
    this.sessions.set(sessionId, deviceId);
    return this.envelope(201, [{ session_id: sessionId, scripts: [], existing_aid_sessions: 1, created_at: ctx.now().toISOString(), pwd: 'C:\\', offline_queued: false }]);
  }

  private runCommand(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const base = String(body['base_command'] ?? '');
    ctx.recordAction(base || 'rtr_command');
    const sessionId = String(body['session_id'] ?? '');
    const deviceId = this.sessions.get(sessionId);
    if (!deviceId) return this.fail(404, `Session ${sessionId} not found or expired`);
    if (body['device_id'] !== undefined && body['device_id'] !== deviceId) return this.fail(400, 'device_id does not match the session');
    if (!RESPONDER_COMMANDS.has(base)) return this.fail(400, `'${base}' is not an Active Responder command`);
    const commandString = String(body['command_string'] ?? '');
    if (!commandString.startsWith(base)) return this.fail(400, 'command_string must start with base_command');
    const cloudRequestId = ctx.rng.uuid();
    this.commands.set(cloudRequestId, { cloudRequestId, sessionId, deviceId, baseCommand: base, commandString, polls: 0 });
    return this.envelope(201, [{ session_id: sessionId, cloud_request_id: cloudRequestId, queued_command_offline: false }]);
  }

  private commandStatus(req: EmulatorRequest): EmulatorReply {
    const id = req.query.get('cloud_request_id') ?? '';
    const command = this.commands.get(id);
    if (!command) return this.fail(404, `cloud_request_id ${id} not found`);
    const complete = ++command.polls >= POLLS_TO_COMPLETE;
    const m = /^memdump\s+(\d+)\s+"?([^"]+)"?$/.exec(command.commandString);
    const stdout = complete ? (command.baseCommand === 'memdump' && m ? `Process ${m[1]} memory dumped to ${m[2]}` : `${command.baseCommand} completed`) : '';
    return this.envelope(200, [{ session_id: command.sessionId, task_id: command.cloudRequestId, complete, stdout, stderr: '', base_command: command.baseCommand, sequence_id: 0 }]);
  }
}
