// A page for e2e/specs/graph/staged-load.spec.ts: renderer/graph's createGraph and loadLaidOut on a bare page, with
// the instance on `window` so the spec can read back what Cytoscape holds. Bundled by the spec with esbuild.
import type cytoscape from 'cytoscape';
import { clearGraph, createGraph, loadLaidOut } from '../../renderer/graph/create-graph.js';
import type { GraphEdge, GraphNode } from '../../renderer/graph/graph-types.js';
import { incidentGraphStyle } from '../../renderer/graph/incident-style.js';
import { tierOf, type Position } from '../../renderer/graph/level-of-detail.js';

/** `nodes` nodes on a grid `spacing` apart (a large spacing zooms out past readable labels), edges i → i+1, i → i+2… */
function grid(nodes: number, edges: number, spacing: number) {
  const side = Math.ceil(Math.sqrt(nodes));
  const ns: GraphNode[] = [];
  const positions = new Map<string, Position>();
  for (let i = 0; i < nodes; i++) {
    ns.push({ id: `n${i}`, label: `host ${i}`, classes: 'type-host' });
    positions.set(`n${i}`, { x: (i % side) * spacing, y: Math.floor(i / side) * spacing });
  }
  const es: GraphEdge[] = [];
  for (let k = 0; es.length < edges; k++) {
    const step = 1 + Math.floor(k / nodes);
    const s = k % nodes;
    es.push({ id: `e${es.length}`, source: `n${s}`, target: `n${(s + step) % nodes}`, label: 'connected_to', classes: 'type-connected_to' });
  }
  return { ns, es, positions };
}

let cy: cytoscape.Core | null = null;
const pending: Promise<boolean>[] = [];

const api = {
  /** A new instance in #graph, loaded with the grid; returns the tier and what is in it right after the call. */
  load(nodes: number, edges: number, spacing: number) {
    cy?.destroy();
    const { ns, es, positions } = grid(nodes, edges, spacing);
    const tier = tierOf(ns.length + es.length);
    cy = createGraph(document.getElementById('graph')!, { stylesheet: incidentGraphStyle, tier, minZoom: 0.02, maxZoom: 2.5 });
    pending.push(loadLaidOut(cy, tier, ns, es, positions));
    return { tier, ...api.counts() };
  },
  /** Loads the grid again into the same instance (a newer load). */
  reload(nodes: number, edges: number, spacing: number) {
    const { ns, es, positions } = grid(nodes, edges, spacing);
    pending.push(loadLaidOut(cy!, tierOf(ns.length + es.length), ns, es, positions));
    return api.counts();
  },
  clear() {
    clearGraph(cy!);
    return api.counts();
  },
  /** What every load so far settled to (true: all its elements went in; false: cancelled). */
  settled: () => Promise.all(pending),
  counts: () => ({ nodes: cy!.nodes().length, edges: cy!.edges().length, labelled: cy!.nodes('.lod-label').length }),
  /** The label and font size Cytoscape computed for a node: text styles reach only nodes with the label class. */
  text(id: string) {
    const n = cy!.getElementById(id);
    return { label: String(n.style('label')), fontSize: String(n.style('font-size')), curve: String(cy!.edges()[0]?.style('curve-style') ?? '') };
  },
  addLabelClass(id: string) {
    cy!.getElementById(id).addClass('lod-label');
  },
};

declare global {
  interface Window {
    graphLoad: typeof api;
  }
}
window.graphLoad = api;
document.body.dataset.ready = 'yes';
