// How CyGraph makes its Cytoscape instance and loads a laid-out graph into it, as plain functions, so that the graph
// benchmark (bench/graph-page) measures the very code the views run.
import cytoscape from 'cytoscape';
import type { GraphEdge, GraphNode, GraphStyle } from './graph-types.js';
import { labelsReadableAt, levelOfDetailDefaults, levelOfDetailOverrides, NO_LABEL_CLASS, rendererOptions, viewportFor, type GraphTier, type Position } from './level-of-detail.js';

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

/** The view's stylesheet between the level-of-detail defaults and overrides of the tier (later rules win). */
export function stylesheetFor(stylesheet: GraphStyle, tier: GraphTier): cytoscape.StylesheetJson {
  return [...levelOfDetailDefaults(tier), ...stylesheet, ...levelOfDetailOverrides(tier)] as unknown as cytoscape.StylesheetJson;
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

/**
 * Replaces the graph with laid-out elements and sets the viewport that fits them, computed from the positions (no
 * fit(), no animation: see viewportFor). One batch, so Cytoscape restyles and redraws once. In large tiers, when
 * that zoom is too small to read labels, nodes come without them (NO_LABEL_CLASS) and are never measured.
 */
export function loadLaidOut(
  cy: cytoscape.Core,
  tier: GraphTier,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  positions: ReadonlyMap<string, Position>,
  padding = 16,
): void {
  const viewport = viewportFor(positions.values(), cy.width(), cy.height(), { padding, minZoom: cy.minZoom(), maxZoom: cy.maxZoom() });
  const unlabelled = tier !== 'small' && !labelsReadableAt(viewport?.zoom ?? 1);
  cy.batch(() => {
    cy.elements().remove();
    cy.add(elementsOf(nodes, edges, positions, unlabelled ? NO_LABEL_CLASS : ''));
  });
  if (viewport) cy.viewport(viewport);
}
