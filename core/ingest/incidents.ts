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

interface Member {
  id: string;
  t: number;
  kind: 'alert' | 'event';
  format: string;
  risk: number;
  title: string;
  entities: string[];
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
 */
export function regroupIncidents(store: Store, caseId: string, options: GroupingOptions): GroupingResult {
  const windowMs = options.windowMs ?? 60 * 60 * 1000;
  const db = store.db;
  const rows = db
    .prepare(
      `SELECT e.id, e.ts, e.kind, e.format, e.risk, e.title, en.type, en.canonical
       FROM events e LEFT JOIN event_entities ee ON ee.event_id = e.id LEFT JOIN entities en ON en.id = ee.entity_id
       WHERE e.case_id = ? ORDER BY e.ts, e.id`,
    )
    .raw()
    .iterate(caseId) as IterableIterator<[string, string, 'alert' | 'event', string, number, string, string | null, string | null]>;

  const members: Member[] = [];
  const shortToFqdn = new Map<string, Set<string>>();
  for (const [id, ts, kind, format, risk, title, type, canonical] of rows) {
    let m = members[members.length - 1];
    if (!m || m.id !== id) {
      m = { id, t: Date.parse(ts), kind, format, risk: risk ?? 0, title, entities: [] };
      members.push(m);
    }
    if (type && canonical) {
      m.entities.push(`${type}:${canonical}`);
      if (type === 'host' && canonical.includes('.')) {
        const short = canonical.split('.')[0]!;
        let set = shortToFqdn.get(short);
        if (!set) shortToFqdn.set(short, (set = new Set()));
        set.add(canonical);
      }
    }
  }
  // A short host name means its FQDN only when the case knows exactly one FQDN with that first label.
  const resolve = (key: string) => {
    if (!key.startsWith('host:') || key.includes('.')) return key;
    const fqdns = shortToFqdn.get(key.slice(5));
    return fqdns && fqdns.size === 1 ? `host:${[...fqdns][0]}` : key;
  };

  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const lastSeen = new Map<string, { index: number; t: number }>();
  members.forEach((m, i) => {
    m.entities = [...new Set(m.entities.map(resolve))];
    for (const key of m.entities) {
      const sep = key.indexOf(':');
      if (!linkable(key.slice(0, sep), key.slice(sep + 1))) continue;
      const seen = lastSeen.get(key);
      if (seen && m.t - seen.t <= windowMs) parent[find(i)] = find(seen.index);
      lastSeen.set(key, { index: i, t: m.t });
    }
  });

  const components = new Map<number, number[]>();
  members.forEach((_, i) => {
    const root = find(i);
    let list = components.get(root);
    if (!list) components.set(root, (list = []));
    list.push(i);
  });

  const insertIncident = db.prepare(
    `INSERT INTO incidents (id, case_id, title, status, risk, level, rationale, created_at, updated_at, origin, first_ts, last_ts, summary, detail)
     VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, 'grouped', ?, ?, ?, ?)`,
  );
  const insertMember = db.prepare('INSERT INTO incident_members (incident_id, event_id) VALUES (?, ?)');
  let incidents = 0;
  let memberCount = 0;

  store.write(() => {
    db.prepare("DELETE FROM incidents WHERE case_id = ? AND origin = 'grouped'").run(caseId);
    for (const list of components.values()) {
      const group = list.map((i) => members[i]!);
      const formats = countBy(group.map((m) => m.format));
      const alerts = group.filter((m) => m.kind === 'alert');
      if (group.length < 2 || (alerts.length === 0 && Object.keys(formats).length < 2)) continue;

      const entityCounts = new Map<string, number>();
      const entityFormats = new Map<string, Set<string>>();
      for (const m of group) {
        for (const key of m.entities) {
          entityCounts.set(key, (entityCounts.get(key) ?? 0) + 1);
          let set = entityFormats.get(key);
          if (!set) entityFormats.set(key, (set = new Set()));
          set.add(m.format);
        }
      }
      const linking = [...entityCounts.entries()]
        .filter(([key, n]) => n > 1 && linkable(key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)))
        .sort((a, b) => entityFormats.get(b[0])!.size - entityFormats.get(a[0])!.size || b[1] - a[1]);
      const first = group[0]!;
      const last = group[group.length - 1]!;
      const risk = Math.max(...group.map((m) => m.risk));
      const level: Level = levelFromRisk(risk);
      const topAlert = [...alerts].sort((a, b) => b.risk - a.risk)[0];
      const topHost = linking.find(([k]) => k.startsWith('host:'))?.[0].slice(5);
      const title = topAlert?.title ?? `Correlated activity${topHost ? ` on ${topHost}` : ''} across ${Object.keys(formats).join(' and ')}`;
      const rationale = [
        ...linking.slice(0, 8).map(([key, n]) => {
          const via = [...entityFormats.get(key)!].sort();
          return `${key.replace(':', ' ')} is shared by ${n} records${via.length > 1 ? ` across ${via.join(', ')}` : ` (${via[0]})`}`;
        }),
        `linked records are at most ${Math.round(windowMs / 60000)} min apart; span ${new Date(first.t).toISOString()} – ${new Date(last.t).toISOString()}`,
      ];
      const entities = [...entityCounts.entries()]
        .filter(([key]) => !key.startsWith('process:') && !key.startsWith('url:'))
        .sort((a, b) => b[1] - a[1])
        .map(([key, count]) => ({ type: key.slice(0, key.indexOf(':')), canonical: key.slice(key.indexOf(':') + 1), count }));
      const id = `inc_${createHash('sha256').update(`${caseId}\0grouped\0${first.id}`).digest('hex').slice(0, 32)}`;
      insertIncident.run(
        id, caseId, title, risk, level, JSON.stringify(rationale), options.at, options.at,
        new Date(first.t).toISOString(), new Date(last.t).toISOString(),
        `${group.length} records (${alerts.length} alerts) from ${Object.keys(formats).length} source(s)`,
        JSON.stringify({ entities, formats }),
      );
      for (const m of group) insertMember.run(id, m.id);
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

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
