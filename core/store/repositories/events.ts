import { TextDecoder } from 'node:util';
import type { EventDetail, EventRow, IncidentSummary, QuarantinedRecord } from '../../model/index.js';
import type { Db } from '../open.js';

export interface EventQuery {
  caseId: string;
  kind?: 'alert' | 'event' | undefined;
  levels?: string[] | undefined;
  host?: string | undefined;
  user?: string | undefined;
  technique?: string | undefined;
  format?: string | undefined;
  ruleId?: string | undefined;
  tag?: string | undefined;
  text?: string | undefined;
  entity?: { type: string; canonical: string } | undefined;
  sort: 'ts' | 'risk';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

type EventRowDb = {
  id: string;
  case_id: string;
  kind: 'alert' | 'event';
  ts: string;
  format: string;
  title: string;
  host: string | null;
  user_name: string | null;
  techniques: string;
  tags: string;
  risk: number | null;
  level: string | null;
  file: string;
  line: number;
};

const ROW_COLUMNS = 'e.id, e.case_id, e.kind, e.ts, e.format, e.title, e.host, e.user_name, e.techniques, e.tags, e.risk, e.level, e.file, e.line';
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const strict = new TextDecoder('utf-8', { fatal: true });

function toRow(r: EventRowDb): EventRow {
  return {
    id: r.id as EventRow['id'],
    caseId: r.case_id as EventRow['caseId'],
    kind: r.kind,
    ts: r.ts,
    format: r.format,
    title: r.title,
    host: r.host,
    user: r.user_name,
    techniques: r.techniques ? r.techniques.split(' ') : [],
    tags: r.tags ? r.tags.slice(1, -1).split('\x1f') : [],
    risk: r.risk ?? 0,
    level: (r.level ?? 'informational') as EventRow['level'],
    file: r.file,
    line: r.line,
  };
}

/** Read side of imported evidence: the alert queue, the timeline, the detail drawer, quarantine and incidents. */
export class EventRepository {
  constructor(private readonly db: Db) {}

  /**
   * A case's alerts grouped by their exact technique list (few distinct lists even in a million alerts), for the
   * ATT&CK matrix to count without reading every row into JS.
   */
  /** How many alerts each rule raised in a case, for the alerts of one format (`sigma`): rule id → count. */
  alertsByRule(caseId: string, format: string): Record<string, number> {
    const rows = this.db
      .prepare("SELECT json_extract(doc, '$.rule.id') AS rule, count(*) AS n FROM events WHERE case_id = ? AND format = ? AND kind = 'alert' GROUP BY rule")
      .all(caseId, format) as { rule: string | null; n: number }[];
    return Object.fromEntries(rows.flatMap((r) => (r.rule === null ? [] : [[r.rule, r.n]])));
  }

  techniqueGroups(caseId: string): { techniques: string[]; alerts: number }[] {
    const rows = this.db
      .prepare("SELECT techniques, count(*) AS n FROM events WHERE case_id = ? AND kind = 'alert' AND techniques <> '' GROUP BY techniques")
      .all(caseId) as { techniques: string; n: number }[];
    return rows.map((r) => ({ techniques: r.techniques.split(' ').filter(Boolean), alerts: r.n }));
  }

  list(q: EventQuery): { rows: EventRow[]; total: number } {
    const where = ['e.case_id = ?'];
    const params: unknown[] = [q.caseId];
    if (q.kind) {
      where.push('e.kind = ?');
      params.push(q.kind);
    }
    if (q.levels?.length) {
      where.push(`e.level IN (${q.levels.map(() => '?').join(', ')})`);
      params.push(...q.levels);
    }
    if (q.host) {
      where.push("e.host LIKE ? ESCAPE '\\'");
      params.push(likeEscape(q.host));
    }
    if (q.user) {
      where.push("e.user_name LIKE ? ESCAPE '\\'");
      params.push(likeEscape(q.user));
    }
    if (q.technique) {
      // A parent technique matches its sub-techniques: T1003 finds T1003.001.
      where.push("(' ' || upper(e.techniques) || ' ') LIKE ? ESCAPE '\\'");
      params.push(`% ${q.technique.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (q.format) {
      where.push('e.format = ?');
      params.push(q.format);
    }
    if (q.ruleId) {
      where.push("json_extract(e.doc, '$.rule.id') = ?");
      params.push(q.ruleId);
    }
    if (q.tag) {
      where.push("lower(e.tags) LIKE ? ESCAPE '\\'");
      params.push(`%\x1f${q.tag.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}\x1f%`);
    }
    if (q.text?.trim()) {
      where.push('e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
      params.push(ftsQuery(q.text));
    }
    if (q.entity) {
      where.push(
        'e.id IN (SELECT ee.event_id FROM event_entities ee JOIN entities en ON en.id = ee.entity_id WHERE en.case_id = ? AND en.type = ? AND en.canonical = ?)',
      );
      params.push(q.caseId, q.entity.type, q.entity.canonical);
    }
    const clause = where.join(' AND ');
    const order = q.sort === 'risk' ? `e.risk ${q.order}, e.ts ${q.order}` : `e.ts ${q.order}, e.id ${q.order}`;
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM events e WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as EventRowDb[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM events e WHERE ${clause}`).get(...params) as { n: number }).n;
    return { rows: rows.map(toRow), total };
  }

