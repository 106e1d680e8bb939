// The one error type connectors and the SDK throw. Its message is for a person and for the journal, so it names the
// connector and the request (method and path, never the query string or headers) and what the vendor said, and it
// never holds a credential: callers pass what the vendor answered, not what we sent.
import type { ConnectorErrorKind } from './contract.js';

export interface ConnectorErrorOptions {
  /** The connector's configured name (`prod-elastic`) or its vendor id. */
  connector?: string;
  /** `GET /api/alerts`: method and path without query. */
  request?: string;
  /** HTTP status of the answer that caused it, if any. */
  status?: number;
  /** What the vendor said, taken from its error body. */
  vendorMessage?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly connector: string | undefined;
  readonly request: string | undefined;
  readonly status: number | undefined;
  readonly vendorMessage: string | undefined;
  /** The message without the connector/request prefix, e.g. `HTTP 401 Unauthorized`. */
  readonly reason: string;

  constructor(kind: ConnectorErrorKind, reason: string, options: ConnectorErrorOptions = {}) {
    super(formatMessage(reason, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.kind = kind;
    this.reason = reason;
    this.connector = options.connector;
    this.request = options.request;
    this.status = options.status;
    this.vendorMessage = options.vendorMessage;
  }

  /** The same error named for another connector (the runtime knows the configured name, the vendor code does not). */
  withConnector(connector: string): ConnectorError {
    if (this.connector === connector) return this;
    return new ConnectorError(this.kind, this.reason, { ...this.options(), connector });
  }

  /** Plain data for journals and API errors. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind, message: this.message };
    if (this.connector !== undefined) out.connector = this.connector;
    if (this.request !== undefined) out.request = this.request;
    if (this.status !== undefined) out.status = this.status;
    if (this.vendorMessage !== undefined) out.vendorMessage = this.vendorMessage;
    return out;
  }

  private options(): ConnectorErrorOptions {
    const o: ConnectorErrorOptions = {};
    if (this.request !== undefined) o.request = this.request;
    if (this.status !== undefined) o.status = this.status;
    if (this.vendorMessage !== undefined) o.vendorMessage = this.vendorMessage;
    if (this.cause !== undefined) o.cause = this.cause;
    return o;
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}

/** The kind an HTTP status stands for: 401/403 auth, 429 rate_limited, other 4xx client, 5xx server. */
export function kindForStatus(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'client';
  return 'protocol';
}

/**
 * The error for a vendor's non-2xx answer: `HTTP 401: <vendor message>`. Connectors extract `vendorMessage` from
 * their error body (Boom `message`, MSA `errors[].message`, OData `error.message`, …).
 */
export function httpError(
  status: number,
  vendorMessage: string | undefined,
  options: Omit<ConnectorErrorOptions, 'status' | 'vendorMessage'> = {},
): ConnectorError {
  const o: ConnectorErrorOptions = { ...options, status };
  if (vendorMessage !== undefined && vendorMessage !== '') o.vendorMessage = vendorMessage;
  return new ConnectorError(kindForStatus(status), `HTTP ${status}`, o);
}

function formatMessage(reason: string, o: ConnectorErrorOptions): string {
  let text = '';
  if (o.connector) text += `connector ${o.connector}: `;
  if (o.request) text += `${o.request}: `;
  text += reason;
  if (o.vendorMessage) text += `: ${clip(o.vendorMessage, 300)}`;
  return text;
}

function clip(s: string, max: number): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
