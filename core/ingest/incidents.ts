import { createHash } from 'node:crypto';
import type { Actor, Level } from '../model/index.js';
import type { Store } from '../store/index.js';
import { levelFromRisk } from './severity.js';

export interface GroupingOptions {
  /** Two records sharing an entity are linked when at most this far apart. */
  windowMs?: number;
  at: string;
  actor: Actor;
}

const LINKABLE = new Set(['host', 'user', 'ip', 'domain', 'hash', 'url']);

/**
 * Accounts present on every Windows host, addresses that every host has: sharing them says nothing about an attack,
 * so they never link records (they are still listed among an incident's entities).
 */
function linkable(type: string, canonical: string): boolean {
  if (!LINKABLE.has(type)) return false;
  if (type === 'user') {
    return !/(^|\\)(system|local service|network service|anonymous logon|dwm-\d+|umfd-\d+)$/.test(canonical) &&
      !/^sid:S-1-5-(18|19|20)$/.test(canonical);
  }
  if (type === 'ip') {
    return !/^(127\.|169\.254\.|22[4-9]\.|23\d\.|255\.255\.255\.255$)/.test(canonical) && canonical !== '::1' && !canonical.startsWith('fe80:') && !canonical.startsWith('ff0');
  }
  return true;
}

export interface GroupingResult {
  incidents: number;
  members: number;
}

/**
 * Rebuilds the grouped incidents of a case: records are linked when they share a host, user, IP, domain, hash or
 * URL within the window, and a linked set becomes an incident when it holds an alert or joins records from more
 * than one source (host and network telemetry). Ids derive from the earliest member, so regrouping is stable.
 * Imported incidents (Attack Discovery) are left as they are.
 *
 * A case may hold millions of records, so records and entities are held as numbers (row ids, codes) in flat arrays,
 * never as one object per record; strings are read back only for the incidents actually written.
 */
