// The one place the renderer touches Cytoscape (STYLE practice 9): views hand it plain elements, a stylesheet and
// callbacks, and never import cytoscape themselves, so swapping or instrumenting the library touches this folder.
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';

export interface GraphNode {
  id: string;
  label: string;
  /** Space-separated classes the stylesheet colours by (`type-action status-done current breakpoint`). */
  classes: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  classes: string;
}

/** A Cytoscape stylesheet as plain data: a selector and its style properties. */
export type GraphStyle = { selector: string; style: Record<string, string | number> }[];

export interface GraphPosition {
  x: number;
  y: number;
}

export interface GraphLayout {
  /** Breadth-first from these nodes, top-down: the only layered layout Cytoscape carries without extensions. */
  roots: string[];
  /** `cose` (force-directed, built into Cytoscape) for a graph without a top, such as an incident graph. */
  name?: 'breadthfirst' | 'cose';
  /** Saved places. When every node has one the layout is preset and nothing moves; a change moves nodes in place. */
  positions?: Readonly<Record<string, GraphPosition>>;
}

export interface CyGraphProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  stylesheet: GraphStyle;
  layout: GraphLayout;
  onNodeTap?: (id: string) => void;
  onEdgeTap?: (id: string) => void;
  /** Every node's place after a layout or a drag; given, nodes can be dragged (a saved view keeps the places). */
  onPositions?: (positions: Record<string, GraphPosition>) => void;
  /** Nodes that cannot be dragged. */
  pinned?: readonly string[];
  className?: string;
  ariaLabel: string;
}

const STYLESHEET_ID = '__________cytoscape_stylesheet';

/**
 * Cytoscape puts an inline <style> into <head> on first use, which the CSP (style-src 'self') refuses, logging a
 * violation. Its only rule, `position: relative` on the container, is in styles.css (.cy-graph), so a placeholder
 * with the id Cytoscape looks for makes it skip the injection.
 */
function claimStylesheetSlot(): void {
  if (document.getElementById(STYLESHEET_ID)) return;
  const placeholder = document.createElement('meta');
  placeholder.id = STYLESHEET_ID;
  placeholder.name = 'cytoscape-styles-in-styles-css';
  document.head.appendChild(placeholder);
}

/**
 * The box the breadth-first layout spreads nodes over: a row per level and room for the widest level. Left to
 * itself the layout uses the container's size, so a deep playbook in a narrow pane overlaps its branches and is
 * then zoomed down to unreadable text.
 */
function layoutBox(nodes: GraphNode[], edges: GraphEdge[], roots: string[]): { x1: number; y1: number; w: number; h: number } {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const level = new Map<string, number>();
  let frontier = roots.filter((r) => nodes.some((n) => n.id === r));
  for (const r of frontier) level.set(r, 0);
  for (let depth = 1; frontier.length; depth++) {
    const next: string[] = [];
    for (const id of frontier) for (const t of out.get(id) ?? []) if (!level.has(t)) (level.set(t, depth), next.push(t));
    frontier = next;
  }
  const perLevel = new Map<number, number>();
  for (const d of level.values()) perLevel.set(d, (perLevel.get(d) ?? 0) + 1);
  const levels = Math.max(1, perLevel.size);
  const widest = Math.max(1, ...perLevel.values());
  return { x1: 0, y1: 0, w: widest * 190, h: levels * 64 };
}

const MIN_READABLE_ZOOM = 0.7;

function lockPinned(instance: cytoscape.Core, pinned: readonly string[] | undefined): void {
  if (!pinned) return;
  const set = new Set(pinned);
  instance.nodes().forEach((n) => void (set.has(n.id()) ? n.lock() : n.unlock()));
}

const structureOf = (nodes: GraphNode[], edges: GraphEdge[]): string =>
  JSON.stringify([nodes.map((n) => n.id), edges.map((e) => [e.id, e.source, e.target, e.label])]);

/**
 * Draws nodes and edges. The layout runs again only when the structure (ids, ends, labels) changes; a change of
 * classes or labels (a step finishing, a breakpoint set) restyles in place so the drawing does not jump.
 */
