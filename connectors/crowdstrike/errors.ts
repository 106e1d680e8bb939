import { ConnectorError, httpError, type ConnectorErrorKind, type HttpResponse } from '../sdk/index.js';

export { ConnectorError };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The MSA envelope's `errors[]` as one line ("access denied, authorization failed"), its codes and trace id. */
export function envelopeErrors(body: unknown): { message: string; codes: number[]; traceId?: string } | null {
  if (!isObject(body)) return null;
  const errors = Array.isArray(body['errors']) ? body['errors'].filter(isObject) : [];
  if (!errors.length) return null;
  const meta = isObject(body['meta']) ? body['meta'] : {};
  const traceId = typeof meta['trace_id'] === 'string' ? meta['trace_id'] : undefined;
  return {
    message: errors.map((e) => String(e['message'] ?? `error ${String(e['code'] ?? '')}`)).join('; '),
    codes: errors.map((e) => Number(e['code'])).filter(Number.isFinite),
    ...(traceId ? { traceId } : {}),
  };
}

/** "connector <name>: POST /oauth2/token: HTTP 401: access denied, invalid bearer token (trace …)". */
export function falconError(connector: string, request: string, res: HttpResponse, kind?: ConnectorErrorKind): ConnectorError {
  const said = envelopeErrors(res.body);
  const trace = said?.traceId ?? res.headers['x-cs-traceid'];
  const text = said ? `${said.message}${trace ? ` (trace ${trace})` : ''}` : res.text.trim().slice(0, 300) || undefined;
  const err = httpError(res.status, text, { connector, request });
  if (!kind || kind === err.kind) return err;
  return new ConnectorError(kind, err.reason, { connector, request, status: res.status, ...(text ? { vendorMessage: text } : {}) });
}
