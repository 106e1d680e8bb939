// How CyGraph makes its Cytoscape instance and loads a laid-out graph into it, as plain functions, so that the graph
// benchmark (bench/graph-page) measures the very code the views run.
import cytoscape from 'cytoscape';
import type { GraphEdge, GraphNode, GraphStyle } from './graph-types.js';
import { LABEL_CLASS, labelsOnDemand } from './labels-on-demand.js';
import { labelsReadableAt, levelOfDetailDefaults, levelOfDetailOverrides, rendererOptions, viewportFor, type GraphTier, type Position } from './level-of-detail.js';

const STYLESHEET_ID = '__________cytoscape_stylesheet';

/**
 * Cytoscape puts an inline <style> into <head> on first use, which the CSP (style-src 'self') refuses, logging a
 * violation. Its only rule, `position: relative` on the container, is in styles.css (.cy-graph), so a placeholder
 * with the id Cytoscape looks for makes it skip the injection.
 */
export function claimStylesheetSlot(): void {
  if (document.getElementById(STYLESHEET_ID)) return;
  const placeholder = document.createElement('meta');
  placeholder.id = STYLESHEET_ID;
  placeholder.name = 'cytoscape-styles-in-styles-css';
  document.head.appendChild(placeholder);
}

/**
 * The view's stylesheet between the level-of-detail defaults and overrides of the tier (later rules win); in large
 * tiers with its text on demand (labels-on-demand.ts).
 */
export function stylesheetFor(stylesheet: GraphStyle, tier: GraphTier): cytoscape.StylesheetJson {
  const rules = [...levelOfDetailDefaults(tier), ...stylesheet, ...levelOfDetailOverrides(tier)];
  return (tier === 'small' ? rules : labelsOnDemand(rules)) as unknown as cytoscape.StylesheetJson;
}

export interface CreateGraphOptions {
  stylesheet: GraphStyle;
  tier: GraphTier;
  minZoom: number;
  maxZoom: number;
}

/** An empty instance in `container`, with the renderer options of the tier. */
export function createGraph(container: HTMLElement, { stylesheet, tier, minZoom, maxZoom }: CreateGraphOptions): cytoscape.Core {
  claimStylesheetSlot();
  return cytoscape({
    container,
    style: stylesheetFor(stylesheet, tier),
    minZoom,
    maxZoom,
    boxSelectionEnabled: false,
    autoungrabify: true,
    ...rendererOptions(tier),
  });
}

export function elementsOf(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  positions?: ReadonlyMap<string, Position>,
  extraNodeClass = '',
): cytoscape.ElementDefinition[] {
  return [
    ...nodes.map((n) => {
      const p = positions?.get(n.id);
      return {
        group: 'nodes' as const,
        data: n.parent ? { id: n.id, label: n.label, parent: n.parent } : { id: n.id, label: n.label },
        classes: extraNodeClass ? `${n.classes} ${extraNodeClass}` : n.classes,
        ...(p ? { position: { x: p.x, y: p.y } } : {}),
      };
    }),
    ...edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.classes })),
  ];
}

/** Which load is current on an instance: a newer load cancels the edges an older one still has to add. */
const loads = new WeakMap<cytoscape.Core, number>();

/** Empties the instance and cancels what a load still has to add. */
export function clearGraph(cy: cytoscape.Core): void {
  loads.set(cy, (loads.get(cy) ?? 0) + 1);
  cy.elements().remove();
}

/**
 * Replaces the graph with laid-out elements and sets the viewport that fits them, computed from the positions (no
 * fit(), no animation: see viewportFor). In large tiers nodes get LABEL_CLASS only when that zoom makes labels
 * readable; without it their text is never styled nor measured.
 *
 * Small graphs go in as one batch. Larger ones go in two steps: the nodes, drawn in the first frame, then the edges,
 * added once that frame is on screen. Making an element costs Cytoscape about as much as drawing it and edges are
 * three in five of a big incident graph, so the responder sees where everything is in less than half the time and the
 * page is never blocked for one long task; the edges follow a frame later. The promise settles when every element
 * is in (false when a newer load, clearGraph or the instance's end cancelled the rest). Edges keep the classes they
 * had when the load began: a view that restyles meanwhile applies its classes again once the promise settles.
 */
export function loadLaidOut(
  cy: cytoscape.Core,
  tier: GraphTier,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  positions: ReadonlyMap<string, Position>,
  padding = 16,
): Promise<boolean> {
  const load = (loads.get(cy) ?? 0) + 1;
  loads.set(cy, load);
  const viewport = viewportFor(positions.values(), cy.width(), cy.height(), { padding, minZoom: cy.minZoom(), maxZoom: cy.maxZoom() });
  const labelled = tier !== 'small' && labelsReadableAt(viewport?.zoom ?? 1);
  const staged = tier !== 'small' && edges.length > 0;
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elementsOf(nodes, staged ? [] : edges, positions, labelled ? LABEL_CLASS : ''));
  });
  if (viewport) cy.viewport(viewport);
  if (!staged) return Promise.resolve(true);
  return new Promise((resolve) => {
    cy.one('render', () => {
      // The frame drawn now is shown before the next one starts; a task queued at that start runs after it.
      requestAnimationFrame(() => {
        setTimeout(() => {
          if (cy.destroyed() || loads.get(cy) !== load) return resolve(false);
          cy.add(elementsOf([], edges));
          resolve(true);
        });
      });
    });
  });
}
