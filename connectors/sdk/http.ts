// The HTTP client every connector receives (contract `HttpClient`), on node:http/node:https only.
//
// It retries what a person would retry by hand — 429 (after the wait the vendor asked for), any 5xx, timeouts,
// dropped connections, a 2xx whose JSON was cut off — with exponential backoff and full jitter, and gives up with
// a `ConnectorError` that names the request. Other 4xx are returned: the connector reads the vendor's error body.
// A 401 gets one second chance after `onUnauthorized` (an OAuth2 token that expired mid-pull).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { AuthorizeRequest, HttpClient, HttpRequest, HttpResponse } from './contract.js';
import { ConnectorError } from './errors.js';

/** One attempt, for journals and progress: no headers, no bodies, no query string. */
export interface RequestLog {
  method: string;
  /** Which base (`url`, `esUrl`), or `absolute` for a same-origin absolute URL. */
  base: string;
  path: string;
  /** HTTP status, or null when no answer came (timeout, dropped connection). */
  status: number | null;
  /** What went wrong with this attempt, if anything. */
  error: string | null;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Set when another attempt follows after this wait. */
  retryInMs: number | null;
}

export interface HttpClientOptions {
  /** Named base URLs; `url` is the default. */
  bases: Record<string, string>;
  /** Who is calling, for error messages (the configured connector name). */
  connector?: string;
  /** Per attempt, from sending to the last byte of the body. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request including the first. Default 5. */
  maxAttempts?: number;
  /** Backoff: attempt n waits a uniformly random time in [0, min(maxMs, baseMs·2^(n-1))). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** A Retry-After longer than this is not waited for: the request fails as rate_limited. Default 120 s. */
  maxRetryAfterMs?: number;
  tls?: { ca?: string; caFile?: string; allowSelfSigned?: boolean };
  /** Sent on every request; per-request headers win. */
  headers?: Record<string, string>;
  authorize?: (req: AuthorizeRequest) => Promise<void>;
  onUnauthorized?: () => Promise<void>;
  onRequest?: (log: RequestLog) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Epoch ms, for Retry-After dates and rate-limit reset times. */
  now?: () => number;
}

export interface ClosableHttpClient extends HttpClient {
  /** Closes kept-alive sockets. */
  close(): void;
}

