import { z } from 'zod';

/**
 * The incident graph as plain element lists (Cytoscape takes them as they are). Node ids are `type:key` with the
 * key canonicalised like core/ingest entities (`host:prd01.pandalab.com`, `ip:10.0.5.13`, `process:{guid}`), so the
 * same thing seen by two sources is one node.
 */
export const GraphNodeType = z.enum(['host', 'user', 'ip', 'domain', 'process', 'file', 'alert', 'incident', 'asset', 'technique', 'group']);
export type GraphNodeType = z.infer<typeof GraphNodeType>;

export const GraphEdgeType = z.enum([
  'spawned',
  'connected_to',
  'logged_on',
  'lateral_movement',
  'about',
  'resolved_to',
  'runs_on',
  'runs_as',
  'member_of',
  'uses_technique',
  'accessed',
]);
export type GraphEdgeType = z.infer<typeof GraphEdgeType>;

/** The records behind an element: how many, the first of them (capped list) and their time span. */
const Support = {
  records: z.number().int(),
  eventIds: z.array(z.string()),
  first: z.string().nullable(),
  last: z.string().nullable(),
};

export const GraphNode = z.object({
  id: z.string(),
  type: GraphNodeType,
  label: z.string(),
  data: z.record(z.string(), z.unknown()),
  ...Support,
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  type: GraphEdgeType,
  label: z.string(),
  data: z.record(z.string(), z.unknown()),
  ...Support,
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const Graph = z.object({ nodes: z.array(GraphNode), edges: z.array(GraphEdge) });
export type Graph = z.infer<typeof Graph>;

/** What a saved view remembers besides positions: the filters the analyst set. */
export const GraphFilters = z.object({
  types: z.array(GraphNodeType).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  edgeTypes: z.array(GraphEdgeType).optional(),
});
export type GraphFilters = z.infer<typeof GraphFilters>;

export const GraphViewState = z.object({
  positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })),
  filters: GraphFilters,
  hidden: z.array(z.string()),
  pinned: z.array(z.string()),
});
export type GraphViewState = z.infer<typeof GraphViewState>;

export const GraphView = GraphViewState.extend({ name: z.string(), updatedAt: z.string() });
export type GraphView = z.infer<typeof GraphView>;
