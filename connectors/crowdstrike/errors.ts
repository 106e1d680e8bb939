import type { ConnectorErrorKind, HttpResponse } from '../sdk/index.js';

/** A failure the connector gives up on, typed by kind, naming the request and what Falcon said. */
export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly details: Record<string, unknown>;
  constructor(kind: ConnectorErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConnectorError';
    this.kind = kind;
    this.details = details;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The MSA envelope's `errors[]` as one line ("403 access denied, authorization failed"), and its trace id. */
export function envelopeErrors(body: unknown): { message: string; codes: number[]; traceId?: string } | null {
  if (!isObject(body)) return null;
  const errors = Array.isArray(body['errors']) ? body['errors'].filter(isObject) : [];
  if (!errors.length) return null;
  const meta = isObject(body['meta']) ? body['meta'] : {};
  const traceId = typeof meta['trace_id'] === 'string' ? meta['trace_id'] : undefined;
  return {
    message: errors.map((e) => `${typeof e['code'] === 'number' ? `${e['code']} ` : ''}${String(e['message'] ?? 'error')}`).join('; '),
    codes: errors.map((e) => Number(e['code'])).filter(Number.isFinite),
    ...(traceId ? { traceId } : {}),
  };
}

function kindOf(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'client';
}

/** "CrowdStrike POST /oauth2/token: HTTP 403: 403 access denied, authorization failed (trace …)". */
export function httpError(request: string, res: HttpResponse, kind?: ConnectorErrorKind): ConnectorError {
  const said = envelopeErrors(res.body);
  const text = said?.message ?? (res.text.trim().slice(0, 200) || `HTTP ${res.status}`);
  const trace = said?.traceId ?? res.headers['x-cs-traceid'];
  return new ConnectorError(kind ?? kindOf(res.status), `CrowdStrike ${request}: HTTP ${res.status}: ${text}${trace ? ` (trace ${trace})` : ''}`, {
    connector: 'crowdstrike',
    request,
    status: res.status,
    ...(trace ? { traceId: trace } : {}),
  });
}
