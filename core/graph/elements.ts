import type { Graph, GraphEdge, GraphEdgeType, GraphNode, GraphNodeType } from '../model/index.js';

/** How many supporting event ids an element carries in its output; `records` always has the full count. */
export const EVENT_IDS_CAP = 50;

export interface Support {
  id: string;
  ts: string;
}

interface Acc<T> {
  element: T;
  /** Every supporting id, kept only for the elements a caller asked to collect (graph.records). */
  all?: string[];
  lastId?: string;
}

/**
 * Collects nodes and edges while records stream past: each element counts its records, remembers the first
 * EVENT_IDS_CAP ids and its time span. Only the graph is held, never the records.
 */
export class GraphAccumulator {
  private readonly nodes = new Map<string, Acc<GraphNode>>();
  private readonly edges = new Map<string, Acc<GraphEdge>>();

  /** @param collect element ids whose supporting event ids are kept whole (for graph.records). */
  constructor(private readonly collect: ReadonlySet<string> = new Set()) {}

  node(type: GraphNodeType, key: string, label: string, data: Record<string, unknown> = {}, support?: Support): string {
    const id = `${type}:${key}`;
    let acc = this.nodes.get(id);
    if (!acc) {
      acc = { element: { id, type, label, data: { ...data }, records: 0, eventIds: [], first: null, last: null } };
      if (this.collect.has(id)) acc.all = [];
      this.nodes.set(id, acc);
    } else {
      // The first value seen wins; later records only fill what was missing.
      for (const [k, v] of Object.entries(data)) if (acc.element.data[k] === undefined && v !== undefined) acc.element.data[k] = v;
    }
    if (support) count(acc, support);
    return id;
  }

  edge(type: GraphEdgeType, source: string, target: string, support?: Support, data: Record<string, unknown> = {}): string | undefined {
    if (source === target) return undefined;
    const id = `${type}:${source}->${target}`;
    let acc = this.edges.get(id);
    if (!acc) {
      acc = { element: { id, source, target, type, label: type.replace(/_/g, ' '), data: {}, records: 0, eventIds: [], first: null, last: null } };
      if (this.collect.has(id)) acc.all = [];
      this.edges.set(id, acc);
    }
    for (const [k, v] of Object.entries(data)) addValue(acc.element.data, k, v);
    if (support) count(acc, support);
    return id;
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  getNode(id: string): GraphNode | undefined {
    return this.nodes.get(id)?.element;
  }

  /** Every supporting event id of a collected element (empty for one not collected or not present). */
  allEventIds(id: string): string[] {
    return this.nodes.get(id)?.all ?? this.edges.get(id)?.all ?? [];
  }

  nodeList(): GraphNode[] {
    return [...this.nodes.values()].map((a) => a.element);
  }

  graph(): Graph {
    return { nodes: this.nodeList(), edges: [...this.edges.values()].map((a) => a.element) };
  }
}

function count<T extends GraphNode | GraphEdge>(acc: Acc<T>, s: Support): void {
  const e = acc.element;
  // One record can support an element twice (a process seen as actor and as parent): count it once.
  if (acc.lastId === s.id) return;
  acc.lastId = s.id;
  e.records++;
  if (e.eventIds.length < EVENT_IDS_CAP) e.eventIds.push(s.id);
  acc.all?.push(s.id);
  if (e.first === null || s.ts < e.first) e.first = s.ts;
  if (e.last === null || s.ts > e.last) e.last = s.ts;
}

/** Edge data accumulates as sorted sets of distinct values (logon types, ports, formats), at most 20 of each. */
function addValue(data: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const list = (data[key] as unknown[] | undefined) ?? [];
  if (!list.includes(value) && list.length < 20) {
    list.push(value);
    list.sort();
  }
  data[key] = list;
}
