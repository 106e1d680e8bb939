// Paging detection alerts. Both paths sort on `@timestamp` then `kibana.alert.uuid` (unique, so the order is total)
// and remember the last alert's pair; a page after it is "later time, or same time and greater uuid".
//
// - With an Elasticsearch URL: a point in time on the alerts alias and `search_after` inside it (the only cursor
//   Elastic has). A PIT that expired (or a resumed pull whose PIT is gone) is reopened and the page re-asked by
//   the (time, uuid) pair, so nothing is skipped or repeated.
// - Kibana only: `signals/search` strips `search_after`, `from` and `pit`, so every page narrows the range instead.
import { z } from 'zod';
import { ConnectorError, type Cursor, type PullPage, type PulledRecord } from '../sdk/index.js';
import { elasticsearch, esErrorType, esOk, kibana, type Ctx } from './client.js';
import { alertsIndex } from './settings.js';

/** Where the stream stands: the last alert delivered, and the PIT a pull in progress is reading. */
export const ElasticCursor = z.object({
  /** `[@timestamp epoch ms, kibana.alert.uuid]` of the last alert delivered. */
  after: z.tuple([z.number(), z.string()]).nullable(),
  pit: z.object({ id: z.string(), searchAfter: z.array(z.unknown()) }).optional(),
});
export type ElasticCursor = z.infer<typeof ElasticCursor>;

const Hit = z.looseObject({
  _index: z.string(),
  _id: z.string(),
  _source: z.record(z.string(), z.unknown()),
  sort: z.array(z.unknown()).optional(),
});
const SearchResponse = z.looseObject({
  pit_id: z.string().optional(),
  hits: z.looseObject({ hits: z.array(Hit) }),
});
type Hit = z.infer<typeof Hit>;

const SORT = [{ '@timestamp': { order: 'asc' } }, { 'kibana.alert.uuid': { order: 'asc' } }];
const PIT_KEEP_ALIVE = '5m';

/** Alerts after `after`, or within the lookback when the stream has not started. */
export function afterQuery(after: ElasticCursor['after'], lookback: string): Record<string, unknown> {
  if (!after) return { range: { '@timestamp': { gte: `now-${lookback}` } } };
  const [ms, uuid] = after;
  return {
    bool: {
      should: [
        { range: { '@timestamp': { gt: ms, format: 'epoch_millis' } } },
        { bool: { filter: [{ range: { '@timestamp': { gte: ms, lte: ms, format: 'epoch_millis' } } }, { range: { 'kibana.alert.uuid': { gt: uuid } } }] } },
      ],
      minimum_should_match: 1,
    },
  };
}

function readCursor(ctx: Ctx, cursor: Cursor | null): ElasticCursor {
  if (cursor === null) return { after: null };
  const parsed = ElasticCursor.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError('config', `the stored cursor is not an Elastic cursor (${parsed.error.issues[0]?.message ?? 'invalid'}); reset the connector's cursor`, { connector: ctx.name });
  return parsed.data;
}

/** The (time, uuid) pair of a hit, from its sort values (both paths sort the same way). */
function positionOf(ctx: Ctx, hit: Hit): [number, string] {
  const [ms, uuid] = hit.sort ?? [];
  if (typeof ms !== 'number' || typeof uuid !== 'string') {
    throw new ConnectorError('protocol', `alert ${hit._id} came without its sort values [@timestamp, kibana.alert.uuid]`, { connector: ctx.name });
  }
  return [ms, uuid];
}

const toRecord = (hit: Hit): PulledRecord => ({ id: hit._id, raw: hit as Record<string, unknown> });

export async function pullAlerts(ctx: Ctx, cursor: Cursor | null): Promise<PullPage> {
  const state = readCursor(ctx, cursor);
  return ctx.settings.esUrl ? pullWithPit(ctx, state) : pullFromKibana(ctx, state);
}

async function pullFromKibana(ctx: Ctx, state: ElasticCursor): Promise<PullPage> {
  const size = ctx.settings.pageSize;
  const body = { query: afterQuery(state.after, ctx.settings.lookback), sort: SORT, size, track_total_hits: false };
  const res = await kibana(ctx, { method: 'POST', path: '/api/detection_engine/signals/search', json: body }, SearchResponse);
  const hits = res.hits.hits;
  const last = hits.at(-1);
  return { records: hits.map(toRecord), cursor: { after: last ? positionOf(ctx, last) : state.after }, done: hits.length < size };
}

async function openPit(ctx: Ctx): Promise<string> {
  const req = { method: 'POST' as const, path: `/${encodeURIComponent(alertsIndex(ctx.settings))}/_pit`, query: { keep_alive: PIT_KEEP_ALIVE } };
  const res = esOk(ctx, req, await elasticsearch(ctx, req), z.looseObject({ id: z.string() }));
  return res.id;
}

async function closePit(ctx: Ctx, id: string): Promise<void> {
  // Best effort: an unclosed PIT frees itself when its keep-alive runs out.
  await elasticsearch(ctx, { method: 'DELETE', path: '/_pit', json: { id } }).catch(() => undefined);
}

async function pullWithPit(ctx: Ctx, state: ElasticCursor): Promise<PullPage> {
  const size = ctx.settings.pageSize;
  let pit = state.pit;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!pit) pit = { id: await openPit(ctx), searchAfter: [] };
    const body: Record<string, unknown> = {
      size,
      query: afterQuery(state.after, ctx.settings.lookback),
      pit: { id: pit.id, keep_alive: PIT_KEEP_ALIVE },
      sort: SORT,
      track_total_hits: false,
    };
    if (pit.searchAfter.length) body.search_after = pit.searchAfter;
    const req = { method: 'POST' as const, path: '/_search', json: body };
    const res = await elasticsearch(ctx, req);
    if (res.status === 404 && esErrorType(res.body) === 'search_context_missing_exception') {
      // The PIT expired (or this is a resumed pull): a new one, positioned by the last alert delivered.
      pit = undefined;
      continue;
    }
    const page = esOk(ctx, req, res, SearchResponse);
    const hits = page.hits.hits;
    const last = hits.at(-1);
    const pitId = page.pit_id ?? pit.id;
    const after = last ? positionOf(ctx, last) : state.after;
    if (hits.length < size) {
      await closePit(ctx, pitId);
      return { records: hits.map(toRecord), cursor: { after }, done: true };
    }
    return { records: hits.map(toRecord), cursor: { after, pit: { id: pitId, searchAfter: last?.sort ?? [] } }, done: false };
  }
  throw new ConnectorError('server', 'the point in time expired three times in a row; the alerts index may be under pressure', {
    connector: ctx.name,
    request: 'POST /_search',
  });
}
