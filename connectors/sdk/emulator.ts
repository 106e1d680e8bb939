// The shared part of every vendor emulator: a loopback HTTP server with seeded fault injection, JSON body parsing,
// action recording and the served-alerts ledger the tests compare against. A vendor supplies its routes (with
// its own auth checks, envelopes and paging) and a few hooks that give the vendor's error shapes.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorOptions, FaultKind, FaultSpec, RecordedAction, RunningEmulator } from './emulator-contract.js';
import { FAULT_KINDS } from './faults.js';
import { createRng, type Rng } from './rng.js';

export interface EmulatorRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or the fields of a form body, or undefined for an empty body. */
  body: unknown;
  /** Named groups of a RegExp route path (`/machines/(?<id>[^/]+)/isolate`). */
  params: Record<string, string>;
}

export interface EmulatorReply {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Alert ids this reply carries; counted as served only if the reply is sent whole. */
  served?: readonly string[];
}

export interface EmulatorContext {
  /** Seeded (from `seed`), for handlers that need randomness (action ids). */
  rng: Rng;
  now(): Date;
  /** Records the current request as an action the vendor received (Authorization redacted). */
  recordAction(action: string): void;
}

export interface EmulatorRoute {
  method: string | readonly string[];
  /** An exact path, or a RegExp tested against the whole path (anchor it). */
  path: string | RegExp;
  /**
   * `token`: a token or login endpoint — never faulted, not passed to `authenticate`. `public`: not authenticated
   * (a version probe) but may be faulted. Absent: authenticated with `hooks.authenticate`.
   */
  auth?: 'token' | 'public';
  handle(req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply | Promise<EmulatorReply>;
}

export interface EmulatorHooks {
  /** The vendor's body for an error status: injected 500/503, unknown route 404, bad JSON 400. */
  error(status: number, message: string): EmulatorReply;
  /** The vendor's 429 with its rate-limit headers. Default: `error(429, …)` with `Retry-After: <seconds>`. */
  rateLimited?(retryAfterSeconds: number, nowMs: number): EmulatorReply;
  /** Null when the request carries valid credentials, else the vendor's 401 (or 403) reply. */
  authenticate?(req: EmulatorRequest): EmulatorReply | null;
  /** Invalidates the token this request carries so it is answered 401. Absent: `expire` is never injected. */
  expireToken?(req: EmulatorRequest): void;
}

export interface EmulatorServerDef {
  vendor: string;
  routes: readonly EmulatorRoute[];
  hooks: EmulatorHooks;
  /** Connector settings that reach this emulator at `url` (its own test credentials included). */
  settings(url: string): Record<string, unknown>;
  /** Every alert id the emulator holds, in stream order. */
  alertIds(): string[];
}

export interface StartedEmulator extends RunningEmulator {
  port: number;
  /** Requests received, faulted or not. */
  requests(): number;
}

const MAX_BODY = 16 * 1024 * 1024;
export const DEFAULT_SLOW_MS = 35_000;
const REDACT_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

/** Starts a vendor emulator on 127.0.0.1. */
export async function startEmulatorServer(def: EmulatorServerDef, options: EmulatorOptions = {}): Promise<StartedEmulator> {
  const seed = options.seed ?? 1;
  const faultRng = createRng(seed ^ 0x5eed);
  const handlerRng = createRng(seed + 1);
  const faults: readonly FaultSpec[] = options.faults ?? [];
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const served: string[] = [];
  const actions: RecordedAction[] = [];
  const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let requestCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const rateLimited = (nowMs: number): EmulatorReply => {
    if (def.hooks.rateLimited) return def.hooks.rateLimited(retryAfterSeconds, nowMs);
    const r = def.hooks.error(429, 'Too many requests');
    return { ...r, status: 429, headers: { ...(r.headers ?? {}), 'retry-after': String(retryAfterSeconds) } };
  };

  const pickFault = (): FaultKind | null => {
    if (faults.length === 0) return null;
    const r = faultRng.next();
    let acc = 0;
    for (const f of faults) {
      acc += f.rate;
      if (r < acc) return f.kind;
    }
    return null;
  };

  const hold = (ms: number, res: http.ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.socket?.destroyed && !res.destroyed);
      }, ms);
      timers.add(timer);
      res.on('close', () => {
        if (timers.delete(timer)) {
          clearTimeout(timer);
          resolve(false);
        }
      });
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    requestCount++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const request: EmulatorRequest = { method, path: url.pathname, query: url.searchParams, headers, text, body: undefined, params: {} };

    let route: EmulatorRoute | undefined;
    for (const r of def.routes) {
      const methods = typeof r.method === 'string' ? [r.method] : r.method;
      if (!methods.includes(method)) continue;
      if (typeof r.path === 'string') {
        if (r.path === url.pathname) route = r;
      } else {
        const m = r.path.exec(url.pathname);
        if (m) {
          route = r;
          request.params = { ...(m.groups ?? {}) };
        }
      }
      if (route) break;
    }
    if (!route) return send(res, def.hooks.error(404, `no route for ${method} ${url.pathname}`), false);

    let truncate = false;
    if (route.auth !== 'token') {
      let fault = pickFault();
      if (fault === 'expire' && !def.hooks.expireToken) fault = null;
      if (fault) injected[fault]++;
      switch (fault) {
        case '429':
          return send(res, rateLimited(Date.now()), false);
        case '500':
        case '503':
          return send(res, { ...def.hooks.error(Number(fault), fault === '500' ? 'Internal server error (injected)' : 'Service unavailable (injected)'), status: Number(fault) }, false);
        case 'slow':
          // Held past the client's timeout; a client that gave up is not answered (and nothing is done for it).
          if (!(await hold(slowMs, res))) return;
          break;
        case 'truncate':
          truncate = true;
          break;
        case 'expire':
          def.hooks.expireToken!(request);
          break;
        case null:
          break;
      }
    }

    if (text.trim() !== '') {
      const type = headers['content-type'] ?? '';
      if (/application\/x-www-form-urlencoded/i.test(type)) {
        request.body = Object.fromEntries(new URLSearchParams(text));
      } else if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
        try {
          request.body = JSON.parse(text);
        } catch (e) {
          return send(res, { ...def.hooks.error(400, `request body is not valid JSON: ${(e as Error).message}`), status: 400 }, false);
        }
      } else request.body = text;
    }

    if (route.auth === undefined && def.hooks.authenticate) {
      const denied = def.hooks.authenticate(request);
      if (denied) return send(res, denied, false);
    }

    const ctx: EmulatorContext = {
      rng: handlerRng,
      now: () => new Date(),
      recordAction: (action) => {
        const recorded: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) recorded[k] = REDACT_HEADERS.has(k) ? '<redacted>' : v;
        actions.push({ action, method, path: url.pathname + url.search, headers: recorded, body: request.body ?? null, at: new Date().toISOString() });
      },
    };
    let reply: EmulatorReply;
    try {
      reply = await route.handle(request, ctx);
    } catch (e) {
      reply = { ...def.hooks.error(500, `emulator error: ${(e as Error).message}`), status: 500 };
    }
    send(res, reply, truncate);
  }

  function send(res: http.ServerResponse, reply: EmulatorReply, truncate: boolean): void {
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let body: Buffer;
    if (reply.json !== undefined) {
      body = Buffer.from(JSON.stringify(reply.json), 'utf8');
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    } else body = Buffer.from(reply.text ?? '', 'utf8');
    // A cut-off body that is a complete HTTP message: only the JSON is broken, as behind a proxy that gave up.
    if (truncate && body.length > 1) body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    headers['content-length'] = String(body.length);
    const ids = !truncate && status >= 200 && status < 300 ? reply.served : undefined;
    if (ids && ids.length) res.on('finish', () => served.push(...ids));
    res.writeHead(status, headers);
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        send(res, { ...def.hooks.error(413, 'request body too large'), status: 413 }, false);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return;
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
        if (!res.headersSent) send(res, { ...def.hooks.error(500, `emulator error: ${(e as Error).message}`), status: 500 }, false);
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    vendor: def.vendor,
    url,
    port,
    settings: def.settings(url),
    served: () => served.slice(),
    alertIds: () => def.alertIds(),
    actions: () => actions.slice(),
    faultsInjected: () => ({ ...injected }),
    requests: () => requestCount,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** `Basic base64(user:password)` → [user, password], or null. For emulators checking basic auth. */
export function parseBasicAuth(header: string | undefined): [string, string] | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? null : [decoded.slice(0, i), decoded.slice(i + 1)];
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}
