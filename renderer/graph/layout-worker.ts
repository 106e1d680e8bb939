// A module Web Worker that lays graphs out off the UI thread (DESIGN: heavy work is off the UI thread). Vite bundles
// it as its own file next to the app's scripts (see layout.ts), so the CSP's script-src 'self' admits it.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { seededRandom } from '../../core/model/seeded-random.js';
import { DRAFT_ABOVE_NODES, type LayoutAnswer, type LayoutRequest } from './layout-protocol.js';

cytoscape.use(fcose);

/** The worker's global scope, as much of it as we use (the renderer's tsconfig has the DOM lib, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutAnswer, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;


export function layOut(request: LayoutRequest): LayoutAnswer {
  const started = performance.now();
  // fcose draws its starting positions from Math.random: a fixed seed makes the layout repeatable.
  Math.random = seededRandom(request.randomSeed);
  const seeds = request.seeds;
  const hasSeeds = request.nodes.some((n) => seeds[n.id] !== undefined);
  const cy = cytoscape({
    headless: true,
    // Style on, so that nodes have the size the views draw them at (30 px) rather than none.
    styleEnabled: true,
    style: [{ selector: 'node', style: { width: 30, height: 30 } }],
    elements: [
      ...request.nodes.map((n) => ({
        group: 'nodes' as const,
        data: n.parent ? { id: n.id, parent: n.parent } : { id: n.id },
        ...(seeds[n.id] ? { position: { ...seeds[n.id]! } } : {}),
      })),
      ...request.edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target } })),
    ],
  });
  // Draft (spectral only) for big graphs without a previous layout; from a previous layout, a refinement of it
  // ('draft' would ignore the seeds: fcose's spectral step always starts afresh).
  const quality = hasSeeds || request.nodes.length <= DRAFT_ABOVE_NODES ? 'default' : 'draft';
  cy.layout({
    name: 'fcose',
    quality,
    randomize: !hasSeeds,
    animate: false,
    fit: false,
    nodeDimensionsIncludeLabels: false,
    uniformNodeDimensions: true,
    idealEdgeLength: 80,
    nodeRepulsion: 6000,
  } as cytoscape.LayoutOptions).run();
  const positions = new Float64Array(request.nodes.length * 2);
  request.nodes.forEach((n, i) => {
    const p = cy.getElementById(n.id).position();
    positions[2 * i] = p.x;
    positions[2 * i + 1] = p.y;
  });
  cy.destroy();
  return { requestId: request.requestId, ok: true, positions, quality, tookMs: performance.now() - started };
}

scope.onmessage = (event) => {
  let answer: LayoutAnswer;
  try {
    answer = layOut(event.data);
  } catch (err) {
    answer = { requestId: event.data.requestId, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  scope.postMessage(answer, answer.ok ? [answer.positions.buffer] : []);
};
