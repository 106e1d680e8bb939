// The contract between Quell and a vendor connector. A vendor folder implements `Connector`; core (connectors
// runtime, pull runner, action runner) calls it through this interface only and never imports a vendor.
//
// Division of work:
// - the connector knows the vendor's API: endpoints, auth, paging, envelopes, error bodies, actions;
// - the SDK runtime (connectors/sdk) gives it an HTTP client that already retries (429 with Retry-After and
//   rate-limit headers, 5xx, timeouts) with backoff and jitter, and a secret lookup that never exposes where
//   secrets live;
// - core owns everything durable: normalisation (through an import format core knows, named by `format`), the
//   cursor committed in the same transaction as the records it produced, the journal, idempotency bookkeeping.
import type { z } from 'zod';

/** How much an action changes the outside world; the playbook engine gates on it. */
export type ActionRisk = 'low' | 'medium' | 'high';

export interface ActionImpact {
  /** What it changes, for a person: "isolates the host from the network (Defend agent)". */
  changes: string;
  /** Whether it can be undone, and by which action of the same connector. */
  reversible: boolean;
  undo?: string;
  risk: ActionRisk;
}

export interface ActionSpec<I extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  summary: string;
  /** The action's input; validated before the connector sees it. */
  input: I;
  impact: ActionImpact;
}

export interface ConnectorCapabilities {
  pullAlerts: boolean;
  queryEvents: boolean;
  /** Names of `actions`. */
  actions: readonly string[];
}

export interface ConnectorManifest<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Stable id used in settings and on the CLI: `elastic`, `splunk`, `wazuh`, `defender`, `crowdstrike`. */
  id: string;
  vendor: string;
  /**
   * The settings schema: URL(s), auth kind, TLS options (CA file, allow self-signed), index or query, page size,
   * rate limit, timeout. Secret fields are in the schema too, and listed in `secretFields`.
   */
  settings: S;
  /** Top-level keys of the settings that are secrets: kept in the secret store, never in the database or journal. */
  secretFields: readonly string[];
  capabilities: ConnectorCapabilities;
  actions: Record<string, ActionSpec>;
  /**
   * The core import format that normalises what `pullAlerts` returns (`elastic`, `wazuh`, …). A vendor shape core
   * does not read yet gets a normaliser in core/ingest/formats, so pulled and imported records share one mapping.
   */
  format: string;
}

/** A vendor's opaque position in its alert stream. JSON-serialisable; core stores it and hands it back verbatim. */
export type Cursor = Record<string, unknown>;

export interface PulledRecord {
  /** The vendor's id for the alert (dedup across pulls and for the report "what the emulator served"). */
  id: string;
  /** The record exactly as the API returned it. */
  raw: Record<string, unknown>;
}

export interface PullPage {
  records: PulledRecord[];
  /** Where the next page starts. Committed with `records`; a resumed pull starts from the last committed cursor. */
  cursor: Cursor;
  /** True when the stream is caught up: no more pages right now. */
  done: boolean;
}

/** A pending action's handle, JSON-serialisable, stored so polling survives a restart. */
export type PollHandle = Record<string, unknown>;

export type ActionOutcome =
  | { status: 'done'; result: Record<string, unknown> }
  | { status: 'pending'; poll: PollHandle; message?: string }
  | { status: 'failed'; reason: string; result?: Record<string, unknown> };

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query relative to a base URL, or an absolute URL (an `@odata.nextLink`). */
  path: string;
  /** Which configured base URL (default `url`): Kibana vs Elasticsearch, Wazuh server vs indexer. */
  base?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** JSON body (serialised by the client) or a form body (`application/x-www-form-urlencoded`). */
  json?: unknown;
  form?: Record<string, string>;
  /** Sent once even on a retryable failure (a non-idempotent POST without an idempotency key). */
  noRetry?: boolean;
  /** `false`: do not call the connector's `authorize` (the token request itself, a public version probe). */
  auth?: false;
  /** Overrides the client's per-request timeout (a slow export). */
  timeoutMs?: number;
}

