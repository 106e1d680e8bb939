// Alerts from the Wazuh indexer: `_search` sorted on `timestamp` then the alert `id`, paged with `search_after`.
// The cursor is the sort values of the last alert stored, so a resumed pull continues right after it; the first
// pull reaches back `lookback` (`now-24h`).
import { z } from 'zod';
import type { Cursor, PullPage, PulledRecord } from '../sdk/index.js';
import { ConnectorError } from '../sdk/index.js';
import { indexer, type WazuhContext } from './client.js';

export const WazuhCursor = z.object({ after: z.array(z.union([z.number(), z.string()])).length(2).optional() });

const Hit = z.object({
  _index: z.string(),
  _id: z.string(),
  _source: z.record(z.string(), z.unknown()),
  sort: z.array(z.union([z.number(), z.string()])).length(2),
});
const SearchAnswer = z.object({ hits: z.object({ hits: z.array(Hit) }) });

/** The query body of one page: the first reaches back `lookback`; none reaches past `now - settle`. */
export function searchBody(size: number, lookback: string, settle: string, after: (number | string)[] | undefined): Record<string, unknown> {
  const range: Record<string, string> = {};
  if (!after) range['gte'] = `now-${lookback}`;
  if (!/^0+[smh]$/.test(settle)) range['lte'] = `now-${settle}`;
  return {
    size,
    sort: [{ timestamp: { order: 'asc' } }, { id: { order: 'asc' } }],
    track_total_hits: false,
    query: Object.keys(range).length ? { range: { timestamp: range } } : { match_all: {} },
    ...(after ? { search_after: after } : {}),
  };
}

export async function pullAlerts(ctx: WazuhContext, raw: Cursor | null): Promise<PullPage> {
  const parsed = WazuhCursor.safeParse(raw ?? {});
  if (!parsed.success) throw new ConnectorError('config', `the stored Wazuh cursor is not one this connector wrote: ${parsed.error.issues[0]?.message ?? ''}`, { connector: ctx.name });
  const { after } = parsed.data;
  const s = ctx.settings;
  const path = `/${s.indexPattern}/_search`;
  const res = await indexer(ctx, { method: 'POST', path, json: searchBody(s.pageSize, s.lookback, s.settle, after) });
  const answer = SearchAnswer.safeParse(res.body);
  if (!answer.success) {
    const issue = answer.error.issues[0];
    throw new ConnectorError('protocol', `the search answer is not OpenSearch hits with sort values: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`, {
      connector: ctx.name,
      request: `POST ${path}`,
    });
  }
  const hits = answer.data.hits.hits;
  const records: PulledRecord[] = hits.map((hit) => {
    const id = typeof hit._source['id'] === 'string' ? hit._source['id'] : hit._id;
    return { id, raw: hit as Record<string, unknown> };
  });
  const last = hits.at(-1);
  return { records, cursor: last ? { after: last.sort } : after ? { after } : {}, done: hits.length < s.pageSize };
}
