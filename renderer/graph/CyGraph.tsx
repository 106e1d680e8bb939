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

export interface GraphLayout {
  /** Breadth-first from these nodes, top-down: the only layered layout Cytoscape carries without extensions. */
  roots: string[];
}

export interface CyGraphProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  stylesheet: GraphStyle;
  layout: GraphLayout;
  onNodeTap?: (id: string) => void;
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

const structureOf = (nodes: GraphNode[], edges: GraphEdge[]): string =>
  JSON.stringify([nodes.map((n) => n.id), edges.map((e) => [e.id, e.source, e.target, e.label])]);

/**
 * Draws nodes and edges. The layout runs again only when the structure (ids, ends, labels) changes; a change of
 * classes or labels (a step finishing, a breakpoint set) restyles in place so the drawing does not jump.
 */
export function CyGraph({ nodes, edges, stylesheet, layout, onNodeTap, className, ariaLabel }: CyGraphProps) {
  const container = useRef<HTMLDivElement | null>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const structure = useRef('');
  const tap = useRef(onNodeTap);
  tap.current = onNodeTap;

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
      instance.layout({ name: 'breadthfirst', directed: true, roots: layout.roots.filter((r) => nodes.some((n) => n.id === r)), spacingFactor: 0.9, padding: 16, animate: false }).run();
      instance.fit(undefined, 16);
      return;
    }
    instance.batch(() => {
      for (const n of nodes) {
        const el = instance.getElementById(n.id);
        el.data('label', n.label);
        el.classes(n.classes);
      }
      for (const e of edges) instance.getElementById(e.id).classes(e.classes);
    });
  }, [nodes, edges, layout]);

  return <div ref={container} className={className ? `cy-graph ${className}` : 'cy-graph'} role="img" aria-label={ariaLabel} />;
}