export function regroupIncidents(store: Store, caseId: string, options: GroupingOptions): GroupingResult {
  const windowMs = options.windowMs ?? 60 * 60 * 1000;
  const db = store.db;
  const entities = caseEntities(store, caseId);
  const m = caseMembers(store, caseId);
  const n = m.rowid.length;
  const links = memberEntities(store, caseId, m, entities);

  // Link each record to the previous record sharing a linkable entity, when close enough in time.
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const lastIndex = new Int32Array(entities.size).fill(-1);
  const lastT = new Float64Array(entities.size);
  for (let i = 0; i < n; i++) {
    const t = m.t[i]!;
    for (let k = links.start[i]!; k < links.start[i + 1]!; k++) {
      const e = links.entity[k]!;
      if (!entities.linkable[e]) continue;
      const seen = lastIndex[e]!;
      if (seen >= 0 && t - lastT[e]! <= windowMs) parent[find(i)] = find(seen);
      lastIndex[e] = i;
      lastT[e] = t;
    }
  }

  // Which linked sets are incidents: more than one record, and an alert or more than one source.
  const size = new Int32Array(n);
  const alerts = new Uint8Array(n);
  const firstFormat = new Int32Array(n).fill(-1);
  const mixed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    size[root]!++;
    if (m.alert[i]) alerts[root] = 1;
    if (firstFormat[root] === -1) firstFormat[root] = m.format[i]!;
    else if (firstFormat[root] !== m.format[i]) mixed[root] = 1;
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (size[root]! < 2 || (!alerts[root] && !mixed[root])) continue;
    let list = groups.get(root);
    if (!list) groups.set(root, (list = []));
    list.push(i);
  }

  const insertIncident = db.prepare(
    `INSERT INTO incidents (id, case_id, title, status, risk, level, rationale, created_at, updated_at, origin, first_ts, last_ts, summary, detail)
     VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, 'grouped', ?, ?, ?, ?)`,
  );
  const insertMember = db.prepare('INSERT INTO incident_members (incident_id, event_id) SELECT ?, id FROM events WHERE rowid = ?');
  const eventText = db.prepare('SELECT id, title FROM events WHERE rowid = ?');
  let incidents = 0;
  let memberCount = 0;

  store.write(() => {
    db.prepare("DELETE FROM incidents WHERE case_id = ? AND origin = 'grouped'").run(caseId);
    for (const group of groups.values()) {
      const formats: Record<string, number> = {};
      for (const i of group) formats[m.formats[m.format[i]!]!] = (formats[m.formats[m.format[i]!]!] ?? 0) + 1;
      const entityCounts = new Map<number, number>();
      const entityFormats = new Map<number, Set<number>>();
      let alertCount = 0;
      let risk = 0;
      let topAlert = -1;
      for (const i of group) {
        if (m.alert[i]) {
          alertCount++;
          if (topAlert < 0 || m.risk[i]! > m.risk[topAlert]!) topAlert = i;
        }
        risk = Math.max(risk, m.risk[i]!);
        for (let k = links.start[i]!; k < links.start[i + 1]!; k++) {
          const e = links.entity[k]!;
          entityCounts.set(e, (entityCounts.get(e) ?? 0) + 1);
          let set = entityFormats.get(e);
          if (!set) entityFormats.set(e, (set = new Set()));
          set.add(m.format[i]!);
        }
      }
      const key = (e: number) => `${entities.type(e)}:${entities.canonical(e)}`;
      const linking = [...entityCounts.entries()]
        .filter(([e, count]) => count > 1 && entities.linkable[e])
        .sort((a, b) => entityFormats.get(b[0])!.size - entityFormats.get(a[0])!.size || b[1] - a[1]);
      const first = group[0]!;
      const last = group[group.length - 1]!;
      const level: Level = levelFromRisk(risk);
      const topHost = linking.find(([e]) => entities.type(e) === 'host');
      const sources = Object.keys(formats);
      const title = topAlert >= 0
        ? (eventText.get(m.rowid[topAlert]) as { title: string }).title
        : `Correlated activity${topHost ? ` on ${entities.canonical(topHost[0])}` : ''} across ${sources.join(' and ')}`;
      const span = (i: number) => new Date(m.t[i]!).toISOString();
      const rationale = [
        ...linking.slice(0, 8).map(([e, count]) => {
          const via = [...entityFormats.get(e)!].map((f) => m.formats[f]!).sort();
          return `${entities.type(e)} ${entities.canonical(e)} is shared by ${count} records${via.length > 1 ? ` across ${via.join(', ')}` : ` (${via[0]})`}`;
        }),
        `linked records are at most ${Math.round(windowMs / 60000)} min apart; span ${span(first)} – ${span(last)}`,
      ];
      const listed = [...entityCounts.entries()]
        .filter(([e]) => entities.type(e) !== 'process' && entities.type(e) !== 'url')
        .sort((a, b) => b[1] - a[1])
        .map(([e, count]) => ({ type: entities.type(e), canonical: entities.canonical(e), count }));
      const firstId = (eventText.get(m.rowid[first]) as { id: string }).id;
      const id = `inc_${createHash('sha256').update(`${caseId}\0grouped\0${firstId}`).digest('hex').slice(0, 32)}`;
      insertIncident.run(
        id, caseId, title, risk, level, JSON.stringify(rationale), options.at, options.at, span(first), span(last),
        `${group.length} records (${alertCount} alerts) from ${sources.length} source(s)`,
        JSON.stringify({ entities: listed, formats }),
      );
      for (const i of group) insertMember.run(id, m.rowid[i]);
      incidents++;
      memberCount += group.length;
    }
    store.journal.append({
      at: options.at,
      caseId,
      actor: options.actor,
      action: 'incidents.regrouped',
      payload: { incidents, members: memberCount, windowMinutes: Math.round(windowMs / 60000) },
    });
  });
  return { incidents, members: memberCount };
}

/** The case's entities by a dense index: type, whether it links records, and a short host name resolved to its FQDN. */
function caseEntities(store: Store, caseId: string) {
  const rows = store.db.prepare('SELECT rowid, type, canonical FROM entities WHERE case_id = ?').raw().all(caseId) as [number, string, string][];
  // Row ids to dense indexes in a flat array, not a Map: a case may have a million entities.
  const maxRowid = rows.reduce((max, r) => Math.max(max, r[0]), 0);
  const indexOf = new Int32Array(maxRowid + 1).fill(-1);
  const types: string[] = [];
  const typeCode = new Uint8Array(rows.length);
  const linkableFlag = new Uint8Array(rows.length);
  // Canonical values are kept only for hosts (to resolve short names); others are read back when an incident needs them.
  const hosts = new Map<number, string>();
  const shortToFqdn = new Map<string, number[]>();
  rows.forEach(([rowid, type, canonical], i) => {
    indexOf[rowid] = i;
    let code = types.indexOf(type);
    if (code < 0) code = types.push(type) - 1;
    typeCode[i] = code;
    linkableFlag[i] = linkable(type, canonical) ? 1 : 0;
    if (type === 'host') {
      hosts.set(i, canonical);
      if (canonical.includes('.')) {
        const short = canonical.split('.')[0]!;
        const list = shortToFqdn.get(short);
        if (list) list.push(i);
        else shortToFqdn.set(short, [i]);
      }
    }
  });
  // A short host name means its FQDN only when the case knows exactly one FQDN with that first label.
  const resolved = Int32Array.from({ length: rows.length }, (_, i) => i);
  for (const [i, canonical] of hosts) {
    const fqdns = canonical.includes('.') ? undefined : shortToFqdn.get(canonical);
    if (fqdns?.length === 1) resolved[i] = fqdns[0]!;
  }
  const rowids = rows.map((r) => r[0]);
  const text = store.db.prepare('SELECT canonical FROM entities WHERE rowid = ?').pluck();
  const canonicals = new Map<number, string>();
  return {
    size: rows.length,
    indexOf,
    resolved,
    linkable: linkableFlag,
    type: (i: number) => types[typeCode[i]!]!,
    canonical: (i: number): string => {
      let c = hosts.get(i) ?? canonicals.get(i);
      if (c === undefined) canonicals.set(i, (c = text.get(rowids[i]) as string));
      return c;
    },
  };
}

