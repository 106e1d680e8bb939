import type { NormalizedEvent } from '../model/index.js';
import type { Store } from '../store/index.js';

export interface CaseRecord {
  id: string;
  ts: string;
  kind: 'alert' | 'event';
  doc: NormalizedEvent;
  /** The untouched original, parsed when it is JSON (Zeek TSV lines stay text). */
  original: unknown;
  /** Incidents this record is a member of. */
  incidents: string[];
}

export interface ReadOptions {
  from?: string | undefined;
  to?: string | undefined;
  /** Records per page; the graph never holds more than one page of records. */
  pageSize?: number;
  /** An extra SQL condition on `e` (fixed text from this folder, never user input). */
  where?: string;
  /** Only this record. */
  eventId?: string;
}

/** What a walk over the case read, for callers (and tests) that check it paged rather than loaded everything. */
export interface ReadStats {
  records: number;
  pages: number;
  largestPage: number;
}

export const newReadStats = (): ReadStats => ({ records: 0, pages: 0, largestPage: 0 });

/**
 * A case's records, page by page in rowid order (keyset paging: each page is one indexed range read, and no
 * statement stays open between pages, so a million-record case costs one page of memory).
 */
export function* caseRecords(store: Store, caseId: string, options: ReadOptions = {}, stats: ReadStats = newReadStats()): Generator<CaseRecord> {
  const pageSize = options.pageSize ?? 1000;
  const where = ['e.case_id = ?', 'e.rowid > ?'];
  const params: unknown[] = [];
  if (options.from) {
    where.push('e.ts >= ?');
    params.push(options.from);
  }
  if (options.to) {
    where.push('e.ts <= ?');
    params.push(options.to);
  }
  if (options.eventId !== undefined) {
    where.push('e.id = ?');
    params.push(options.eventId);
  }
  if (options.where) where.push(`(${options.where})`);
  const page = store.db.prepare(
    `SELECT e.rowid AS rid, e.id, e.ts, e.kind, e.doc, e.original,
       (SELECT group_concat(m.incident_id, ' ') FROM incident_members m WHERE m.event_id = e.id) AS incidents
     FROM events e WHERE ${where.join(' AND ')} ORDER BY e.rowid LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = store.read(() => page.all(caseId, after, ...params, pageSize)) as {
      rid: number; id: string; ts: string; kind: 'alert' | 'event'; doc: string; original: string; incidents: string | null;
    }[];
    if (!rows.length) return;
    stats.pages++;
    stats.records += rows.length;
    stats.largestPage = Math.max(stats.largestPage, rows.length);
    after = rows[rows.length - 1]!.rid;
    for (const r of rows) {
      let original: unknown = r.original;
      try {
        original = JSON.parse(r.original);
      } catch {
        /* not JSON: kept as text */
      }
      yield { id: r.id, ts: r.ts, kind: r.kind, doc: JSON.parse(r.doc) as NormalizedEvent, original, incidents: r.incidents ? r.incidents.split(' ') : [] };
    }
    if (rows.length < pageSize) return;
  }
}

/**
 * The event data of a Windows record as one flat object, whichever way it was shipped: NXLog/Sentinel columns at
 * the top level, evtx_dump under `Event.EventData`, Sentinel's `EventData_dynamic` as an object or JSON text. The
 * graph needs a few fields the normalised document has no place for (TargetProcessGUID, LogonType, LogonId).
 */
export function windowsData(original: unknown): Record<string, unknown> {
  if (!isObject(original)) return {};
  const out: Record<string, unknown> = {};
  let dynamic = original.EventData_dynamic;
  if (typeof dynamic === 'string') {
    try {
      dynamic = JSON.parse(dynamic);
    } catch {
      dynamic = undefined;
    }
  }
  if (isObject(dynamic)) Object.assign(out, dynamic);
  const evtx = isObject(original.Event) ? original.Event.EventData : undefined;
  if (isObject(evtx)) {
    for (const [k, v] of Object.entries(evtx)) if (k !== '#attributes') out[k] = isObject(v) && '#text' in v ? v['#text'] : v;
  }
  Object.assign(out, original);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field of Windows event data as trimmed text; `-` and blanks count as absent, as Windows writes them. */
export function field(data: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = data[n];
    const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (t && t !== '-') return t;
  }
  return undefined;
}
