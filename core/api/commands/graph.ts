import { z } from 'zod';
import { CaseId, EntityType, EventId, EventRow, GraphEdge, GraphFilters, GraphNode, GraphNodeType, GraphView } from '../../model/index.js';
import { defineCommand } from '../contract.js';

const NodeId = z.string().min(1).max(2000);
const Types = z.array(GraphNodeType.exclude(['group'])).min(1).optional();
const Limit = z.number().int().min(1).max(20_000);

export const GraphOutput = z.object({ nodes: z.array(GraphNode), edges: z.array(GraphEdge), truncated: z.boolean() });

export const graphCase = defineCommand({
  name: 'graph.case',
  summary: "A case's incident graph: typed nodes and directed edges from its records, filtered by type and time",
  mutates: false,
  input: z.object({
    caseId: CaseId,
    from: z.iso.datetime().optional(),
    to: z.iso.datetime().optional(),
    types: Types,
    limit: Limit.default(2000),
    /** A node with more leaf neighbours of one type than this shows them as one `group` node. */
    groupLeavesAbove: z.number().int().min(1).max(10_000).default(25),
  }),
  output: GraphOutput.extend({ records: z.number().int() }),
});

export const graphNeighbors = defineCommand({
  name: 'graph.neighbors',
  summary: "One node's neighbours and the edges to them, to expand it in the graph",
  mutates: false,
  input: z.object({ caseId: CaseId, nodeId: NodeId, types: Types, limit: Limit.default(500) }),
  output: GraphOutput.extend({ node: GraphNode }),
});

export const graphStart = defineCommand({
  name: 'graph.start',
  summary: 'Where to start: the subgraph around an alert or record, or around the nodes a search names',
  mutates: false,
  input: z.union([
    z.object({ caseId: CaseId, eventId: EventId, limit: Limit.default(500) }).strict(),
    z.object({ caseId: CaseId, query: z.string().trim().min(1, 'say what to look for').max(500), limit: Limit.default(500) }).strict(),
  ]),
  output: GraphOutput.extend({ seeds: z.array(z.string()) }),
});

export const graphRecords = defineCommand({
  name: 'graph.records',
  summary: 'The records behind a node or an edge, as event.list rows, oldest first',
  mutates: false,
  input: z.union([
    z.object({ caseId: CaseId, nodeId: NodeId, limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) }).strict(),
    z.object({ caseId: CaseId, edgeId: NodeId, limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) }).strict(),
  ]),
  output: z.object({ rows: z.array(EventRow), total: z.number().int() }),
});

const ViewName = z.string().trim().min(1, 'a view needs a name').max(200);

export const graphViewSave = defineCommand({
  name: 'graph.view.save',
  summary: "Save a graph view with the case: node positions, filters, hidden and pinned nodes (a name saved again is replaced)",
  mutates: true,
  input: z.object({
    caseId: CaseId,
    name: ViewName,
    positions: z.record(NodeId, z.object({ x: z.number().finite(), y: z.number().finite() })).default({}),
    filters: GraphFilters.default({}),
    hidden: z.array(NodeId).max(100_000).default([]),
    pinned: z.array(NodeId).max(100_000).default([]),
  }),
  output: GraphView,
});

export const graphViewGet = defineCommand({
  name: 'graph.view.get',
  summary: 'One saved graph view of a case',
  mutates: false,
  input: z.object({ caseId: CaseId, name: ViewName }),
  output: GraphView,
});

export const graphViewList = defineCommand({
  name: 'graph.view.list',
  summary: "A case's saved graph views, by name",
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: z.object({ views: z.array(GraphView) }),
});

export const addEntity = defineCommand({
  name: 'entity.add',
  summary: 'Add an entity to a case by hand (from the graph), canonicalised as imported ones are',
  mutates: true,
  input: z.object({ caseId: CaseId, type: EntityType, value: z.string().trim().min(1, 'an entity needs a value').max(2000) }),
  output: z.object({ id: z.string(), type: EntityType, value: z.string(), canonical: z.string(), nodeId: z.string().nullable(), created: z.boolean() }),
});