/** A request about to leave, for `Connector.authorize` to add credentials to (mutate `headers`). */
export interface AuthorizeRequest {
  method: HttpRequest['method'];
  url: URL;
  headers: Record<string, string>;
}

/** Where and how the runtime's HTTP client connects, derived from a connector's settings. */
export interface HttpSetup {
  /** Named base URLs; `url` is the default base. */
  bases: Record<string, string>;
  timeoutMs?: number;
  maxAttempts?: number;
  /** PEM text of a CA to trust, or a path to read it from; `allowSelfSigned` skips verification (lab systems). */
  tls?: { ca?: string; caFile?: string; allowSelfSigned?: boolean };
  /** Sent on every request (e.g. `kbn-xsrf`, an API version header). */
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown;
  text: string;
}

/**
 * The HTTP client a connector receives. Retries 429 (honouring Retry-After / X-RateLimit-* headers), 502/503/504
 * and timeouts with exponential backoff and jitter; throws `ConnectorError` for what it gives up on. 4xx other than
 * 429 are returned, so the connector can read the vendor's error body and phrase the message.
 */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export type ConnectorErrorKind = 'auth' | 'client' | 'server' | 'timeout' | 'network' | 'rate_limited' | 'protocol' | 'config';

export interface ConnectorContext<S = Record<string, unknown>> {
  /** The configured connector name (`prod-elastic`), for messages: `new ConnectorError(kind, text, { connector: ctx.name })`. */
  name: string;
  /** Validated settings, secrets resolved from the secret store. */
  settings: S;
  http: HttpClient;
  /** Cancelled when the user stops a pull or the app quits. */
  signal: AbortSignal;
  /** Connector-lifetime memory (an OAuth2 token and its expiry); never persisted. */
  session: Map<string, unknown>;
}

export interface TestResult {
  ok: boolean;
  /** What was reached and as whom: "Kibana 8.15.0, user soc-bot, space default". Or why not. */
  message: string;
}

export interface Connector<S extends z.ZodTypeAny = z.ZodTypeAny> {
  manifest: ConnectorManifest<S>;
  /** Checks the settings reach the system and authenticate, without changing anything. */
  test(ctx: ConnectorContext<z.infer<S>>): Promise<TestResult>;
  /** One page of alerts after `cursor` (null: from the configured start, e.g. the last 24 h). */
  pullAlerts(ctx: ConnectorContext<z.infer<S>>, cursor: Cursor | null): Promise<PullPage>;
  /** Runs an action. `idempotencyKey` is stable across retries of the same intent; send it where the API takes one. */
  runAction(ctx: ConnectorContext<z.infer<S>>, action: string, input: unknown, idempotencyKey: string): Promise<ActionOutcome>;
  /** Polls a pending action once. */
  pollAction(ctx: ConnectorContext<z.infer<S>>, action: string, handle: PollHandle): Promise<ActionOutcome>;
  /**
   * Base URLs, timeout and TLS from the settings. Absent: bases are `url` and every string setting named `*Url`;
   * `timeoutMs`, `caFile`, `caCert` (PEM text) and `allowSelfSigned` are read if present.
   */
  httpSetup?(settings: z.infer<S>): HttpSetup;
  /**
   * Adds credentials to each request (basic, API key, or a bearer token fetched with `ctx.http` and `auth: false`,
   * cached in `ctx.session`). Called before every attempt, so a refreshed token is picked up on retry.
   */
  authorize?(ctx: ConnectorContext<z.infer<S>>, req: AuthorizeRequest): Promise<void>;
  /** A request was answered 401: drop the cached token. The client then retries that request once. */
  onUnauthorized?(ctx: ConnectorContext<z.infer<S>>): Promise<void>;
}
