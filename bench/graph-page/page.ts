// The browser side of bench/graph-render.bench.ts, bundled by esbuild. Two ways to draw the same incident graph:
// Quell's (renderer/graph: createGraph + loadLaidOut, its level-of-detail options and rules, an incident stylesheet)
// and a plain Cytoscape instance with default styles. The Node side calls `window.graphBench` through Playwright.
import cytoscape from 'cytoscape';
import { createGraph, loadLaidOut } from '../../renderer/graph/create-graph.js';
import type { GraphEdge, GraphNode } from '../../renderer/graph/graph-types.js';
import { tierOf, type Position } from '../../renderer/graph/level-of-detail.js';
import { incidentGraphStyle } from '../../renderer/graph/incident-style.js';
import { incidentGraph } from './workload.js';

type Side = 'quell' | 'baseline';

const params = new URLSearchParams(location.search);
const graph = incidentGraph(Number(params.get('nodes') ?? 5000), Number(params.get('edges') ?? 7500));
const nodes: GraphNode[] = graph.nodes.map((n) => ({ id: n.id, label: n.label, classes: `type-${n.type}` }));
const edges: GraphEdge[] = graph.edges.map((e) => ({ ...e, label: '', classes: '' }));
const positions = new Map<string, Position>(graph.nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
const plainElements: cytoscape.ElementDefinition[] = [
  ...graph.nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.label }, position: { x: n.x, y: n.y } })),
  ...graph.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target } })),
];

let current: cytoscape.Core | null = null;

function freshContainer(): HTMLElement {
  current?.destroy();
  current = null;
  document.getElementById('graph')?.remove();
  const div = document.createElement('div');
  div.id = 'graph';
  div.className = 'cy-graph';
  document.body.appendChild(div);
  return div;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));

/**
 * A fresh container after a quiet moment: the instance before (either side's) is destroyed and Quell's staged edges
 * may still have gone in after its measure, so the garbage they leave is collected before the next clock starts.
 */
async function quietContainer(): Promise<HTMLElement> {
  const container = freshContainer();
  await new Promise((r) => setTimeout(r, 300));
  await nextFrame();
  return container;
}

/** Resolves at the first `render` event of cy after now, then the next animation frame (the frame is on screen). */
function renderedThenFrame(cy: cytoscape.Core): Promise<number> {
  return new Promise((resolve) => {
    cy.one('render', () => void nextFrame().then(resolve));
  });
}

/** The instance, and a promise that settles once every element is in (Quell's large tiers add edges a frame late). */
function create(side: Side, container: HTMLElement): { cy: cytoscape.Core; complete: Promise<unknown> } {
  if (side === 'baseline') return { cy: cytoscape({ container, elements: plainElements, layout: { name: 'preset' } }), complete: Promise.resolve() };
  const cy = createGraph(container, { stylesheet: incidentGraphStyle, tier: tierOf(nodes.length + edges.length), minZoom: 0.02, maxZoom: 2.5 });
  return { cy, complete: loadLaidOut(cy, tierOf(nodes.length + edges.length), nodes, edges, positions) };
}

/**
 * First paint, ms: from just before the instance is made (with every element and its position) to the first
 * animation frame after Cytoscape's first `render` event. The render listener is attached before any drawing can
 * happen: Cytoscape draws in its own requestAnimationFrame loop, never synchronously while the instance is made.
 * For Quell's huge tier that first frame shows the nodes; `fullPaint` waits for the edges too.
 */
async function firstPaint(side: Side): Promise<number> {
  const container = await quietContainer();
  const started = performance.now();
  const { cy } = create(side, container);
  current = cy;
  const ended = await renderedThenFrame(cy);
  return ended - started;
}

/** Full paint, ms: as firstPaint, to the first frame after the render that shows every element, edges included. */
async function fullPaint(side: Side): Promise<number> {
  const container = await quietContainer();
  const started = performance.now();
  const { cy, complete } = create(side, container);
  current = cy;
  const first = renderedThenFrame(cy);
  await complete;
  // The baseline has everything in its first render; Quell's staged edges cause a render of their own.
  const ended = side === 'baseline' ? await first : await renderedThenFrame(cy);
  return ended - started;
}

/**
 * Pan frame, ms: the median over `pans` of the time from `cy.panBy(50 px)` to the first animation frame after the
 * `render` it causes, on an instance made (untimed) and left to settle for `settleMs`. The pans alternate right and
 * left, so the view stays over the graph.
 *
 * The settling matters: at a zoomed-out view Cytoscape draws from layered textures that it builds in idle frames
 * after a graph changes, and until they are built a frame redraws every element (200–400 ms here, on both sides).
 * After 500 ms they were built or not depending on the machine's load, which made the median flip between the two;
 * 2 s measures a graph at rest, as a responder pans it after looking at it.
 */
async function panFrame(side: Side, pans = 30, settleMs = 2000): Promise<number> {
  const { cy, complete } = create(side, freshContainer());
  current = cy;
  await complete;
  await renderedThenFrame(cy);
  await new Promise((r) => setTimeout(r, settleMs));
  const times: number[] = [];
  for (let i = 0; i < pans; i++) {
    const rendered = renderedThenFrame(cy);
    const started = performance.now();
    cy.panBy({ x: i % 2 === 0 ? 50 : -50, y: 0 });
    times.push((await rendered) - started);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

declare global {
  interface Window {
    graphBench: {
      firstPaint: typeof firstPaint;
      fullPaint: typeof fullPaint;
      panFrame: typeof panFrame;
      workload: { nodes: number; edges: number; tier: string };
    };
  }
}

window.graphBench = {
  firstPaint,
  fullPaint,
  panFrame,
  workload: { nodes: nodes.length, edges: edges.length, tier: tierOf(nodes.length + edges.length) },
};
document.body.dataset.ready = 'yes';
