import type { Graph, GraphEdge, GraphEdgeType, GraphNode, GraphNodeType } from '../model/index.js';

// What keeps a large graph usable: filters, leaves grouped behind one node, a cap on nodes. Pure functions over
// element lists; nothing here reads the store.

export const GROUP_MEMBERS_CAP = 50;

export function filterGraph(graph: Graph, filter: { types?: readonly GraphNodeType[] | undefined; edgeTypes?: readonly GraphEdgeType[] | undefined }): Graph {
  const types = filter.types?.length ? new Set<string>(filter.types) : undefined;
  const edgeTypes = filter.edgeTypes?.length ? new Set<string>(filter.edgeTypes) : undefined;
  const nodes = types ? graph.nodes.filter((n) => types.has(n.type)) : graph.nodes;
  const kept = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target) && (!edgeTypes || edgeTypes.has(e.type)));
  return { nodes, edges };
}

/**
 * Where a node has more than `above` leaf neighbours (neighbours linked to nothing else) of one type, they become
 * one `group` node: `{ memberType, count, members }` with the first GROUP_MEMBERS_CAP member ids (most records first),
 * and their edges one edge per edge type and direction, with the records summed.
 */
export function groupLeaves(graph: Graph, above: number): Graph {
  const leavesOf = leavesByHub(graph);
  const groupOf = new Map<string, string>();
  const groups: GraphNode[] = [];
  for (const [hub, types] of leavesOf) {
    for (const [memberType, leaves] of types) {
      if (leaves.length <= above) continue;
      leaves.sort((a, b) => b.records - a.records || (a.id < b.id ? -1 : 1));
      const id = groupId(hub, memberType);
      for (const l of leaves) groupOf.set(l.id, id);
      groups.push({
        id,
        type: 'group',
        label: `${leaves.length} ${memberType} nodes`,
        data: { memberType, count: leaves.length, members: leaves.slice(0, GROUP_MEMBERS_CAP).map((l) => l.id), hub },
        records: leaves.reduce((sum, l) => sum + l.records, 0),
        eventIds: [],
        first: minOf(leaves.map((l) => l.first)),
        last: maxOf(leaves.map((l) => l.last)),
      });
    }
  }
  if (!groups.length) return graph;

  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const source = groupOf.get(e.source) ?? e.source;
    const target = groupOf.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) {
      edges.set(e.id, e);
      continue;
    }
    const id = `${e.type}:${source}->${target}`;
    const merged = edges.get(id);
    if (!merged) {
      edges.set(id, { ...e, id, source, target, eventIds: [], data: {} });
    } else {
      merged.records += e.records;
      merged.first = minOf([merged.first, e.first]);
      merged.last = maxOf([merged.last, e.last]);
    }
  }
  const nodes = [...graph.nodes.filter((n) => !groupOf.has(n.id)), ...groups];
  return { nodes, edges: [...edges.values()] };
}

/** hub → member type → its leaves (nodes linked to the hub and nothing else); two leaves linked only to each other are none. */
function leavesByHub(graph: Graph): Map<string, Map<string, GraphNode[]>> {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
  for (const e of graph.edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const leavesOf = new Map<string, Map<string, GraphNode[]>>();
  for (const n of graph.nodes) {
    const around = neighbours.get(n.id);
    if (around?.size !== 1) continue;
    const hub = [...around][0]!;
    if (neighbours.get(hub)?.size === 1) continue;
    const types = leavesOf.get(hub) ?? new Map<string, GraphNode[]>();
    types.set(n.type, [...(types.get(n.type) ?? []), n]);
    leavesOf.set(hub, types);
  }
  return leavesOf;
}

const groupId = (hub: string, memberType: string) => `group:${hub}:${memberType}`;

/**
 * What a group node (`group:<hub>:<type>`) of groupLeaves stands for in `graph`: the ids of all its leaves, or
 * undefined when `id` is not a group id. Membership does not depend on the threshold that made the group.
 */
export function groupMembers(graph: Graph, id: string): string[] | undefined {
  if (!id.startsWith('group:')) return undefined;
  const cut = id.lastIndexOf(':');
  const hub = id.slice('group:'.length, cut);
  const memberType = id.slice(cut + 1);
  return (leavesByHub(graph).get(hub)?.get(memberType) ?? []).map((n) => n.id).sort();
}

/**
 * At most `limit` nodes: alerts and incidents first, then the nodes with the most records; edges between kept nodes.
 */
export function capGraph(graph: Graph, limit: number): { graph: Graph; truncated: boolean } {
  if (graph.nodes.length <= limit) return { graph, truncated: false };
  const rank = (n: GraphNode) => (n.type === 'alert' || n.type === 'incident' ? 0 : 1);
  const nodes = [...graph.nodes].sort((a, b) => rank(a) - rank(b) || b.records - a.records || (a.id < b.id ? -1 : 1)).slice(0, limit);
  const kept = new Set(nodes.map((n) => n.id));
  return { graph: { nodes, edges: graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target)) }, truncated: true };
}

/** Nodes and edges in id order, so the same case always yields the same lists. */
export function sortGraph(graph: Graph): Graph {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { nodes: [...graph.nodes].sort(byId), edges: [...graph.edges].sort(byId) };
}

const minOf = (xs: (string | null)[]) => xs.reduce<string | null>((m, x) => (x !== null && (m === null || x < m) ? x : m), null);
const maxOf = (xs: (string | null)[]) => xs.reduce<string | null>((m, x) => (x !== null && (m === null || x > m) ? x : m), null);