  /** Rows of the given records of a case (the events behind a graph node or edge), oldest first. */
  rowsByIds(caseId: string, ids: readonly string[], limit: number, offset: number): EventRow[] {
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM events e WHERE e.case_id = ? AND e.id IN (SELECT value FROM json_each(?)) ORDER BY e.ts, e.id LIMIT ? OFFSET ?`)
      .all(caseId, JSON.stringify(ids), limit, offset) as EventRowDb[];
    return rows.map(toRow);
  }

  get(caseId: string, eventId: string): EventDetail | undefined {
    const row = this.db.prepare(`SELECT ${ROW_COLUMNS}, e.doc, e.original FROM events e WHERE e.case_id = ? AND e.id = ?`).get(caseId, eventId) as
      | (EventRowDb & { doc: string; original: string })
      | undefined;
    if (!row) return undefined;
    const entities = this.db
      .prepare(
        'SELECT DISTINCT en.type, en.value, en.canonical FROM event_entities ee JOIN entities en ON en.id = ee.entity_id WHERE ee.event_id = ? ORDER BY en.type, en.canonical',
      )
      .all(eventId) as EventDetail['entities'];
    let original: unknown = row.original;
    try {
      original = JSON.parse(row.original);
    } catch {
      /* Zeek TSV lines and the like stay text */
    }
    return { ...toRow(row), doc: JSON.parse(row.doc) as Record<string, unknown>, original, entities };
  }

  quarantine(caseId: string, limit: number, offset: number): { records: QuarantinedRecord[]; total: number; reasons: Record<string, number> } {
    const rows = this.db
      .prepare('SELECT id, import_id, file, line, reason, raw FROM quarantine WHERE case_id = ? ORDER BY file, line LIMIT ? OFFSET ?')
      .all(caseId, limit, offset) as { id: string; import_id: string; file: string; line: number; reason: string; raw: Buffer }[];
    const reasons: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT reason FROM quarantine WHERE case_id = ?').raw().iterate(caseId) as IterableIterator<[string]>) {
      const key = r[0].split(':')[0]!.trim();
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    const total = Object.values(reasons).reduce((a, b) => a + b, 0);
    return {
      total,
      reasons,
      records: rows.map((r) => {
        let raw: string;
        let rawEncoding: 'utf8' | 'base64' = 'utf8';
        try {
          raw = strict.decode(r.raw);
        } catch {
          raw = Buffer.from(r.raw).toString('base64');
          rawEncoding = 'base64';
        }
        return { id: r.id, importId: r.import_id, file: r.file, line: r.line, reason: r.reason, raw, rawEncoding };
      }),
    };
  }

  /** How many incidents the case has, without reading them (an import's summary needs only the number). */
  incidentCount(caseId: string): number {
    return this.db.prepare('SELECT count(*) FROM incidents WHERE case_id = ?').pluck().get(caseId) as number;
  }

  incidents(caseId: string): IncidentSummary[] {
    const rows = this.db
      .prepare(
        `SELECT i.*, (SELECT count(*) FROM incident_members m WHERE m.incident_id = i.id) AS members
         FROM incidents i WHERE i.case_id = ? ORDER BY i.risk DESC, i.first_ts`,
      )
      .all(caseId) as {
      id: string; title: string; origin: 'grouped' | 'imported'; status: string; risk: number | null; level: string | null;
      members: number; first_ts: string | null; last_ts: string | null; summary: string; rationale: string; detail: string;
    }[];
    return rows.map((r) => {
      const detail = JSON.parse(r.detail) as { entities?: IncidentSummary['entities']; formats?: Record<string, number>; memberAlertIds?: string[] };
      return {
        id: r.id,
        caseId: caseId as IncidentSummary['caseId'],
        title: r.title,
        origin: r.origin,
        status: r.status,
        risk: r.risk ?? 0,
        level: (r.level ?? 'informational') as IncidentSummary['level'],
        memberCount: r.origin === 'imported' ? (detail.memberAlertIds?.length ?? 0) : r.members,
        firstTs: r.first_ts,
        lastTs: r.last_ts,
        summary: r.summary,
        rationale: JSON.parse(r.rationale) as string[],
        entities: detail.entities ?? [],
        formats: detail.formats ?? {},
        externalMemberIds: detail.memberAlertIds ?? [],
      };
    });
  }
}

/** Each word of the user's text as a quoted FTS5 phrase, all required: no FTS syntax errors from user input. */
function ftsQuery(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .map((t) => `"${t.replace(/"/g, '""')}"`)
    .join(' ');
}
