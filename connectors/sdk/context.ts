// Builds the `ConnectorContext` a connector runs in: validated settings, the retrying HTTP client wired to the
// connector's own authorize/onUnauthorized hooks, an abort signal and a session map. Core's runner uses it, and a
// vendor's tests use it to drive their connector against their emulator without core.
import type { z } from 'zod';
import type { Connector, ConnectorContext, HttpSetup } from './contract.js';
import { ConnectorError } from './errors.js';
import { createHttpClient, type ClosableHttpClient, type HttpClientOptions, type RequestLog } from './http.js';

export interface ContextOptions {
  /** The configured connector name, for error messages. Default: the manifest id. */
  name?: string;
  signal?: AbortSignal;
  onRequest?: (log: RequestLog) => void;
  /** Test hooks and tuning passed to the HTTP client. */
  http?: Pick<HttpClientOptions, 'sleep' | 'random' | 'now' | 'backoff' | 'maxRetryAfterMs' | 'maxAttempts' | 'timeoutMs'>;
  /** Kept across contexts of the same connector (a cached OAuth2 token). Default: a new map. */
  session?: Map<string, unknown>;
}

export interface OpenedContext<S> {
  ctx: ConnectorContext<S>;
  http: ClosableHttpClient;
  close(): void;
}

/**
 * Validates `settings` with the manifest's schema (a `config` ConnectorError naming each bad field otherwise) and
 * opens a context. Close it to release kept-alive sockets.
 */
export function openConnectorContext<Z extends z.ZodTypeAny>(connector: Connector<Z>, settings: unknown, options: ContextOptions = {}): OpenedContext<z.infer<Z>> {
  type S = z.infer<Z>;
  const name = options.name ?? connector.manifest.id;
  const parsed = connector.manifest.settings.safeParse(settings);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'settings'}: ${i.message}`).join('; ');
    throw new ConnectorError('config', `invalid settings: ${issues}`, { connector: name });
  }
  const valid = parsed.data as S;
  const setup = connector.httpSetup ? connector.httpSetup(valid) : defaultHttpSetup(valid as Record<string, unknown>);
  const signal = options.signal ?? new AbortController().signal;
  const session = options.session ?? new Map<string, unknown>();
  // The context is referenced by the hooks before it exists; they only run once a request is made.
  let ctx!: ConnectorContext<S>;
  const clientOptions: HttpClientOptions = {
    bases: setup.bases,
    connector: name,
    signal,
    ...(setup.timeoutMs !== undefined ? { timeoutMs: setup.timeoutMs } : {}),
    ...(setup.maxAttempts !== undefined ? { maxAttempts: setup.maxAttempts } : {}),
    ...(setup.tls !== undefined ? { tls: setup.tls } : {}),
    ...(setup.headers !== undefined ? { headers: setup.headers } : {}),
    ...(options.http ?? {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  if (connector.authorize) clientOptions.authorize = (req) => connector.authorize!(ctx, req);
  if (connector.onUnauthorized) clientOptions.onUnauthorized = () => connector.onUnauthorized!(ctx);
  const http = createHttpClient(clientOptions);
  ctx = { name, settings: valid, http, signal, session };
  return { ctx, http, close: () => http.close() };
}

/** Bases are `url` and every string setting named `*Url`; `timeoutMs`, `caFile`, `caCert`, `allowSelfSigned`. */
export function defaultHttpSetup(settings: Record<string, unknown>): HttpSetup {
  const bases: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if ((k === 'url' || /Url$/.test(k)) && typeof v === 'string' && v !== '') bases[k] = v;
  const setup: HttpSetup = { bases };
  if (typeof settings.timeoutMs === 'number') setup.timeoutMs = settings.timeoutMs;
  const tls: NonNullable<HttpSetup['tls']> = {};
  if (typeof settings.caFile === 'string' && settings.caFile !== '') tls.caFile = settings.caFile;
  if (typeof settings.caCert === 'string' && settings.caCert !== '') tls.ca = settings.caCert;
  if (settings.allowSelfSigned === true) tls.allowSelfSigned = true;
  if (Object.keys(tls).length) setup.tls = tls;
  return setup;
}