const DEFAULTS = { timeoutMs: 30_000, maxAttempts: 5, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 120_000 };

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** A URL for messages: no credentials, no query. */
export function displayUrl(u: URL | string): string {
  const url = typeof u === 'string' ? new URL(u) : u;
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

interface Attempt {
  status: number | null;
  response?: HttpResponse;
  /** Why this attempt failed when no usable answer came; `config` failures are not retried. */
  failure?: { kind: 'timeout' | 'network' | 'protocol' | 'config'; reason: string; cause?: unknown };
}

const TLS_TRUST_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function createHttpClient(options: HttpClientOptions): ClosableHttpClient {
  const bases = new Map<string, URL>();
  for (const [name, value] of Object.entries(options.bases)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConnectorError('config', `setting ${name} is not a URL`, connectorOpt(options));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConnectorError('config', `setting ${name} must be an http:// or https:// URL, not ${url.protocol}`, connectorOpt(options));
    }
    bases.set(name, url);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts);
  const baseMs = options.backoff?.baseMs ?? DEFAULTS.baseMs;
  const maxMs = options.backoff?.maxMs ?? DEFAULTS.maxMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  let ca: string | undefined = options.tls?.ca;
  if (ca === undefined && options.tls?.caFile) {
    try {
      ca = fs.readFileSync(options.tls.caFile, 'utf8');
    } catch (e) {
      throw new ConnectorError('config', `cannot read the CA file ${options.tls.caFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, connectorOpt(options));
    }
  }
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets: 8,
    ...(ca !== undefined ? { ca } : {}),
    rejectUnauthorized: options.tls?.allowSelfSigned !== true,
  });

  function resolveUrl(req: HttpRequest): { url: URL; base: string } {
    let url: URL;
    let base: string;
    if (/^https?:\/\//i.test(req.path)) {
      url = new URL(req.path);
      const match = [...bases.entries()].find(([, b]) => b.origin === url.origin);
      if (!match) {
        const known = [...bases.entries()].map(([n, b]) => `${n} ${b.origin}`).join(', ');
        throw new ConnectorError(
          'config',
          `refusing to follow ${displayUrl(url)}: its origin ${url.origin} is not one of the configured base URLs (${known})`,
          { ...connectorOpt(options), request: `${req.method} ${url.pathname}` },
        );
      }
      base = 'absolute';
    } else {
      base = req.base ?? 'url';
      const b = bases.get(base);
      if (!b) {
        throw new ConnectorError('config', `no base URL named ${base} (configured: ${[...bases.keys()].join(', ') || 'none'})`, {
          ...connectorOpt(options),
          request: `${req.method} ${req.path.split('?')[0]}`,
        });
      }
      // The base's own path is a prefix (`https://host/kibana` + `/api/…`).
      const prefix = b.pathname.replace(/\/+$/, '');
      const rel = req.path.startsWith('/') ? req.path : `/${req.path}`;
      url = new URL(`${b.origin}${prefix}${rel}`);
    }
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
    return { url, base };
  }

  function once(req: HttpRequest, url: URL, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Attempt> {
    return new Promise((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const agent = url.protocol === 'https:' ? httpsAgent : httpAgent;
      let settled = false;
      const finish = (a: Attempt | { abort: unknown }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if ('abort' in a) reject(a.abort);
        else resolve(a);
      };
      const outgoing = mod.request(url, { method: req.method, headers, agent });
      const limit = req.timeoutMs ?? timeoutMs;
      const timer = setTimeout(() => {
        finish({ status: null, failure: { kind: 'timeout', reason: `no complete answer within ${limit} ms` } });
        outgoing.destroy();
      }, limit);
      const onAbort = () => {
        finish({ abort: abortReason(signal!) });
        outgoing.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', (e: NodeJS.ErrnoException) => {
        // An untrusted certificate will be untrusted on the next attempt too: a settings problem, not retried.
        const kind = TLS_TRUST_ERRORS.has(e.code ?? '') ? 'config' : 'network';
        finish({ status: null, failure: { kind, reason: networkReason(e, url), cause: e } });
      });
      outgoing.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e: NodeJS.ErrnoException) => {
          finish({ status: res.statusCode ?? null, failure: { kind: 'network', reason: `the answer was cut off (${e.code ?? e.message})`, cause: e } });
        });
        res.on('aborted', () => {
          finish({ status: res.statusCode ?? null, failure: { kind: 'network', reason: 'the connection closed before the answer was complete' } });
        });
        res.on('end', () => {
          if (settled) return;
          const status = res.statusCode ?? 0;
          let raw: Buffer = Buffer.concat(chunks);
          try {
            raw = decode(raw, String(res.headers['content-encoding'] ?? ''));
          } catch (e) {
            finish({ status, failure: { kind: 'protocol', reason: `the ${String(res.headers['content-encoding'])} body could not be decoded`, cause: e } });
            return;
          }
          const text = raw.toString('utf8');
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          const contentType = flat['content-type'] ?? '';
          let parsed: unknown = text;
          if (/json/i.test(contentType)) {
            if (text.trim() !== '') {
              try {
                parsed = JSON.parse(text);
              } catch {
                finish({ status, failure: { kind: 'protocol', reason: `HTTP ${status} with a JSON body that does not parse (${raw.length} bytes, cut off?)` } });
                return;
              }
            } else parsed = null;
          } else if (/^\s*[[{]/.test(text)) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          finish({ status, response: { status, headers: flat, body: parsed, text } });
        });
      });
      if (body) outgoing.end(body);
      else outgoing.end();
    });
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const signal = options.signal;
    if (signal?.aborted) throw abortReason(signal);
    const { url, base } = resolveUrl(req);
    const requestName = `${req.method} ${url.pathname}`;
    const errOpt = { ...connectorOpt(options), request: requestName };

    let body: Buffer | undefined;
    const baseHeaders: Record<string, string> = { accept: 'application/json', ...lower(options.headers ?? {}) };
    if (req.json !== undefined) {
      body = Buffer.from(JSON.stringify(req.json), 'utf8');
      baseHeaders['content-type'] = 'application/json';
    } else if (req.form !== undefined) {
      body = Buffer.from(new URLSearchParams(req.form).toString(), 'utf8');
      baseHeaders['content-type'] = 'application/x-www-form-urlencoded';
    }
    Object.assign(baseHeaders, lower(req.headers ?? {}));
    if (body) baseHeaders['content-length'] = String(body.length);

    let refreshed = false;
    let lastFailure: Attempt | undefined;
    for (let attempt = 1; ; attempt++) {
      const headers = { ...baseHeaders };
      if (req.auth !== false && options.authorize) await options.authorize({ method: req.method, url, headers });
      const started = now();
      const a = await once(req, url, headers, body, signal);
      const durationMs = Math.max(0, now() - started);
      const log = (retryInMs: number | null) =>
        options.onRequest?.({
          method: req.method,
          base,
          path: url.pathname,
          status: a.status,
          error: a.failure ? a.failure.kind : null,
          durationMs,
          attempt,
          retryInMs,
        });

      // A 401 gets one refresh-and-retry when the connector can refresh; it does not count against maxAttempts.
      if (a.response?.status === 401 && req.auth !== false && options.onUnauthorized && !refreshed) {
        refreshed = true;
        log(0);
        await options.onUnauthorized();
        attempt--;
        continue;
      }

      const retryable = a.failure !== undefined || a.response!.status === 429 || a.response!.status >= 500;
      if (!retryable) {
        log(null);
        return a.response!;
      }
      lastFailure = a;
      const exhausted = attempt >= maxAttempts || req.noRetry === true || a.failure?.kind === 'config';
      let wait = backoffMs(attempt);
      // 429 and 503 may say how long to wait (Retry-After, X-RateLimit-*); other failures back off.
      if (a.response?.status === 429 || a.response?.status === 503) {
        const asked = retryAfterMs(a.response.headers, now());
        if (asked !== null) {
          if (asked > maxRetryAfterMs) {
            log(null);
            const status = a.response.status;
            throw new ConnectorError(status === 429 ? 'rate_limited' : 'server', `HTTP ${status}: the server asks to wait ${Math.ceil(asked / 1000)} s, longer than ${Math.ceil(maxRetryAfterMs / 1000)} s`, {
              ...errOpt,
              status,
            });
          }
          wait = asked;
        }
      }
      if (exhausted) {
        log(null);
        throw giveUp(a, attempt, errOpt);
      }
      log(wait);
      await sleep(wait, signal);
      if (signal?.aborted) throw abortReason(signal);
    }
    // Unreachable: the loop returns or throws.
    void lastFailure;
  }

  function backoffMs(attempt: number): number {
    const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return Math.floor(random() * cap);
  }

  return {
    request,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function giveUp(a: Attempt, attempts: number, errOpt: { connector?: string; request: string }): ConnectorError {
  const tries = attempts === 1 ? '' : ` (after ${attempts} attempts)`;
  if (a.failure) {
    const status = a.status ?? undefined;
    return new ConnectorError(a.failure.kind, `${a.failure.reason}${tries}`, {
      ...errOpt,
      ...(status !== undefined ? { status } : {}),
      ...(a.failure.cause !== undefined ? { cause: a.failure.cause } : {}),
    });
  }
  const res = a.response!;
  const kind = res.status === 429 ? 'rate_limited' : 'server';
  const vendorMessage = vendorText(res);
  return new ConnectorError(kind, `HTTP ${res.status}${tries}`, {
    ...errOpt,
    status: res.status,
    ...(vendorMessage ? { vendorMessage } : {}),
  });
}

/**
 * Milliseconds the server asked us to wait: `Retry-After` (seconds or an HTTP date), else `X-RateLimit-RetryAfter`
 * or `X-RateLimit-Reset` as an epoch (seconds; milliseconds tolerated — CrowdStrike's documentation and its SDK
 * disagree), else null. Never negative; an epoch in the past means "now".
 */
export function retryAfterMs(headers: Record<string, string>, nowMs: number): number | null {
  const ra = headers['retry-after']?.trim();
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
    const date = Date.parse(ra);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  for (const name of ['x-ratelimit-retryafter', 'x-ratelimit-reset']) {
    const v = headers[name]?.trim();
    if (v && /^\d+(\.\d+)?$/.test(v)) {
      const n = Number(v);
      const epochMs = n > 1e12 ? n : n * 1000;
      // A small number is a delay in seconds, not an epoch (some servers send `X-RateLimit-Reset: 30`).
      if (n < 1e9) return Math.round(n * 1000);
      return Math.max(0, Math.round(epochMs - nowMs));
    }
  }
  return null;
}

/** A short human text from a JSON or text error body, whatever the vendor's shape; never request data. */
export function vendorText(res: HttpResponse): string | undefined {
  const b = res.body as Record<string, unknown> | null;
  if (b && typeof b === 'object') {
    const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
    const err = b.error as Record<string, unknown> | string | undefined;
    const errors = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined) : undefined;
    const messages = Array.isArray(b.messages) ? (b.messages[0] as Record<string, unknown> | undefined) : undefined;
    return (
      pick(b.message) ??
      // OAuth2 token errors: {"error": "invalid_client", "error_description": "AADSTS7000215: …"}.
      (typeof err === 'string' ? pick(b.error_description) ?? pick(err) : undefined) ??
      (typeof err === 'object' && err !== null ? pick(err.message) ?? pick(err.reason) : undefined) ??
      pick(errors?.message) ??
      pick(messages?.text) ??
      pick(b.detail) ??
      pick(b.title) ??
      pick(b.error_description)
    );
  }
  const t = res.text.trim();
  return t === '' ? undefined : t.slice(0, 300);
}

function networkReason(e: NodeJS.ErrnoException, url: URL): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${url.host} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${url.hostname} cannot be resolved (${e.code})`;
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the TLS certificate of ${url.host} is not trusted (${e.code}); set a CA file or allow self-signed certificates`;
    default:
      return `${e.code ?? 'network error'}: ${e.message}`;
  }
}

function decode(raw: Buffer, encoding: string): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(raw);
    case 'deflate':
      return zlib.inflateSync(raw);
    case 'br':
      return zlib.brotliDecompressSync(raw);
    default:
      return raw;
  }
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

function connectorOpt(o: HttpClientOptions): { connector?: string } {
  return o.connector !== undefined ? { connector: o.connector } : {};
}
