import { z } from 'zod';
import type { ConnectorContext, Cursor, PullPage, PulledRecord } from '../sdk/index.js';
import { callEnvelope } from './auth.js';
import { ConnectorError } from './errors.js';
import type { CrowdStrikeSettings } from './settings.js';

type Ctx = ConnectorContext<CrowdStrikeSettings>;

/**
 * Where the alert stream stands: the window `created_timestamp >= since` sorted ascending, with the ids already
 * yielded at exactly `since`. Each page asks for the first ids of the window and fetches their entities, then
 * moves the window to the latest creation time it saw, so offsets stay small (the query API caps them) and a
 * resumed pull starts right after the last committed alert. `offset` is used only to step over a page made
 * entirely of alerts already yielded at one instant.
 */
/** An ISO UTC time: it is written into an FQL filter, so nothing else may get in. */
const IsoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, 'an ISO 8601 UTC time');

export const CrowdStrikeCursor = z.object({
  since: IsoTime,
  sinceIds: z.array(z.string()),
  offset: z.number().int().min(0),
});
export type CrowdStrikeCursor = z.infer<typeof CrowdStrikeCursor>;

const QueryReply = z.object({
  resources: z.array(z.string()),
  meta: z.object({ pagination: z.object({ offset: z.coerce.number(), limit: z.coerce.number(), total: z.coerce.number() }).passthrough().optional() }).passthrough(),
});
// A malformed time does not fail the page: the record still goes to core (which quarantines it) but cannot move the window.
const Entity = z.object({ composite_id: z.string().min(1), created_timestamp: z.string() }).passthrough();
const EntitiesReply = z.object({ resources: z.array(Entity) });

/** Falcon times carry up to 9 fractional digits; padded to 9, the ISO text orders like the instant. */
export function timeKey(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/i.exec(t);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z` : t;
}

export function firstCursor(settings: CrowdStrikeSettings, now = Date.now()): CrowdStrikeCursor {
  return { since: new Date(now - settings.lookbackHours * 3_600_000).toISOString(), sinceIds: [], offset: 0 };
}

function readCursor(ctx: Ctx, raw: Cursor | null): CrowdStrikeCursor {
  if (raw === null) return firstCursor(ctx.settings);
  const parsed = CrowdStrikeCursor.safeParse(raw);
  if (!parsed.success) throw new ConnectorError('config', `the stored cursor is not a CrowdStrike cursor (${parsed.error.issues[0]?.message ?? 'invalid'})`, { connector: ctx.name });
  return parsed.data;
}

function shape<T>(ctx: Ctx, schema: z.ZodType<T>, body: unknown, request: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConnectorError('protocol', `unexpected answer at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, { connector: ctx.name, request });
}

export async function pullAlerts(ctx: Ctx, raw: Cursor | null): Promise<PullPage> {
  const cursor = readCursor(ctx, raw);
  const pageSize = ctx.settings.pageSize;
  // The ids already yielded at `since` come back first; asking for that many more keeps pages full.
  const limit = Math.min(10_000, pageSize + cursor.sinceIds.length);
  const window = `created_timestamp:>='${cursor.since}'`;
  const filter = ctx.settings.filter ? `${window}+(${ctx.settings.filter})` : window;

  const query = shape(
    ctx,
    QueryReply,
    (await callEnvelope(ctx, { method: 'GET', path: '/alerts/queries/alerts/v2', query: { filter, sort: 'created_timestamp|asc', limit, offset: cursor.offset } })).body,
    'GET /alerts/queries/alerts/v2',
  );
  const total = query.meta.pagination?.total ?? cursor.offset + query.resources.length;
  const windowDone = query.resources.length < limit || cursor.offset + query.resources.length >= total;
  const seen = new Set(cursor.sinceIds);
  const fresh = query.resources.filter((id) => !seen.has(id));
  if (!fresh.length) {
    // Every id on the page was yielded already at `since`: step over them, or stop when the window is exhausted.
    return windowDone
      ? { records: [], cursor: { ...cursor, offset: 0 }, done: true }
      : { records: [], cursor: { ...cursor, offset: cursor.offset + query.resources.length }, done: false };
  }
  // At most a page of entities (the entities call takes 1,000); the rest are asked for again from the new window.
  const batch = fresh.slice(0, pageSize);
  const caughtUp = windowDone && batch.length === fresh.length;

  const entities = shape(
    ctx,
    EntitiesReply,
    (await callEnvelope(ctx, { method: 'POST', path: '/alerts/entities/alerts/v2', json: { composite_ids: batch } })).body,
    'POST /alerts/entities/alerts/v2',
  ).resources;
  const byId = new Map(entities.map((e) => [e.composite_id, e]));
  // In query order, which is the window's order; an id whose entity vanished between the two calls is skipped.
  const alerts = batch.map((id) => byId.get(id)).filter((e): e is z.infer<typeof Entity> => e !== undefined);
  const records: PulledRecord[] = alerts.map((e) => ({ id: e.composite_id, raw: e }));
  if (!alerts.length) {
    // None of the ids resolved (deleted in between): step over them rather than asking for them forever.
    return { records, cursor: { ...cursor, offset: cursor.offset + query.resources.length }, done: windowDone };
  }

  let since = cursor.since;
  let sinceIds = cursor.sinceIds;
  for (const e of alerts) {
    if (!IsoTime.safeParse(e.created_timestamp).success) continue;
    const key = timeKey(e.created_timestamp);
    if (key > timeKey(since)) {
      since = e.created_timestamp;
      sinceIds = [e.composite_id];
    } else if (key === timeKey(since) && !sinceIds.includes(e.composite_id)) {
      sinceIds = [...sinceIds, e.composite_id];
    }
  }
  return { records, cursor: { since, sinceIds, offset: 0 }, done: caughtUp };
}
