import { create } from 'zustand';
import type { ApiError } from '../../core/api/index.js';
import type { BlastRadius, Criticality, DepEdge, DepNode } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

/** What the asset inventory says of a dependency node, by its name (as the blast radius finds owners). */
export interface NodeAsset {
  owner: string | null;
  criticality: Criticality | null;
}

/** The organisation's dependency map (deps.graph), its nodes' owners and criticality, and the selected blast radius. */
export interface DepsState {
  nodes: DepNode[] | null;
  edges: DepEdge[];
  assets: ReadonlyMap<string, NodeAsset>;
  error: ApiError | null;
  selected: string | null;
  blast: BlastRadius | null;
  blastError: ApiError | null;
  load(): Promise<void>;
  select(id: string | null): Promise<void>;
}

/** asset.resolve takes at most this many queries at once. */
const RESOLVE_BATCH = 1000;

async function ownersOf(names: string[]): Promise<Map<string, NodeAsset>> {
  const client = useApp.getState().client;
  const found = new Map<string, NodeAsset>();
  if (!client) return found;
  for (let i = 0; i < names.length; i += RESOLVE_BATCH) {
    const batch = names.slice(i, i + RESOLVE_BATCH);
    const { resolutions } = await call(client, 'asset.resolve', { entities: batch.map((value) => ({ type: 'host' as const, value })) });
    resolutions.forEach((r, k) => {
      // Only a known asset gives an owner (as deps.blastRadius decides); unknown and ambiguous stay blank.
      if (r.status === 'known') found.set(batch[k]!, { owner: r.owner, criticality: r.criticality });
    });
  }
  return found;
}

export const useDeps = create<DepsState>()((set, get) => ({
  nodes: null,
  edges: [],
  assets: new Map(),
  error: null,
  selected: null,
  blast: null,
  blastError: null,

  async load() {
    const client = useApp.getState().client;
    if (!client) return;
    try {
      const graph = await call(client, 'deps.graph', {});
      const names = [...new Set(graph.nodes.map((n) => n.name))].filter((n) => n.length > 0 && n.length <= 300);
      const assets = await ownersOf(names);
      set({ nodes: graph.nodes, edges: graph.edges, assets, error: null });
    } catch (err) {
      set({ error: asApiError(err) });
    }
  },

  async select(id) {
    const client = useApp.getState().client;
    set({ selected: id, blast: null, blastError: null });
    if (!client || id === null) return;
    try {
      const blast = await call(client, 'deps.blastRadius', { name: id });
      if (get().selected === id) set({ blast });
    } catch (err) {
      if (get().selected === id) set({ blastError: asApiError(err) });
    }
  },
}));
