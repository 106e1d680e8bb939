import { ConnectorError, httpError, type ConnectorErrorKind, type HttpResponse } from '../sdk/index.js';

export { ConnectorError };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{"error":{"code","message"}}` (API) or `{"error","error_description"}` (Entra ID): the code and the message. */
export function vendorSaid(res: HttpResponse): { code?: string; message?: string } {
  const body = res.body;
  if (!isObject(body)) return res.text.trim() ? { message: res.text.trim().slice(0, 300) } : {};
  const error = body['error'];
  if (isObject(error)) {
    return {
      ...(typeof error['code'] === 'string' ? { code: error['code'] } : {}),
      ...(typeof error['message'] === 'string' ? { message: error['message'] } : {}),
    };
  }
  if (typeof error === 'string') {
    // Entra ID descriptions run on with trace and correlation ids; the first line says what is wrong.
    const description = typeof body['error_description'] === 'string' ? body['error_description'].split(/\r?\n/)[0]! : undefined;
    return { code: error, ...(description ? { message: description } : {}) };
  }
  return {};
}

/** "connector <name>: GET /api/alerts: HTTP 403: Forbidden: <message>", from Defender's error body. */
export function defenderError(connector: string, request: string, res: HttpResponse, kind?: ConnectorErrorKind): ConnectorError {
  const said = vendorSaid(res);
  const text = said.code && said.message ? `${said.code}: ${said.message}` : (said.message ?? said.code);
  const err = httpError(res.status, text, { connector, request });
  return kind && kind !== err.kind ? new ConnectorError(kind, err.reason, { connector, request, status: res.status, ...(text ? { vendorMessage: text } : {}) }) : err;
}
