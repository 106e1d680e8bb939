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
  // One read transaction: the three reads size their arrays by counts, so they must see the same rows.
  const { entities, m, links } = db.transaction(() => {
    const entities = caseEntities(store, caseId);
    const m = caseMembers(store, caseId);
    return { entities, m, links: memberEntities(store, caseId, m, entities) };
  }).deferred();
  const n = m.rowid.length;

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

  const countOf = new Int32Array(entities.size);
  const formatsOf = new Int32Array(entities.size);
  const formatSets = new FormatSets(m.formats.length);
  store.write(() => {
    db.prepare("DELETE FROM incidents WHERE case_id = ? AND origin = 'grouped'").run(caseId);
    for (const group of groups.values()) {
      const formats: Record<string, number> = {};
      for (const i of group) formats[m.formats[m.format[i]!]!] = (formats[m.formats[m.format[i]!]!] ?? 0) + 1;
      // Canonical values of this incident's entities, read once each; nothing is kept from one incident to the next.
      const names = new Map<number, string>();
      const canonical = (e: number) => {
        let c = names.get(e);
        if (c === undefined) names.set(e, (c = entities.canonical(e)));
        return c;
      };
      let alertCount = 0;
      let risk = 0;
      let topAlert = -1;
      // The group's entities in the order they first appear, with per-entity counts and format sets in case-wide
      // arrays (reset below): the largest group may hold a third of the case, and a Map and a Set per entity for it
      // weighed more than everything else the regroup holds.
      const seen: number[] = [];
      for (const i of group) {
        if (m.alert[i]) {
          alertCount++;
          if (topAlert < 0 || m.risk[i]! > m.risk[topAlert]!) topAlert = i;
        }
        risk = Math.max(risk, m.risk[i]!);
        for (let k = links.start[i]!; k < links.start[i + 1]!; k++) {
          const e = links.entity[k]!;
          if (countOf[e]!++ === 0) seen.push(e);
          formatsOf[e] = formatSets.with(formatsOf[e]!, m.format[i]!);
        }
      }
      const linking = seen
        .filter((e) => countOf[e]! > 1 && entities.linkable[e])
        .sort((a, b) => formatSets.size(formatsOf[b]!) - formatSets.size(formatsOf[a]!) || countOf[b]! - countOf[a]!);
      const first = group[0]!;
      const last = group[group.length - 1]!;
      const level: Level = levelFromRisk(risk);
      const topHost = linking.find((e) => entities.type(e) === 'host');
      const sources = Object.keys(formats);
      const title = topAlert >= 0
        ? (eventText.get(m.rowid[topAlert]) as { title: string }).title
        : `Correlated activity${topHost ? ` on ${canonical(topHost)}` : ''} across ${sources.join(' and ')}`;
      const span = (i: number) => new Date(m.t[i]!).toISOString();
      const rationale = [
        ...linking.slice(0, 8).map((e) => {
          const via = formatSets.codes(formatsOf[e]!).map((f) => m.formats[f]!).sort();
          return `${entities.type(e)} ${canonical(e)} is shared by ${countOf[e]} records${via.length > 1 ? ` across ${via.join(', ')}` : ` (${via[0]})`}`;
        }),
        `linked records are at most ${Math.round(windowMs / 60000)} min apart; span ${span(first)} – ${span(last)}`,
      ];
      const listed = seen
        .filter((e) => entities.type(e) !== 'process' && entities.type(e) !== 'url')
        .sort((a, b) => countOf[b]! - countOf[a]!)
        .map((e) => ({ type: entities.type(e), canonical: canonical(e), count: countOf[e]! }));
      for (const e of seen) countOf[e] = formatsOf[e] = 0;
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

/**
 * Sets of format codes, each interned as a number (0 is the empty set), so an entity's set of sources is one Int32
 * whatever the number of formats: a case has a handful of distinct sets, shared by all its entities.
 */
class FormatSets {
  private readonly sets: number[][] = [[]];
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly added = new Map<number, number>();

  /** `codeCount` is how many format codes there are (codes are 0 … codes - 1). */
  constructor(private readonly codeCount: number) {}

  /** The set `id` with `code` added. */
  with(id: number, code: number): number {
    const step = id * this.codeCount + code;
    let next = this.added.get(step);
    if (next === undefined) {
      const codes = this.sets[id]!.includes(code) ? this.sets[id]! : [...this.sets[id]!, code].sort((a, b) => a - b);
      const key = codes.join(',');
      next = this.ids.get(key);
      if (next === undefined) this.ids.set(key, (next = this.sets.push(codes) - 1));
      this.added.set(step, next);
    }
    return next;
  }

  size(id: number): number {
    return this.sets[id]!.length;
  }

  codes(id: number): readonly number[] {
    return this.sets[id]!;
  }
}

/** The case's entities by a dense index: type, whether it links records, and a short host name resolved to its FQDN. */
function caseEntities(store: Store, caseId: string) {
  const db = store.db;
  // Streamed, not `.all()`: one array per row for a million entities weighed a hundred MB before the first record.
  const { count, maxRowid } = db
    .prepare('SELECT count(*) AS count, coalesce(max(rowid), 0) AS maxRowid FROM entities WHERE case_id = ?')
    .get(caseId) as { count: number; maxRowid: number };
  // Row ids to dense indexes in a flat array, not a Map: a case may have a million entities.
  const indexOf = new Int32Array(maxRowid + 1).fill(-1);
  const rowids = new Float64Array(count);
  const types: string[] = [];
  const typeCode = new Uint8Array(count);
  const linkableFlag = new Uint8Array(count);
  // Canonical values are kept only for hosts (to resolve short names); others are read back when an incident needs them.
  const hosts = new Map<number, string>();
  const shortToFqdn = new Map<string, number[]>();
  const rows = db.prepare('SELECT rowid, type, canonical FROM entities WHERE case_id = ?').raw().iterate(caseId) as IterableIterator<[number, string, string]>;
  let i = 0;
  for (const [rowid, type, canonical] of rows) {
    indexOf[rowid] = i;
    rowids[i] = rowid;
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
    i++;
  }
  // A short host name means its FQDN only when the case knows exactly one FQDN with that first label.
  const resolved = Int32Array.from({ length: count }, (_, i) => i);
  for (const [i, canonical] of hosts) {
    const fqdns = canonical.includes('.') ? undefined : shortToFqdn.get(canonical);
    if (fqdns?.length === 1) resolved[i] = fqdns[0]!;
  }
  const text = db.prepare('SELECT canonical FROM entities WHERE rowid = ?').pluck();
  return {
    size: count,
    indexOf,
    resolved,
    linkable: linkableFlag,
    type: (i: number) => types[typeCode[i]!]!,
    /** Read back on demand (hosts excepted): callers keep what they need for one incident, not the whole case. */
    canonical: (i: number): string => hosts.get(i) ?? (text.get(rowids[i]) as string),
  };
}

/**
 * The case's records in time order (ties by id), as parallel typed arrays: a million records cost about 30 MB here,
 * where arrays of JS numbers and one object per record cost several times that.
 */
function caseMembers(store: Store, caseId: string) {
  const db = store.db;
  const n = (db.prepare('SELECT count(*) FROM events WHERE case_id = ?').pluck().get(caseId) as number);
  const rowid = new Float64Array(n);
  const t = new Float64Array(n);
  const alert = new Uint8Array(n);
  const format = new Int32Array(n);
  const risk = new Float64Array(n);
  const formats: string[] = [];
  const codes = new Map<string, number>();
  // In index order (case, ts, rowid); records with the same time are put in id order as a run. Rows are written as
  // they come and only a run of equal times is reordered, by its ids (the only strings held, one run at a time).
  let runStart = 0;
  let runIds: string[] = [];
  const flush = (end: number) => {
    if (end - runStart > 1) {
      const order = runIds.map((_, k) => k).sort((a, b) => (runIds[a]! < runIds[b]! ? -1 : runIds[a]! > runIds[b]! ? 1 : 0));
      for (const column of [rowid, t, alert, format, risk]) {
        const copy = column.slice(runStart, end);
        order.forEach((from, to) => (column[runStart + to] = copy[from]!));
      }
    }
    runStart = end;
    runIds = [];
  };
  const rows = db
    .prepare('SELECT rowid, id, ts, kind, format, risk FROM events INDEXED BY events_by_time WHERE case_id = ? ORDER BY ts')
    .raw()
    .iterate(caseId) as IterableIterator<[number, string, string, string, string, number | null]>;
  let lastTs = '';
  let i = 0;
  for (const [id_, id, ts, kind, fmt, r] of rows) {
    if (ts !== lastTs) flush(i);
    lastTs = ts;
    let code = codes.get(fmt);
    if (code === undefined) codes.set(fmt, (code = formats.push(fmt) - 1));
    rowid[i] = id_;
    t[i] = Date.parse(ts);
    alert[i] = kind === 'alert' ? 1 : 0;
    format[i] = code;
    risk[i] = r ?? 0;
    runIds.push(id);
    i++;
  }
  flush(i);
  return { rowid, t, alert, format, risk, formats };
}

/**
 * Each record's entities (short host names resolved, each entity once whatever its roles) as one flat list with
 * offsets: the entities of record i are entity[start[i]] … entity[start[i + 1] - 1].
 *
 * The links (about four per record) are read once, in index order, so each record's links arrive together and are
 * deduplicated as they are appended to one typed array; records whose order differs from the index order (equal
 * times, ordered by id) are then moved to their place. No per-link JS array is built.
 */
function memberEntities(store: Store, caseId: string, m: ReturnType<typeof caseMembers>, entities: ReturnType<typeof caseEntities>) {
  const n = m.rowid.length;
  let maxRowid = 0;
  for (let i = 0; i < n; i++) maxRowid = Math.max(maxRowid, m.rowid[i]!);
  const position = new Int32Array(maxRowid + 1);
  for (let i = 0; i < n; i++) position[m.rowid[i]!] = i;
  // ORDER BY is what the index gives anyway (no sort); it is written so that a record's links are adjacent.
  const pairs = store.db
    .prepare(
      `SELECT e.rowid, en.rowid FROM events e INDEXED BY events_by_time JOIN event_entities ee ON ee.event_id = e.id
       JOIN entities en ON en.id = ee.entity_id WHERE e.case_id = ? ORDER BY e.ts, e.rowid`,
    )
    .raw()
    .iterate(caseId) as IterableIterator<[number, number]>;
  // Each record's run of links in read order: where it starts in `read`, and how many (after dedup).
  const from = new Int32Array(n);
  const length = new Int32Array(n);
  let read = new Int32Array(Math.max(1024, n * 4));
  let w = 0;
  let current = -1;
  let currentStart = 0;
  for (const [eventRowid, entityRowid] of pairs) {
    const i = position[eventRowid]!;
    if (i !== current) {
      if (current >= 0) length[current] = w - currentStart;
      current = i;
      currentStart = w;
      from[i] = w;
    }
    const e = entities.resolved[entities.indexOf[entityRowid]!]!;
    // One entity may be linked in several roles, or as a short and a full name: keep its first place only.
    let seen = false;
    for (let k = currentStart; k < w && !seen; k++) seen = read[k] === e;
    if (seen) continue;
    if (w === read.length) {
      const grown = new Int32Array(Math.ceil(read.length * 1.5));
      grown.set(read);
      read = grown;
    }
    read[w++] = e;
  }
  if (current >= 0) length[current] = w - currentStart;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + length[i]!;
  const entity = new Int32Array(w);
  for (let i = 0; i < n; i++) entity.set(read.subarray(from[i]!, from[i]! + length[i]!), start[i]!);
  return { start, entity };
}
