// Level of detail: what CyGraph gives up as a graph grows, so that an incident graph of thousands of nodes still
// pans and zooms on a laptop. One place, shared by CyGraph and the graph benchmark (bench/graph-page), so the
// benchmark measures exactly what the views get.
import type cytoscape from 'cytoscape';
import type { GraphStyle } from './graph-types.js';
import { LABEL_CLASS } from './labels-on-demand.js';

/** small: everything drawn as the view asks; large: cheap edges and options; huge: edges hidden while moving too. */
export type GraphTier = 'small' | 'large' | 'huge';

export const LARGE_ELEMENTS = 1_000;
export const HUGE_ELEMENTS = 5_000;

export function tierOf(elementCount: number): GraphTier {
  if (elementCount > HUGE_ELEMENTS) return 'huge';
  if (elementCount > LARGE_ELEMENTS) return 'large';
  return 'small';
}

/** The font size (px) the zoom rule assumes for labels: views draw theirs at 10–12 px. */
const ASSUMED_FONT_PX = 10;

/** Whether labels are big enough on screen to read at this zoom (see MIN_ZOOMED_FONT_SIZE). */
export const labelsReadableAt = (zoom: number): boolean => zoom * ASSUMED_FONT_PX >= MIN_ZOOMED_FONT_SIZE;

/**
 * Renderer options of the tier. These are read once, when the instance is made, which is why CyGraph makes a new
 * instance when a graph crosses a tier boundary.
 * - textureOnViewport: while the user drags or wheel-zooms, move a snapshot of the last frame instead of drawing;
 * - hideEdgesOnViewport (huge): during such a gesture draw nodes only;
 * - motionBlur off: it draws every frame twice;
 * - pixelRatio 1: on a HiDPI screen a large graph would otherwise fill 4× the pixels.
 */
export function rendererOptions(tier: GraphTier): Partial<cytoscape.CytoscapeOptions> {
  if (tier === 'small') return { motionBlur: false };
  return {
    motionBlur: false,
    textureOnViewport: true,
    hideEdgesOnViewport: tier === 'huge',
    pixelRatio: 1,
  };
}

/** Text smaller than this on screen (font size × zoom, px) is not drawn at all. */
export const MIN_ZOOMED_FONT_SIZE = 8;

/**
 * Rules placed before a view's own stylesheet, as defaults it may override (Cytoscape lets the later rule win,
 * whatever the selectors): text too small to read on screen is skipped; a view can keep the labels of a few
 * highlighted nodes with `min-zoomed-font-size: 0`.
 */
export function levelOfDetailDefaults(_tier: GraphTier): GraphStyle {
  return [{ selector: 'node, edge', style: { 'min-zoomed-font-size': MIN_ZOOMED_FONT_SIZE } }];
}

/**
 * Rules placed after a view's stylesheet, which it cannot override. Large tiers: straight "haystack" edges (no
 * control points to compute; they cannot carry arrows, so arrows go too). Their labels go with labelsOnDemand, which
 * create-graph applies to the whole stylesheet of a large tier: nodes show labels only with LABEL_CLASS.
 */
export function levelOfDetailOverrides(tier: GraphTier): GraphStyle {
  if (tier === 'small') return [];
  return [
    {
      selector: 'edge',
      style: {
        'curve-style': 'haystack',
        'haystack-radius': 0,
        'target-arrow-shape': 'none',
        'source-arrow-shape': 'none',
      },
    },
  ];
}

/** Quiet time after the last viewport change before labels come back. */
export const SETTLE_MS = 150;

/**
 * Large tiers: node labels go while the viewport moves (pan, zoom) and come back once it has been still for
 * SETTLE_MS, if the zoom makes them readable. Small graphs keep their labels: restyling every node twice per gesture
 * costs more than it saves there. Returns the function that detaches it.
 */
export function hideLabelsWhileMoving(cy: cytoscape.Core, tier: GraphTier, onChange?: (moving: boolean) => void): () => void {
  if (tier === 'small') return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let moving = false;
  const settle = () => {
    timer = undefined;
    moving = false;
    if (labelsReadableAt(cy.zoom())) cy.nodes().addClass(LABEL_CLASS);
    onChange?.(false);
  };
  const onViewport = () => {
    if (!moving) {
      moving = true;
      // Only nodes that show a label now: at an unreadable zoom none do, and nothing restyles.
      const labelled = cy.nodes(`.${LABEL_CLASS}`);
      if (labelled.nonempty()) labelled.removeClass(LABEL_CLASS);
      onChange?.(true);
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(settle, SETTLE_MS);
  };
  cy.on('viewport', onViewport);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    cy.removeListener('viewport', onViewport);
  };
}

export interface Position {
  x: number;
  y: number;
}

/**
 * The zoom and pan that fit these positions in a box of width × height with padding: what `cy.fit()` would give,
 * from the positions alone. `fit()` measures every element's rendered bounding box (labels included) first, which
 * for thousands of elements costs as much as drawing them; node sizes are allowed for with `nodeSize`.
 */
export function viewportFor(
  positions: Iterable<Position>,
  width: number,
  height: number,
  { padding = 16, nodeSize = 30, minZoom = 1e-50, maxZoom = 1e50 }: { padding?: number; nodeSize?: number; minZoom?: number; maxZoom?: number } = {},
): { zoom: number; pan: Position } | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of positions) {
    if (p.x < x1) x1 = p.x;
    if (p.x > x2) x2 = p.x;
    if (p.y < y1) y1 = p.y;
    if (p.y > y2) y2 = p.y;
  }
  if (x1 === Infinity) return null;
  const half = nodeSize / 2;
  x1 -= half;
  y1 -= half;
  x2 += half;
  y2 += half;
  const w = Math.max(1, x2 - x1);
  const h = Math.max(1, y2 - y1);
  const zoom = Math.min(maxZoom, Math.max(minZoom, Math.min((width - 2 * padding) / w, (height - 2 * padding) / h)));
  return { zoom, pan: { x: (width - zoom * (x1 + x2)) / 2, y: (height - zoom * (y1 + y2)) / 2 } };
}
