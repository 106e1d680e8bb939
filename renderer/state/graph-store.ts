import { create } from 'zustand';
import type { ApiError } from '../../core/api/index.js';
import { GraphNodeType, type CaseId, type EntityType, type EventId, type EventRow, type GraphEdge, type GraphFilters, type GraphNode, type GraphView } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';
import type { GraphStart } from './route.js';

export interface Position {
  x: number;
  y: number;
}

export type Selection = { kind: 'node' | 'edge'; id: string } | null;

/** The records behind the selected element, one page of them. */
export interface GraphRecords {
  target: string;
  rows: EventRow[];
  total: number;
}

/**
 * The incident graph on screen: the elements fetched so far (a start, the whole case, expansions), what the analyst
 * filtered, hid, pinned and moved. The core owns the graph and the saved views; this is only what is in view.
 */
export interface GraphState {
  caseId: CaseId | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
  seeds: string[];
  /** Where the elements came from: the whole case is fetched again when a filter changes, a start or a view is narrowed in place. */
  source: 'start' | 'case' | 'view' | null;
  truncated: boolean;
  /** Empty means every type. */
  types: GraphNodeType[];
  from: string;
  to: string;
  hidden: string[];
  pinned: string[];
  positions: Record<string, Position>;
  selected: Selection;
  records: GraphRecords | null;
  views: GraphView[];
  view: string | null;
  loading: boolean;
  error: ApiError | null;
  /** What the last action did, for the status line (`12 neighbours added`). */
  status: string;

  reset(caseId: CaseId): void;
  start(caseId: CaseId, start: GraphStart): Promise<void>;
  wholeCase(): Promise<void>;
  setTypes(types: GraphNodeType[]): void;
  setRange(from: string, to: string): void;
  expand(nodeId: string): Promise<void>;
  hide(id: string): void;
  showHidden(): void;
  togglePin(id: string): void;
  select(selection: Selection): void;
  setPositions(positions: Record<string, Position>): void;
  loadRecords(): Promise<void>;
  loadViews(): Promise<void>;
  saveView(name: string): Promise<boolean>;
  openView(name: string): Promise<void>;
  addEntity(type: EntityType, value: string): Promise<boolean>;
  addNote(body: string): Promise<boolean>;
}

const filtersOf = (s: Pick<GraphState, 'types' | 'from' | 'to'>): GraphFilters => ({
  ...(s.types.length ? { types: s.types } : {}),
  ...(s.from ? { from: s.from } : {}),
  ...(s.to ? { to: s.to } : {}),
});

/** Adds what is new, keeping elements already in view (their data is the same record-derived facts). */
function merge<T extends { id: string }>(have: T[], more: T[]): T[] {
  const ids = new Set(have.map((x) => x.id));
  return [...have, ...more.filter((x) => !ids.has(x.id))];
}

/**
 * New nodes go on a ring around the node they came from, so expanding does not throw the rest of the drawing
 * about. Nodes already placed keep their places.
 */
function ringAround(centre: Position, ids: string[], positions: Record<string, Position>): Record<string, Position> {
  const out = { ...positions };
  const fresh = ids.filter((id) => !out[id]);
  const radius = 90 + fresh.length * 6;
  fresh.forEach((id, i) => {
    const angle = (2 * Math.PI * i) / fresh.length;
    out[id] = { x: Math.round(centre.x + radius * Math.cos(angle)), y: Math.round(centre.y + radius * Math.sin(angle)) };
  });
  return out;
}

/** A node added by hand has no neighbours to sit by: it goes to the right of the drawing, level with its top. */
function besideDrawing(positions: Record<string, Position>): Position {
  const all = Object.values(positions);
  if (all.length === 0) return { x: 0, y: 0 };
  return { x: Math.max(...all.map((p) => p.x)) + 120, y: Math.min(...all.map((p) => p.y)) };
}

let wholeCaseRequests = 0;