/** The case's records in time order (ties by id), as parallel arrays. */
function caseMembers(store: Store, caseId: string) {
  const rowid: number[] = [];
  const t: number[] = [];
  const alert: number[] = [];
  const format: number[] = [];
  const risk: number[] = [];
  const formats: string[] = [];
  const codes = new Map<string, number>();
  // In index order (case, ts, rowid); records with the same time are put in id order as a run.
  let run: { rowid: number; id: string; t: number; alert: number; format: number; risk: number }[] = [];
  const flush = () => {
    if (run.length > 1) run.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const r of run) {
      rowid.push(r.rowid);
      t.push(r.t);
      alert.push(r.alert);
      format.push(r.format);
      risk.push(r.risk);
    }
    run = [];
  };
  const rows = store.db
    .prepare('SELECT rowid, id, ts, kind, format, risk FROM events INDEXED BY events_by_time WHERE case_id = ? ORDER BY ts')
    .raw()
    .iterate(caseId) as IterableIterator<[number, string, string, string, string, number | null]>;
  let lastTs = '';
  for (const [id_, id, ts, kind, fmt, r] of rows) {
    if (ts !== lastTs) flush();
    lastTs = ts;
    let code = codes.get(fmt);
    if (code === undefined) codes.set(fmt, (code = formats.push(fmt) - 1));
    run.push({ rowid: id_, id, t: Date.parse(ts), alert: kind === 'alert' ? 1 : 0, format: code, risk: r ?? 0 });
  }
  flush();
  return { rowid, t, alert, format, risk, formats };
}

/**
 * Each record's entities (short host names resolved, each entity once whatever its roles) as one flat list with
 * offsets: the entities of record i are entity[start[i]] … entity[start[i + 1] - 1].
 */
function memberEntities(store: Store, caseId: string, m: ReturnType<typeof caseMembers>, entities: ReturnType<typeof caseEntities>) {
  const n = m.rowid.length;
  const position = new Int32Array(m.rowid.reduce((max, r) => Math.max(max, r), 0) + 1);
  m.rowid.forEach((rowid, i) => (position[rowid] = i));
  const pairs = store.db
    .prepare(
      `SELECT e.rowid, en.rowid FROM events e JOIN event_entities ee ON ee.event_id = e.id JOIN entities en ON en.id = ee.entity_id
       WHERE e.case_id = ?`,
    )
    .raw()
    .iterate(caseId) as IterableIterator<[number, number]>;
  const memberOf: number[] = [];
  const entityOf: number[] = [];
  const count = new Int32Array(n + 1);
  for (const [eventRowid, entityRowid] of pairs) {
    const i = position[eventRowid]!;
    memberOf.push(i);
    entityOf.push(entities.resolved[entities.indexOf[entityRowid]!]!);
    count[i + 1]!++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i + 1]!;
  const entity = new Int32Array(memberOf.length);
  const fill = start.slice(0, n);
  for (let k = 0; k < memberOf.length; k++) entity[fill[memberOf[k]!]!++] = entityOf[k]!;
  // Dedup each record's list in place (one entity may be linked in several roles, or as a short and a full name),
  // keeping the order the links were read in.
  const out = new Int32Array(entity.length);
  const compactStart = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    compactStart[i] = w;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      let seen = false;
      for (let j = compactStart[i]!; j < w; j++) if (out[j] === entity[k]) seen = true;
      if (!seen) out[w++] = entity[k]!;
    }
  }
  compactStart[n] = w;
  return { start: compactStart, entity: out };
}
