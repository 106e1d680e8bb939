import { QuellError } from '../api/index.js';
import type { EventRow, Graph, GraphEdge, GraphNode, GraphNodeType } from '../model/index.js';
import type { Store } from '../store/index.js';
import { buildCaseGraph } from './build.js';
import { deriveRecord } from './derive.js';
import { GraphAccumulator } from './elements.js';
import { hostContext } from './hosts.js';
import { caseRecords, newReadStats, type ReadStats } from './read.js';
import { capGraph, filterGraph, groupLeaves, groupMembers, sortGraph } from './shape.js';

// The graph commands' work, over the store. Each builds the case graph afresh: the case database is the one source
// of truth and a build of a 1,700-record case takes well under a second (see the report for caching later).

export const DEFAULT_GROUP_LEAVES_ABOVE = 25;

export interface CaseGraphQuery {
  from?: string | undefined;
  to?: string | undefined;
  types?: GraphNodeType[] | undefined;
  limit: number;
  groupLeavesAbove?: number | undefined;
  pageSize?: number;
}

export function caseGraph(store: Store, caseId: string, q: CaseGraphQuery): Graph & { truncated: boolean; stats: ReadStats } {
  const built = buildCaseGraph(store, caseId, { from: q.from, to: q.to, ...(q.pageSize ? { pageSize: q.pageSize } : {}) });
  const filtered = filterGraph(built.graph, { types: q.types });
  const grouped = groupLeaves(filtered, q.groupLeavesAbove ?? DEFAULT_GROUP_LEAVES_ABOVE);
  const { graph, truncated } = capGraph(grouped, q.limit);
  return { ...sortGraph(graph), truncated, stats: built.stats };
}

export function neighbors(
  store: Store,
  caseId: string,
  nodeId: string,
  q: { types?: GraphNodeType[] | undefined; limit: number },
): { node: GraphNode; nodes: GraphNode[]; edges: GraphEdge[]; truncated: boolean } {
  const { graph } = buildCaseGraph(store, caseId);
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) throw unknownNode(caseId, nodeId);
  const around = subgraph(graph, [nodeId], q.types);
  const others = around.nodes.filter((n) => n.id !== nodeId);
  const { graph: capped, truncated } = capGraph({ nodes: others, edges: around.edges }, q.limit);
  const kept = new Set([nodeId, ...capped.nodes.map((n) => n.id)]);
  const edges = around.edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  return { node, ...sortGraph({ nodes: capped.nodes, edges }), truncated };
}

/**
 * Where an investigation starts: an alert (or any record) with the nodes it names and their neighbours, or the
 * nodes whose label or id contains a search text, with theirs.
 */
export function startGraph(
  store: Store,
  caseId: string,
  q: { eventId?: string | undefined; query?: string | undefined; limit: number },
): Graph & { seeds: string[]; truncated: boolean } {
  const { graph } = buildCaseGraph(store, caseId);
  let seeds: string[];
  if (q.eventId !== undefined) {
    const ctx = hostContext(store, caseId, {}, newReadStats());
    const own = new GraphAccumulator();
    let found = false;
    for (const r of caseRecords(store, caseId, { eventId: q.eventId })) {
      deriveRecord(r, own, ctx);
      found = true;
    }
    if (!found) throw new QuellError('not_found', `No record ${q.eventId} in case ${caseId}.`, { details: { caseId, eventId: q.eventId } });
    // An alert is the centre of its own picture; a plain record is represented by what it names.
    const alertId = `alert:${q.eventId}`;
    seeds = own.hasNode(alertId) ? [alertId] : own.nodeList().filter((n) => n.type !== 'incident').map((n) => n.id);
  } else {
    const text = (q.query ?? '').trim().toLowerCase();
    seeds = graph.nodes.filter((n) => n.label.toLowerCase().includes(text) || n.id.toLowerCase().includes(text)).map((n) => n.id);
    if (!seeds.length) throw new QuellError('not_found', `No node of case ${caseId} matches "${q.query}".`, { details: { caseId, query: q.query } });
  }
  const around = subgraph(graph, seeds);
  const seedSet = new Set(seeds);
  // Seeds are never cut: the cap applies to their neighbours.
  const rest = capGraph({ nodes: around.nodes.filter((n) => !seedSet.has(n.id)), edges: [] }, Math.max(0, q.limit - seeds.length));
  const kept = new Set([...seeds, ...rest.graph.nodes.map((n) => n.id)]);
  const nodes = around.nodes.filter((n) => kept.has(n.id));
  const edges = around.edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  return { ...sortGraph({ nodes, edges }), seeds: [...seeds].sort(), truncated: rest.truncated };
}

/**
 * The records behind one node or edge, as event.list rows, oldest first. A group node (groupLeaves) has the records
 * of all its leaves, and an edge to or from one those of the edges it merged.
 */
export function elementRecords(
  store: Store,
  caseId: string,
  elementId: string,
  q: { limit: number; offset: number },
): { rows: EventRow[]; total: number } {
  const parts = groupedParts(store, caseId, elementId);
  if (parts?.length === 0) throw unknownNode(caseId, elementId);
  const built = buildCaseGraph(store, caseId, { collect: new Set(parts ?? [elementId]) });
  if (!parts) {
    const known = built.graph.nodes.some((n) => n.id === elementId) || built.graph.edges.some((e) => e.id === elementId);
    if (!known) throw unknownNode(caseId, elementId);
  }
  const ids = [...new Set((parts ?? [elementId]).flatMap((id) => built.acc.allEventIds(id)))];
  return { rows: store.read(() => store.events.rowsByIds(caseId, ids, q.limit, q.offset)), total: ids.length };
}

/**
 * The plain elements behind a group node or an edge that touches one (`type:group:…->x`), from a build of the case
 * graph; undefined for any other id.
 */
function groupedParts(store: Store, caseId: string, id: string): string[] | undefined {
  const arrow = id.indexOf('->');
  const isGroup = id.startsWith('group:');
  const edgeType = arrow > 0 ? id.slice(0, id.indexOf(':')) : '';
  const [source, target] = arrow > 0 ? [id.slice(edgeType.length + 1, arrow), id.slice(arrow + 2)] : ['', ''];
  if (!isGroup && !source.startsWith('group:') && !target.startsWith('group:')) return undefined;
  const { graph } = buildCaseGraph(store, caseId);
  if (isGroup) return groupMembers(graph, id);
  const sources = new Set(groupMembers(graph, source) ?? [source]);
  const targets = new Set(groupMembers(graph, target) ?? [target]);
  return graph.edges.filter((e) => e.type === edgeType && sources.has(e.source) && targets.has(e.target)).map((e) => e.id);
}

/** The nodes around `seeds` (one hop) and every edge among them; `types` filters the neighbours, not the seeds. */
function subgraph(graph: Graph, seeds: string[], types?: GraphNodeType[]): Graph {
  const seedSet = new Set(seeds);
  const allowed = types?.length ? new Set<string>(types) : undefined;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const kept = new Set(seeds);
  for (const e of graph.edges) {
    for (const [from, to] of [[e.source, e.target], [e.target, e.source]] as const) {
      if (seedSet.has(from) && (!allowed || allowed.has(byId.get(to)!.type))) kept.add(to);
    }
  }
  return {
    nodes: [...kept].map((id) => byId.get(id)!).filter(Boolean),
    edges: graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target) && (seedSet.has(e.source) || seedSet.has(e.target))),
  };
}

const unknownNode = (caseId: string, id: string) =>
  new QuellError('not_found', `No node or edge ${id} in the graph of case ${caseId}.`, { details: { caseId, id } });
