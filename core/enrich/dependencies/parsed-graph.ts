import type { DepCounts, DepEdge, DepNode } from '../../model/index.js';

export interface ParsedGraph {
  nodes: Omit<DepNode, 'source'>[];
  edges: Omit<DepEdge, 'source'>[];
  counts: DepCounts;
}

export function countsOf(nodes: ParsedGraph['nodes'], edges: ParsedGraph['edges']): DepCounts {
  return { nodes: nodes.length, edges: edges.length, implicitNodes: nodes.filter((n) => n.implicit).length };
}
