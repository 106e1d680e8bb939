import type { ConnectorErrorKind, HttpResponse } from '../sdk/index.js';

/** A failure the connector gives up on, typed by kind, naming the request and what Defender said. */
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

/** `{"error":{"code","message"}}` (API) or `{"error","error_description"}` (Entra ID), else the status text. */
export function vendorSaid(res: HttpResponse): { code?: string; message: string } {
  const body = res.body;
  if (isObject(body)) {
    const error = body['error'];
    if (isObject(error) && typeof error['message'] === 'string') {
      return { ...(typeof error['code'] === 'string' ? { code: error['code'] } : {}), message: error['message'] };
    }
    if (typeof error === 'string') {
      // Entra ID descriptions run to several lines (trace and correlation ids); the first says what is wrong.
      const description = typeof body['error_description'] === 'string' ? body['error_description'].split(/\r?\n/)[0]! : error;
      return { code: error, message: description };
    }
  }
  const text = res.text.trim();
  return { message: text ? text.slice(0, 200) : `HTTP ${res.status}` };
}

function kindOf(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'client';
}

/** The error for an answer the connector cannot use: "Defender GET /api/alerts: 403 Forbidden: …". */
export function httpError(request: string, res: HttpResponse): ConnectorError {
  const said = vendorSaid(res);
  const code = said.code ? `${said.code}: ` : '';
  return new ConnectorError(kindOf(res.status), `Defender ${request}: HTTP ${res.status} ${code}${said.message}`, {
    connector: 'defender',
    request,
    status: res.status,
    ...(said.code ? { vendorCode: said.code } : {}),
  });
}
