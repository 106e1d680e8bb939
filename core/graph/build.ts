import { resolveAsset } from '../enrich/index.js';
import { canonicalDomain, canonicalHost, canonicalIp, canonicalUser } from '../ingest/index.js';
import type { Graph, GraphNodeType } from '../model/index.js';
import type { Store } from '../store/index.js';
import { deriveRecord } from './derive.js';
import { GraphAccumulator } from './elements.js';
import { hostContext } from './hosts.js';
import { caseRecords, newReadStats, type ReadStats } from './read.js';

export interface BuildOptions {
  from?: string | undefined;
  to?: string | undefined;
  /** Element ids whose supporting event ids are kept whole (graph.records pages through them). */
  collect?: ReadonlySet<string>;
  pageSize?: number;
}

export interface Built {
  graph: Graph;
  acc: GraphAccumulator;
  stats: ReadStats;
}

/**
 * The whole graph of a case (within a time window): two paged passes over its records (first what the hosts own
 * and who logged on remotely, then every record), then what is not in the records: incident titles, the assets
 * hosts and addresses resolve to, and entities an analyst added by hand.
 */
export function buildCaseGraph(store: Store, caseId: string, options: BuildOptions = {}): Built {
  const stats = newReadStats();
  const read = { from: options.from, to: options.to, ...(options.pageSize ? { pageSize: options.pageSize } : {}) };
  // The first pass reads few records and is not counted: `stats` describes the pass over every record.
  const ctx = hostContext(store, caseId, read, newReadStats());
  const acc = new GraphAccumulator(options.collect);
  for (const r of caseRecords(store, caseId, read, stats)) deriveRecord(r, acc, ctx);

  const incidents = store.read(
    () => store.db.prepare('SELECT id, title, risk, level, status FROM incidents WHERE case_id = ?').all(caseId) as {
      id: string; title: string; risk: number | null; level: string | null; status: string;
    }[],
  );
  for (const i of incidents) {
    const node = acc.getNode(`incident:${i.id}`);
    if (!node) continue;
    node.label = i.title;
    Object.assign(node.data, { risk: i.risk ?? 0, level: i.level ?? 'informational', status: i.status });
  }

  manualEntities(store, caseId, acc);
  assets(store, acc);
  return { graph: acc.graph(), acc, stats };
}

/** Entities with no record behind them were added by an analyst (entity.add): they are nodes too. */
function manualEntities(store: Store, caseId: string, acc: GraphAccumulator): void {
  const rows = store.read(
    () =>
      store.db
        .prepare(
          `SELECT type, value, canonical FROM entities en WHERE case_id = ? AND type IN ('host', 'user', 'ip', 'domain')
           AND NOT EXISTS (SELECT 1 FROM event_entities ee WHERE ee.entity_id = en.id) ORDER BY type, canonical`,
        )
        .all(caseId) as { type: 'host' | 'user' | 'ip' | 'domain'; value: string; canonical: string }[],
  );
  for (const r of rows) acc.node(r.type, r.canonical, r.value, { manual: true });
}

/** Hosts and addresses the inventory knows: `resolved_to` the asset (the blast radius starts there). */
function assets(store: Store, acc: GraphAccumulator): void {
  for (const node of acc.nodeList()) {
    if (node.type !== 'host' && node.type !== 'ip') continue;
    const value = node.id.slice(node.type.length + 1);
    const found = store.read(() => resolveAsset(store, { type: node.type as 'host' | 'ip', value }));
    if (found.status !== 'known' || !found.asset) continue;
    const a = found.asset;
    const asset = acc.node('asset', a.name.toLowerCase(), a.name, {
      kind: a.kind, source: a.source, site: a.site, tenant: a.tenant, owner: a.owner, criticality: a.criticality, role: a.role,
    });
    acc.edge('resolved_to', node.id, asset, undefined, { match: found.match });
  }
}

/** The node id an entity of `type` and `value` has in the graph, canonicalised as core/ingest does. */
export function entityNodeId(type: GraphNodeType, value: string): string | null {
  const c =
    type === 'host' ? canonicalHost(value) : type === 'user' ? canonicalUser(value) : type === 'ip' ? canonicalIp(value) : type === 'domain' ? canonicalDomain(value) : null;
  return c === null ? null : `${type}:${c}`;
}
