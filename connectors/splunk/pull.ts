// The alert pull: one search job per catch-up, read page by page with offset/count.
//
// The cursor is a high-water mark, `_time` of the newest row stored plus the ids stored at exactly that time,
// and, while a job is being read, its sid and the next offset. The search runs from the mark (inclusive,
// `earliest_time` is epoch seconds) sorted by `_time` ascending, and rows at the mark that were already stored are
// dropped, so a resumed pull neither skips nor repeats, even when the job expired in between and a new one is
// dispatched from the mark.
import { z } from 'zod';
import type { Cursor, PullPage, PulledRecord } from '../sdk/index.js';
import { ConnectorError } from '../sdk/index.js';
import { ns, type SplunkContext } from './client.js';
import { cancelJob, dispatchSearch, isFailed, jobError, resultsPage, waitForJob } from './jobs.js';
import { epochSeconds, rowId, rowTimeMs } from './rows.js';

export const SplunkCursor = z.object({
  /** `_time` (epoch ms) of the newest row stored, and the ids stored at exactly that time. */
  mark: z.object({ timeMs: z.number(), ids: z.array(z.string()) }).optional(),
  /** The job being read and where its next page starts. */
  sid: z.string().optional(),
  offset: z.number().int().min(0).optional(),
});
export type SplunkCursor = z.infer<typeof SplunkCursor>;

/** The configured search, made to return rows oldest first so the high-water mark only moves forward. */
export function pullSearch(query: string): string {
  return `${query.trim()} | sort 0 _time`;
}

export async function pullAlerts(ctx: SplunkContext, raw: Cursor | null): Promise<PullPage> {
  const parsed = SplunkCursor.safeParse(raw ?? {});
  if (!parsed.success) throw new ConnectorError('config', `the stored Splunk cursor is not one this connector wrote: ${parsed.error.issues[0]?.message ?? ''}`, { connector: ctx.name });
  const cursor = parsed.data;
  const s = ctx.settings;
  const count = s.pageSize;

  let sid = cursor.sid;
  let offset = cursor.offset ?? 0;
  let rows: Record<string, unknown>[] | null = null;
  if (sid) rows = await resultsPage(ctx, ns(s, `/search/jobs/${encodeURIComponent(sid)}`), offset, count);
  if (rows === null) {
    // No job yet, or it expired (Splunk keeps a finished job ~10 minutes): a new one from the mark.
    sid = await dispatchSearch(ctx, ns(s, '/search/jobs'), {
      search: pullSearch(s.query),
      earliest_time: cursor.mark ? epochSeconds(cursor.mark.timeMs) : s.earliestTime,
      latest_time: s.latestTime,
    }, false);
    offset = 0;
    const jobPath = ns(s, `/search/jobs/${encodeURIComponent(sid)}`);
    const state = await waitForJob(ctx, jobPath, s.jobTimeoutMs);
    if (isFailed(state)) throw new ConnectorError('server', `the search job ${sid} failed: ${jobError(state)}`, { connector: ctx.name, request: `GET ${jobPath}` });
    rows = (await resultsPage(ctx, jobPath, 0, count)) ?? [];
  }

  const mark = cursor.mark ? { timeMs: cursor.mark.timeMs, ids: [...cursor.mark.ids] } : undefined;
  const seenAtMark = new Set(mark?.ids ?? []);
  const records: PulledRecord[] = [];
  let next = mark;
  for (const row of rows) {
    const id = rowId(row);
    const t = rowTimeMs(row);
    if (id === undefined || Number.isNaN(t)) {
      throw new ConnectorError('protocol', `result row ${offset + records.length} has no usable _time or id (event_id, _cd)`, { connector: ctx.name, request: `GET …/search/jobs/${sid ?? ''}/results` });
    }
    if (mark && (t < mark.timeMs || (t === mark.timeMs && seenAtMark.has(id)))) continue;
    records.push({ id, raw: row });
    if (!next || t > next.timeMs) next = { timeMs: t, ids: [id] };
    else if (t === next.timeMs && !next.ids.includes(id)) next.ids.push(id);
  }

  const done = rows.length < count;
  // The job is read to the end: free its results on the search head (they count against the user's disk quota).
  if (done && sid) await cancelJob(ctx, ns(s, `/search/jobs/${encodeURIComponent(sid)}`));
  const out: SplunkCursor = done ? {} : { sid: sid!, offset: offset + rows.length };
  if (next) out.mark = next;
  return { records, cursor: out, done };
}