export function CyGraph({ nodes, edges, stylesheet, layout, onNodeTap, onEdgeTap, onPositions, pinned, className, ariaLabel }: CyGraphProps) {
  const container = useRef<HTMLDivElement | null>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const structure = useRef('');
  const tap = useRef(onNodeTap);
  tap.current = onNodeTap;
  const edgeTap = useRef(onEdgeTap);
  edgeTap.current = onEdgeTap;
  const report = useRef(onPositions);
  report.current = onPositions;
  const reportPositions = (instance: cytoscape.Core) => {
    if (!report.current) return;
    const out: Record<string, GraphPosition> = {};
    instance.nodes().forEach((n) => {
      const p = n.position();
      out[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    });
    report.current(out);
  };

  useEffect(() => {
    if (!container.current) return;
    claimStylesheetSlot();
    const instance = cytoscape({
      container: container.current,
      style: stylesheet as unknown as cytoscape.StylesheetJson,
      minZoom: 0.3,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    instance.on('tap', 'node', (event) => tap.current?.(String(event.target.id())));
    instance.on('tap', 'edge', (event) => edgeTap.current?.(String(event.target.id())));
    instance.on('dragfree', 'node', () => reportPositions(instance));
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
      structure.current = '';
    };
    // Created once per mount; a new stylesheet is applied by the effect below, new elements by the one after it.
  }, []);

  useEffect(() => {
    cy.current?.style(stylesheet as unknown as cytoscape.StylesheetJson);
  }, [stylesheet]);

  useEffect(() => {
    cy.current?.autoungrabify(!onPositions);
  }, [onPositions]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const next = structureOf(nodes, edges);
    if (next !== structure.current) {
      structure.current = next;
      instance.elements().remove();
      instance.add([
        ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id, label: n.label }, classes: n.classes })),
        ...edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.classes })),
      ]);
      const placed = layout.positions;
      const roots = layout.roots.filter((r) => nodes.some((n) => n.id === r));
      if (placed && nodes.length > 0 && nodes.every((n) => placed[n.id])) {
        instance.layout({ name: 'preset', positions: { ...placed }, fit: false, animate: false }).run();
      } else if (layout.name === 'cose') {
        instance.layout({ name: 'cose', animate: false, fit: false, randomize: true, nodeRepulsion: () => 8000, idealEdgeLength: () => 60 }).run();
      } else {
        instance.layout({ name: 'breadthfirst', directed: true, roots, boundingBox: layoutBox(nodes, edges, roots), spacingFactor: 1, fit: false, padding: 16, animate: false }).run();
      }
      lockPinned(instance, pinned);
      reportPositions(instance);
      instance.fit(undefined, 16);
      // Past this zoom the labels cannot be read: stay readable and show the top (where a run starts); pan for more.
      if (instance.zoom() < MIN_READABLE_ZOOM) {
        instance.zoom(MIN_READABLE_ZOOM);
        const box = instance.elements().boundingBox();
        instance.pan({ x: instance.width() / 2 - ((box.x1 + box.x2) / 2) * MIN_READABLE_ZOOM, y: 16 - box.y1 * MIN_READABLE_ZOOM });
      }
      return;
    }
    instance.batch(() => {
      for (const n of nodes) {
        const el = instance.getElementById(n.id);
        el.data('label', n.label);
        el.classes(n.classes);
      }
      for (const e of edges) instance.getElementById(e.id).classes(e.classes);
      const placed = layout.positions;
      if (placed) {
        for (const n of nodes) {
          const to = placed[n.id];
          const el = instance.getElementById(n.id);
          if (!to || (el.position('x') === to.x && el.position('y') === to.y)) continue;
          const wasLocked = el.locked();
          el.unlock().position({ ...to });
          if (wasLocked) el.lock();
        }
      }
      lockPinned(instance, pinned);
    });
  }, [nodes, edges, layout, pinned]);

  return <div ref={container} className={className ? `cy-graph ${className}` : 'cy-graph'} role="img" aria-label={ariaLabel} />;
}
