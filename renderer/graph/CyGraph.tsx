// The one place the renderer touches Cytoscape (STYLE practice 9): views hand it plain elements, a stylesheet and
// callbacks, and never import cytoscape themselves, so swapping or instrumenting the library touches this folder.
import type cytoscape from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { clearGraph, createGraph, loadLaidOut, stylesheetFor } from './create-graph.js';
import type { GraphEdge, GraphNode, GraphStyle } from './graph-types.js';
import { LayoutCancelled, LayoutClient, type LaidOut } from './layout.js';
import type { LayoutCacheKey } from './layout-cache.js';
import { LABEL_CLASS } from './labels-on-demand.js';
import { hideLabelsWhileMoving, tierOf, type GraphTier } from './level-of-detail.js';

export type { GraphEdge, GraphNode, GraphStyle } from './graph-types.js';

export interface GraphPosition {
  x: number;
  y: number;
}

/** Laid out on the UI thread: breadth-first from `roots` (a playbook), or placed where `positions` say. */
export interface BreadthFirstLayout {
  roots: string[];
  /** Saved places. When every node has one the layout is preset and nothing moves; a change moves nodes in place. */
  positions?: Readonly<Record<string, GraphPosition>>;
}

/** fcose in the layout worker, positions cached under `cache` (case or `global`, and view). */
export interface ForceLayout {
  force: LayoutCacheKey;
}

export type GraphLayout = BreadthFirstLayout | ForceLayout;

/** Where a force layout stands, for the view to say so (a big graph can take seconds the first time). */
export type LayoutState =
  | { status: 'running' }
  | { status: 'done'; from: LaidOut['from']; quality: LaidOut['quality']; tookMs: number }
  | { status: 'failed'; message: string };

export interface CyGraphProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  stylesheet: GraphStyle;
  layout: GraphLayout;
  onNodeTap?: (id: string) => void;
  onLayout?: (state: LayoutState) => void;
  /**
   * Classes whose node counts the container carries as `data-count-<class>`, read back from Cytoscape after each
   * restyle: a check, for tests and for the keyboard-less canvas, that a highlight reached the drawing.
   */
  countClasses?: readonly string[];
  /** Nodes to bring into view (fitted, no animation) when this list changes: a selection and what it affects. */
  focus?: readonly string[];
  onEdgeTap?: (id: string) => void;
  /** Every node's place after a layout or a drag; given, nodes can be dragged (a saved view keeps the places). */
  onPositions?: (positions: Record<string, GraphPosition>) => void;
  /** Nodes that cannot be dragged. */
  pinned?: readonly string[];
  className?: string;
  ariaLabel: string;
}

/** Fitting a handful of nodes would zoom far in; past this they are big enough to read. */
const MAX_FOCUS_ZOOM = 1.5;

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
  JSON.stringify([nodes.map((n) => [n.id, n.parent ?? '']), edges.map((e) => [e.id, e.source, e.target, e.label])]);

function runBreadthFirst(instance: cytoscape.Core, nodes: GraphNode[], edges: GraphEdge[], layout: BreadthFirstLayout): void {
  clearGraph(instance);
  instance.add([
    ...nodes.map((n) => ({ group: 'nodes' as const, data: n.parent ? { id: n.id, label: n.label, parent: n.parent } : { id: n.id, label: n.label }, classes: n.classes })),
    ...edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target, label: e.label }, classes: e.classes })),
  ]);
  const placed = layout.positions;
  const roots = layout.roots.filter((r) => nodes.some((n) => n.id === r));
  if (placed && nodes.length > 0 && nodes.every((n) => placed[n.id])) {
    instance.layout({ name: 'preset', positions: { ...placed }, fit: false, animate: false }).run();
  } else {
    instance.layout({ name: 'breadthfirst', directed: true, roots, boundingBox: layoutBox(nodes, edges, roots), spacingFactor: 1, fit: false, padding: 16, animate: false }).run();
  }
  instance.fit(undefined, 16);
  // Past this zoom the labels cannot be read: stay readable and show the top (where a run starts); pan for more.
  if (instance.zoom() < MIN_READABLE_ZOOM) {
    instance.zoom(MIN_READABLE_ZOOM);
    const box = instance.elements().boundingBox();
    instance.pan({ x: instance.width() / 2 - ((box.x1 + box.x2) / 2) * MIN_READABLE_ZOOM, y: 16 - box.y1 * MIN_READABLE_ZOOM });
  }
}

/**
 * Draws nodes and edges. The layout runs again only when the structure (ids, ends, labels) changes; a change of
 * classes or labels (a step finishing, a breakpoint set, a blast radius highlighted) restyles in place so the drawing
 * does not jump. Past LARGE_ELEMENTS the level-of-detail rules of level-of-detail.ts apply; the instance is made
 * again when the graph crosses a tier, because Cytoscape reads its renderer options only once.
 */
