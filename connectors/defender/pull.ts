import { z } from 'zod';
import type { ConnectorContext, Cursor, PullPage, PulledRecord } from '../sdk/index.js';
import { callJson } from './auth.js';
import { ConnectorError } from './errors.js';
import type { DefenderSettings } from './settings.js';

type Ctx = ConnectorContext<DefenderSettings>;

/**
 * Where the alert stream stands. A pull is a sweep of `alertCreationTime ge since`, paged by `@odata.nextLink`
 * (else `$skip`); the API documents no `$orderby` for alerts, so nothing here relies on page order. The sweep
 * remembers the latest creation time it saw and the ids at that instant; the next sweep starts there and skips
 * those ids, so an alert is yielded once even when several share a timestamp.
 */
/** An ISO UTC time: it is written into an OData filter, so nothing else may get in. */
const IsoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/, 'an ISO 8601 UTC time');

export const DefenderCursor = z.object({
  since: IsoTime,
  /** Ids already yielded whose creation time equals `since`. */
  sinceIds: z.array(z.string()),
  /** The next page of the current sweep: a nextLink (same origin as `url`) or a `$skip` offset; null: new sweep. */
  next: z.union([z.object({ link: z.string() }), z.object({ skip: z.number().int().min(0) })]).nullable(),
  /** The latest creation time seen in this sweep, and the ids at exactly that time. */
  maxTime: IsoTime,
  maxIds: z.array(z.string()),
});
export type DefenderCursor = z.infer<typeof DefenderCursor>;

// A malformed time does not fail the page: the record still goes to core (which quarantines it) but cannot move the cursor.
const Alert = z.object({ id: z.string().min(1), alertCreationTime: z.string() }).passthrough();
const AlertsPage = z.object({ value: z.array(Alert), '@odata.nextLink': z.string().optional() }).passthrough();

/** Alert times carry 0–7 fractional digits; padded to 7, the ISO text orders like the instants it names. */
export function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/i.exec(t);
  if (!m) return t;
  return `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

export function firstCursor(settings: DefenderSettings, now = Date.now()): DefenderCursor {
  const since = new Date(now - settings.lookbackHours * 3_600_000).toISOString();
  return { since, sinceIds: [], next: null, maxTime: since, maxIds: [] };
}

function readCursor(ctx: Ctx, raw: Cursor | null): DefenderCursor {
  if (raw === null) return firstCursor(ctx.settings);
  const parsed = DefenderCursor.safeParse(raw);
  if (!parsed.success) throw new ConnectorError('config', `the stored cursor is not a Defender cursor (${parsed.error.issues[0]?.message ?? 'invalid'})`, { connector: ctx.name });
  return parsed.data;
}

/** A nextLink is followed only to the configured API origin: a link elsewhere would carry the bearer token away. */
function sameOrigin(ctx: Ctx, link: string): string {
  const base = ctx.settings.url;
  const where = { connector: ctx.name, request: 'GET /api/alerts' };
  let target: URL;
  try {
    target = new URL(link, base);
  } catch {
    throw new ConnectorError('protocol', `@odata.nextLink is not a URL: ${JSON.stringify(link.slice(0, 200))}`, where);
  }
  if (target.origin !== new URL(base).origin) {
    throw new ConnectorError('protocol', `@odata.nextLink points to ${target.origin}, not the configured ${new URL(base).origin}; not followed`, where);
  }
  return target.toString();
}

export async function pullAlerts(ctx: Ctx, raw: Cursor | null): Promise<PullPage> {
  const cursor = readCursor(ctx, raw);
  const top = ctx.settings.pageSize;
  const filter = `alertCreationTime ge ${cursor.since}`;
  const req =
    cursor.next && 'link' in cursor.next
      ? { method: 'GET' as const, path: sameOrigin(ctx, cursor.next.link) }
      : { method: 'GET' as const, path: '/api/alerts', query: { $filter: filter, $top: top, $skip: cursor.next?.skip ?? 0, $expand: 'evidence' } };
  const { body } = await callJson(ctx, req);
  const page = AlertsPage.safeParse(body);
  if (!page.success) {
    const issue = page.error.issues[0];
    throw new ConnectorError('protocol', `unexpected page shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, { connector: ctx.name, request: 'GET /api/alerts' });
  }

  const sinceKey = timeKey(cursor.since);
  const skipIds = new Set(cursor.sinceIds);
  let maxKey = timeKey(cursor.maxTime);
  let maxTime = cursor.maxTime;
  let maxIds = cursor.maxIds;
  const records: PulledRecord[] = [];
  for (const alert of page.data.value) {
    if (!IsoTime.safeParse(alert.alertCreationTime).success) {
      records.push({ id: alert.id, raw: alert });
      continue;
    }
    const key = timeKey(alert.alertCreationTime);
    // The filter already holds `ge since`; these guard a server that ignores it and the shared boundary instant.
    if (key < sinceKey || (key === sinceKey && skipIds.has(alert.id))) continue;
    records.push({ id: alert.id, raw: alert });
    if (key > maxKey) {
      maxKey = key;
      maxTime = alert.alertCreationTime;
      maxIds = [alert.id];
    } else if (key === maxKey && !maxIds.includes(alert.id)) {
      maxIds = [...maxIds, alert.id];
    }
  }

  const link = page.data['@odata.nextLink'];
  const skip = (cursor.next && 'skip' in cursor.next ? cursor.next.skip : 0) + page.data.value.length;
  const next = link ? { link } : page.data.value.length >= top && !(cursor.next && 'link' in cursor.next) ? { skip } : null;
  if (next) return { records, cursor: { ...cursor, next, maxTime, maxIds }, done: false };

  // The sweep is over: the next one starts at the latest instant seen, skipping what was yielded at it.
  const advanced = maxKey > sinceKey;
  const nextCursor: DefenderCursor = {
    since: advanced ? maxTime : cursor.since,
    sinceIds: advanced ? maxIds : [...new Set([...cursor.sinceIds, ...maxIds])],
    next: null,
    maxTime: advanced ? maxTime : cursor.since,
    maxIds: advanced ? maxIds : [...new Set([...cursor.sinceIds, ...maxIds])],
  };
  return { records, cursor: nextCursor, done: true };
}
