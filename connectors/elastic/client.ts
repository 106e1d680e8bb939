// Requests to Kibana and Elasticsearch with what each requires, and their error bodies read into ConnectorErrors.
import type { z } from 'zod';
import { ConnectorError, httpError, type ConnectorContext, type HttpRequest, type HttpResponse } from '../sdk/index.js';
import { kibanaPath, type ElasticSettings } from './settings.js';

export type Ctx = ConnectorContext<ElasticSettings>;

/** The version Kibana registered these public routes under (CONNECTOR-APIS.md §1). */
const KIBANA_API_VERSION = '2023-10-31';

/**
 * The vendor's words from any of the three error shapes: Boom `{statusCode,error,message}`, the security
 * solution's `{message,status_code}`, Elasticsearch's `{error:{type,reason,root_cause},status}`.
 */
export function elasticMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.message === 'string') return b.message;
  const err = b.error;
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>;
    const rootCause = Array.isArray(e.root_cause) ? (e.root_cause[0] as Record<string, unknown> | undefined) : undefined;
    const type = typeof e.type === 'string' ? e.type : undefined;
    const reason = typeof e.reason === 'string' ? e.reason : typeof rootCause?.reason === 'string' ? rootCause.reason : undefined;
    return type && reason ? `${type}: ${reason}` : (reason ?? type);
  }
  return typeof err === 'string' ? err : undefined;
}

/** The ES error type (`search_context_missing_exception`), when the body is an ES error. */
export function esErrorType(body: unknown): string | undefined {
  const err = (body as { error?: { type?: unknown } } | null)?.error;
  return typeof err?.type === 'string' ? err.type : undefined;
}

function fail(ctx: Ctx, req: HttpRequest, res: HttpResponse): ConnectorError {
  const vendorMessage = elasticMessage(res.body);
  const request = `${req.method} ${req.path.split('?')[0]}`;
  if (res.status === 401) {
    const which = ctx.settings.auth === 'apiKey' ? 'the API key' : `user ${ctx.settings.username ?? ''} and its password`;
    return new ConnectorError('auth', `HTTP 401: Elastic refused ${which}`, { connector: ctx.name, request, status: 401, ...(vendorMessage ? { vendorMessage } : {}) });
  }
  return httpError(res.status, vendorMessage, { connector: ctx.name, request });
}

/** A Kibana request in the configured space; `kbn-xsrf` on everything but GET/HEAD. Throws on a non-2xx answer. */
export async function kibana<T = unknown>(ctx: Ctx, req: HttpRequest, parse?: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = { 'elastic-api-version': KIBANA_API_VERSION, ...(req.headers ?? {}) };
  if (req.method !== 'GET') headers['kbn-xsrf'] = 'true';
  const full: HttpRequest = { ...req, path: kibanaPath(ctx.settings, req.path), headers };
  const res = await ctx.http.request(full);
  if (res.status < 200 || res.status >= 300) throw fail(ctx, full, res);
  return checked(ctx, full, res, parse);
}

/** An Elasticsearch request. Returns the answer for the caller to inspect (an expired PIT is not an error there). */
export async function elasticsearch(ctx: Ctx, req: HttpRequest): Promise<HttpResponse> {
  return ctx.http.request({ ...req, base: 'esUrl' });
}

export function esOk<T>(ctx: Ctx, req: HttpRequest, res: HttpResponse, parse?: z.ZodType<T>): T {
  if (res.status < 200 || res.status >= 300) throw fail(ctx, req, res);
  return checked(ctx, req, res, parse);
}

function checked<T>(ctx: Ctx, req: HttpRequest, res: HttpResponse, parse?: z.ZodType<T>): T {
  if (!parse) return res.body as T;
  const parsed = parse.safeParse(res.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConnectorError('protocol', `the answer does not have the expected shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown'})`, {
      connector: ctx.name,
      request: `${req.method} ${req.path.split('?')[0]}`,
      status: res.status,
    });
  }
  return parsed.data;
}