export function CyGraph({ nodes, edges, stylesheet, layout, onNodeTap, onLayout, countClasses, focus, onEdgeTap, onPositions, pinned, className, ariaLabel }: CyGraphProps) {
  const container = useRef<HTMLDivElement | null>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const structure = useRef('');
  const layoutClient = useRef<LayoutClient | null>(null);
  const tap = useRef(onNodeTap);
  tap.current = onNodeTap;
  const latest = useRef({ nodes, edges });
  latest.current = { nodes, edges };
  const reportLayout = useRef(onLayout);
  reportLayout.current = onLayout;
  const tier: GraphTier = tierOf(nodes.length + edges.length);
  const [layoutStatus, setLayoutStatus] = useState<LayoutState['status'] | 'none'>('none');
  const [layoutFrom, setLayoutFrom] = useState<LaidOut['from'] | ''>('');
  const [instanceKey, setInstanceKey] = useState(0);
  const counted = useRef(countClasses);
  counted.current = countClasses;
  const [counts, setCounts] = useState<Record<string, number>>({});
  const recount = (instance: cytoscape.Core) => {
    const next: Record<string, number> = {};
    for (const c of counted.current ?? []) next[`data-count-${c}`] = instance.nodes(`.${c}`).length;
    setCounts(next);
  };
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
    const instance = createGraph(container.current, { stylesheet, tier, minZoom: tier === 'small' ? 0.3 : 0.02, maxZoom: 2.5 });
    instance.on('tap', 'node', (event) => tap.current?.(String(event.target.id())));
    const detach = hideLabelsWhileMoving(instance, tier);
    instance.on('tap', 'edge', (event) => edgeTap.current?.(String(event.target.id())));
    instance.on('dragfree', 'node', () => reportPositions(instance));
    cy.current = instance;
    setInstanceKey((k) => k + 1);
    return () => {
      detach();
      layoutClient.current?.cancel();
      instance.destroy();
      cy.current = null;
      structure.current = '';
    };
    // Made once per mount and tier; a new stylesheet is applied by the effect below, new elements by the one after it.
  }, [tier]);

  useEffect(() => () => layoutClient.current?.dispose(), []);

  useEffect(() => {
    cy.current?.style(stylesheetFor(stylesheet, tier));
  }, [stylesheet, tier]);

  useEffect(() => {
    cy.current?.autoungrabify(!onPositions);
  }, [onPositions]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const next = structureOf(nodes, edges);
    if (next !== structure.current) {
      structure.current = next;
      if ('roots' in layout) {
        runBreadthFirst(instance, nodes, edges, layout);
        lockPinned(instance, pinned);
        reportPositions(instance);
        recount(instance);
        return;
      }
      clearGraph(instance);
      setLayoutStatus('running');
      reportLayout.current?.({ status: 'running' });
      const client = (layoutClient.current ??= new LayoutClient());
      client
        .layout(
          { nodes: nodes.map((n) => (n.parent ? { id: n.id, parent: n.parent } : { id: n.id })), edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target })) },
          layout.force,
        )
        .then(async (laid) => {
          if (cy.current !== instance || structure.current !== next) return;
          // The latest classes: a highlight may have changed while the worker ran.
          const loaded = loadLaidOut(instance, tier, latest.current.nodes, latest.current.edges, laid.positions);
          lockPinned(instance, pinned);
          reportPositions(instance);
          recount(instance);
          // Large graphs get their edges a frame after their nodes; the layout is done when they are all in.
          if (!(await loaded)) return;
          instance.batch(() => {
            for (const e of latest.current.edges) instance.getElementById(e.id).classes(e.classes);
          });
          setLayoutStatus('done');
          setLayoutFrom(laid.from);
          reportLayout.current?.({ status: 'done', from: laid.from, quality: laid.quality, tookMs: laid.tookMs });
        })
        .catch((err: unknown) => {
          if (err instanceof LayoutCancelled) return;
          setLayoutStatus('failed');
          reportLayout.current?.({ status: 'failed', message: err instanceof Error ? err.message : String(err) });
        });
      return;
    }
    instance.batch(() => {
      for (const n of nodes) {
        const el = instance.getElementById(n.id);
        if (el.empty()) continue; // still being laid out: added with its classes once the positions arrive
        el.data('label', n.label);
        // Keep the level-of-detail class: whether a label shows is the viewport's business, not the view's.
        el.classes(el.hasClass(LABEL_CLASS) ? `${n.classes} ${LABEL_CLASS}` : n.classes);
      }
      for (const e of edges) instance.getElementById(e.id).classes(e.classes);
      const placed = 'roots' in layout ? layout.positions : undefined;
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
    recount(instance);
    // The layout is compared by structure only: a new `layout` object for the same graph does not lay it out again.
  }, [nodes, edges, layout, pinned, instanceKey]);

  const focusKey = focus?.join('\n') ?? '';
  useEffect(() => {
    const instance = cy.current;
    if (!instance || !focusKey || layoutStatus === 'running') return;
    let targets = instance.collection();
    for (const id of focusKey.split('\n')) targets = targets.union(instance.getElementById(id));
    if (targets.empty()) return;
    instance.fit(targets, 40);
    if (instance.zoom() > MAX_FOCUS_ZOOM) instance.zoom({ level: MAX_FOCUS_ZOOM, renderedPosition: { x: instance.width() / 2, y: instance.height() / 2 } });
  }, [focusKey, layoutStatus, instanceKey]);

  return (
    <div
      ref={container}
      className={className ? `cy-graph ${className}` : 'cy-graph'}
      role="img"
      aria-label={ariaLabel}
      data-tier={tier}
      data-layout={layoutStatus}
      data-layout-from={layoutFrom}
      {...counts}
    />
  );
}