export const useGraph = create<GraphState>()((set, get) => {
  const client = () => {
    const c = useApp.getState().client;
    if (!c) throw new Error('The Quell client is not connected yet');
    return c;
  };
  const caseId = (): CaseId => {
    const id = get().caseId;
    if (!id) throw new Error('No case is open in the graph');
    return id;
  };
  const attempt = async <T>(work: () => Promise<T>): Promise<T | null> => {
    set({ loading: true, error: null });
    try {
      return await work();
    } catch (err) {
      set({ error: asApiError(err) });
      return null;
    } finally {
      set({ loading: false });
    }
  };
  /** A group node gives way to its members: the hub's neighbours of the member type, on a ring where the group was. */
  const ungroup = async (group: GraphNode): Promise<void> => {
    const hub = String(group.data.hub);
    const memberType = GraphNodeType.exclude(['group']).parse(group.data.memberType);
    await attempt(async () => {
      const g = await call(client(), 'graph.neighbors', { caseId: caseId(), nodeId: hub, types: [memberType], limit: 2000 });
      const s = get();
      const { [group.id]: centre, ...positions } = s.positions;
      const nodes = merge(s.nodes.filter((n) => n.id !== group.id), [g.node, ...g.nodes]);
      set({
        nodes,
        edges: merge(s.edges.filter((e) => e.source !== group.id && e.target !== group.id), g.edges),
        positions: centre ? ringAround(centre, nodes.map((n) => n.id), positions) : positions,
        selected: null,
        records: null,
        truncated: s.truncated || g.truncated,
        status: `${g.nodes.length} ${memberType} nodes shown instead of their group`,
      });
    });
  };
  /** A fresh set of elements: laid out anew unless a view brought places for them. */
  const replace = (nodes: GraphNode[], edges: GraphEdge[], extra: Partial<GraphState> = {}) =>
    set({ nodes, edges, selected: null, records: null, positions: {}, ...extra });

  return {
    caseId: null,
    nodes: [],
    edges: [],
    seeds: [],
    source: null,
    truncated: false,
    types: [],
    from: '',
    to: '',
    hidden: [],
    pinned: [],
    positions: {},
    selected: null,
    records: null,
    views: [],
    view: null,
    loading: false,
    error: null,
    status: '',

    reset(id) {
      if (get().caseId === id) return;
      set({ caseId: id, nodes: [], edges: [], seeds: [], source: null, truncated: false, types: [], from: '', to: '', hidden: [], pinned: [], positions: {}, selected: null, records: null, views: [], view: null, error: null, status: '' });
    },

    async start(id, start) {
      get().reset(id);
      await attempt(async () => {
        const input = 'event' in start ? { caseId: id, eventId: start.event as EventId } : { caseId: id, query: start.query };
        const g = await call(client(), 'graph.start', input);
        replace(g.nodes, g.edges, {
          seeds: g.seeds,
          source: 'start',
          truncated: g.truncated,
          hidden: [],
          pinned: [],
          view: null,
          status: `${g.nodes.length} nodes around ${'event' in start ? 'the record' : `“${start.query}”`}`,
        });
        if (g.seeds[0]) set({ selected: { kind: 'node', id: g.seeds[0] } });
      });
    },

    async wholeCase() {
      // Filters clicked in quick succession each fetch; only the answer to the last one is shown.
      const mine = ++wholeCaseRequests;
      await attempt(async () => {
        const { from, to } = get();
        const types = get().types.filter((t) => t !== 'group');
        const g = await call(client(), 'graph.case', {
          caseId: caseId(),
          ...(types.length ? { types } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          limit: 2000,
          groupLeavesAbove: 25,
        });
        if (mine !== wholeCaseRequests) return;
        replace(g.nodes, g.edges, { seeds: [], source: 'case', truncated: g.truncated, status: `${g.nodes.length} nodes from ${g.records} records` });
      });
    },

    setTypes(types) {
      set({ types });
      if (get().source === 'case') void get().wholeCase();
    },

    setRange(from, to) {
      set({ from, to });
      if (get().source === 'case') void get().wholeCase();
    },

    async expand(nodeId) {
      const group = get().nodes.find((n) => n.id === nodeId && n.type === 'group');
      if (group) return ungroup(group);
      await attempt(async () => {
        const types = get().types.filter((t) => t !== 'group');
        const g = await call(client(), 'graph.neighbors', { caseId: caseId(), nodeId, ...(types.length ? { types } : {}), limit: 500 });
        const s = get();
        const added = g.nodes.filter((n) => !s.nodes.some((m) => m.id === n.id)).length;
        const centre = s.positions[nodeId];
        const nodes = merge(s.nodes, [g.node, ...g.nodes]);
        set({
          nodes,
          edges: merge(s.edges, g.edges),
          // Expanding brings a node back into view if it was hidden.
          hidden: s.hidden.filter((h) => h !== nodeId && !g.nodes.some((n) => n.id === h)),
          positions: centre ? ringAround(centre, nodes.map((n) => n.id), s.positions) : s.positions,
          truncated: s.truncated || g.truncated,
          status: `${g.nodes.length} neighbours, ${added} new`,
        });
      });
    },

    hide(id) {
      const s = get();
      if (s.hidden.includes(id)) return;
      set({ hidden: [...s.hidden, id], selected: s.selected?.id === id ? null : s.selected, records: null });
    },

    showHidden() {
      set({ hidden: [] });
    },

    togglePin(id) {
      const { pinned } = get();
      set({ pinned: pinned.includes(id) ? pinned.filter((p) => p !== id) : [...pinned, id] });
    },

    select(selection) {
      set({ selected: selection, records: null });
    },

    setPositions(positions) {
      set({ positions: { ...get().positions, ...positions } });
    },

    async loadRecords() {
      const sel = get().selected;
      if (!sel) return;
      await attempt(async () => {
        const input = sel.kind === 'node' ? { caseId: caseId(), nodeId: sel.id, limit: 200 } : { caseId: caseId(), edgeId: sel.id, limit: 200 };
        const r = await call(client(), 'graph.records', input);
        if (get().selected?.id === sel.id) set({ records: { target: sel.id, rows: r.rows, total: r.total } });
      });
    },

    async loadViews() {
      await attempt(async () => {
        const { views } = await call(client(), 'graph.view.list', { caseId: caseId() });
        set({ views });
      });
    },

    async saveView(name) {
      const s = get();
      const hidden = new Set(s.hidden);
      // The places of the nodes in view are what the view shows: reopening draws exactly these.
      const positions = Object.fromEntries(s.nodes.filter((n) => !hidden.has(n.id) && s.positions[n.id]).map((n) => [n.id, s.positions[n.id]!]));
      const saved = await attempt(() =>
        call(client(), 'graph.view.save', { caseId: caseId(), name, positions, filters: filtersOf(s), hidden: s.hidden, pinned: s.pinned }),
      );
      if (!saved) return false;
      set({ view: saved.name, status: `View “${saved.name}” saved` });
      await get().loadViews();
      return true;
    },

    async openView(name) {
      await attempt(async () => {
        const v = await call(client(), 'graph.view.get', { caseId: caseId(), name });
        const filters = v.filters;
        const real = (filters.types ?? []).filter((t) => t !== 'group');
        // Every real node (no leaf groups) so that nodes the analyst expanded into are there to be placed again.
        const g = await call(client(), 'graph.case', {
          caseId: caseId(),
          ...(real.length ? { types: real } : {}),
          ...(filters.from ? { from: filters.from } : {}),
          ...(filters.to ? { to: filters.to } : {}),
          limit: 20_000,
          groupLeavesAbove: 10_000,
        });
        const placed = new Set(Object.keys(v.positions));
        const keep = placed.size ? new Set([...placed, ...v.hidden]) : null;
        const nodes = keep ? g.nodes.filter((n) => keep.has(n.id)) : g.nodes;
        const ids = new Set(nodes.map((n) => n.id));
        const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
        set({
          nodes,
          edges,
          seeds: [],
          source: 'view',
          truncated: g.truncated,
          types: filters.types ?? [],
          from: filters.from ?? '',
          to: filters.to ?? '',
          hidden: v.hidden,
          pinned: v.pinned,
          positions: v.positions,
          selected: null,
          records: null,
          view: v.name,
          status: `View “${v.name}” opened`,
        });
      });
    },

    async addEntity(type, value) {
      const added = await attempt(async () => {
        const e = await call(client(), 'entity.add', { caseId: caseId(), type, value });
        if (!e.nodeId) return { e, node: null };
        const g = await call(client(), 'graph.neighbors', { caseId: caseId(), nodeId: e.nodeId, limit: 500 });
        return { e, node: g.node };
      });
      if (!added) return false;
      const s = get();
      if (added.node) {
        const node = added.node;
        set({
          nodes: merge(s.nodes, [node]),
          positions: s.positions[node.id] ? s.positions : { ...s.positions, [node.id]: besideDrawing(s.positions) },
          hidden: s.hidden.filter((h) => h !== node.id),
          selected: { kind: 'node', id: node.id },
          records: null,
          status: `${added.e.created ? 'Added' : 'Already in the case:'} ${node.label}`,
        });
      } else set({ status: `Added ${added.e.type} ${added.e.canonical} (not a graph node)` });
      return true;
    },

    async addNote(body) {
      const note = await attempt(() => call(client(), 'note.add', { caseId: caseId(), body }));
      if (note) set({ status: 'Note added to the case' });
      return note !== null;
    },
  };
});

/** The elements on screen: the type filter, the time range and the hidden list applied to what was fetched. */
export function visibleElements(s: Pick<GraphState, 'nodes' | 'edges' | 'types' | 'from' | 'to' | 'hidden'>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const hidden = new Set(s.hidden);
  const from = s.from ? Date.parse(s.from) : -Infinity;
  const to = s.to ? Date.parse(s.to) : Infinity;
  // An element with no records (an entity added by hand) is outside time and always in range.
  const inRange = (x: { first: string | null; last: string | null }) => !x.first || !x.last || (Date.parse(x.last) >= from && Date.parse(x.first) <= to);
  const nodes = s.nodes.filter((n) => !hidden.has(n.id) && (s.types.length === 0 || s.types.includes(n.type)) && inRange(n));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = s.edges.filter((e) => ids.has(e.source) && ids.has(e.target) && inRange(e));
  return { nodes, edges };
}
