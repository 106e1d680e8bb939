// A case's saved graph views as the report carries them: what each view shows (its filters, the nodes it placed,
// the edges between them) and a picture of it drawn from the saved positions, so a view travels with the exported
// report and not only with the case database.
import type { GraphEdgeType, GraphNodeType, GraphView } from '../model/index.js';
import { buildCaseGraph, DEFAULT_GROUP_LEAVES_ABOVE, filterGraph, groupLeaves, listViews } from '../graph/index.js';
import type { Store } from '../store/index.js';

export interface ReportedViewNode {
  id: string;
  type: GraphNodeType;
  label: string;
  x: number;
  y: number;
  pinned: boolean;
}

export interface ReportedView {
  name: string;
  updatedAt: string;
  /** The view's filters in words: `types host, user; from …; edges lateral_movement`. */
  filters: string;
  nodes: ReportedViewNode[];
  edges: { source: string; target: string; type: GraphEdgeType }[];
  hidden: number;
  /** Placed nodes the case no longer has (a record removed, a filter that now excludes them). */
  missing: number;
}

/**
 * Every saved view of the case with the nodes it placed, as the case graph has them now: built with the view's time
 * window, filtered by its node and edge types, leaves grouped as the graph view groups them. Builds once per
 * distinct time window.
 */
export function reportedViews(store: Store, caseId: string): ReportedView[] {
  const views = listViews(store, caseId);
  const builds = new Map<string, ReturnType<typeof buildCaseGraph>['graph']>();
  return views.map((v) => {
    const window = `${v.filters.from ?? ''}|${v.filters.to ?? ''}`;
    let built = builds.get(window);
    if (!built) builds.set(window, (built = buildCaseGraph(store, caseId, { from: v.filters.from, to: v.filters.to }).graph));
    const graph = groupLeaves(filterGraph(built, { types: v.filters.types, edgeTypes: v.filters.edgeTypes }), DEFAULT_GROUP_LEAVES_ABOVE);
    const hidden = new Set(v.hidden);
    const pinned = new Set(v.pinned);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const nodes: ReportedViewNode[] = [];
    let missing = 0;
    for (const [id, p] of Object.entries(v.positions)) {
      if (hidden.has(id)) continue;
      const n = byId.get(id);
      if (!n) missing++;
      else nodes.push({ id, type: n.type, label: n.label, x: p.x, y: p.y, pinned: pinned.has(id) });
    }
    nodes.sort((a, b) => a.type.localeCompare(b.type) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
    const placed = new Set(nodes.map((n) => n.id));
    const edges = graph.edges.filter((e) => placed.has(e.source) && placed.has(e.target)).map((e) => ({ source: e.source, target: e.target, type: e.type }));
    return { name: v.name, updatedAt: v.updatedAt, filters: describeFilters(v.filters), nodes, edges, hidden: v.hidden.length, missing };
  });
}

function describeFilters(f: GraphView['filters']): string {
  const parts: string[] = [];
  if (f.types?.length) parts.push(`types ${f.types.join(', ')}`);
  if (f.from) parts.push(`from ${f.from}`);
  if (f.to) parts.push(`to ${f.to}`);
  if (f.edgeTypes?.length) parts.push(`edges ${f.edgeTypes.join(', ')}`);
  return parts.length ? parts.join('; ') : 'none';
}

// The report is read without Quell: colours as the graph view draws the types (renderer/graph/incident-style.ts).
const FILL: Record<GraphNodeType, string> = {
  host: '#4aa3ff', user: '#d2a8ff', ip: '#3fb950', domain: '#56d4dd', process: '#e3b341', file: '#8b95a3',
  alert: '#ff6b6b', incident: '#f0883e', asset: '#79c0ff', technique: '#ff9bce', group: '#6e7681',
};
const HEAVY = new Set<GraphEdgeType>(['lateral_movement', 'accessed']);

/** Past this many nodes the picture drops its labels: they would cover each other. */
const LABELLED_UP_TO = 150;

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const r1 = (n: number) => Math.round(n * 10) / 10;

/** The view as an SVG picture, fitted into `width` × `height`: nodes coloured by type, labels, heavier red edges for lateral movement and credential access. */
export function viewSvg(v: ReportedView, width = 880, height = 560): string {
  const pad = 40;
  const xs = v.nodes.map((n) => n.x);
  const ys = v.nodes.map((n) => n.y);
  const [x1, x2, y1, y2] = v.nodes.length ? [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] : [0, 0, 0, 0];
  const scale = Math.min((width - 2 * pad) / Math.max(1, x2 - x1), (height - 2 * pad) / Math.max(1, y2 - y1), 1.5);
  const at = new Map(v.nodes.map((n) => [n.id, { x: r1(pad + (n.x - x1) * scale), y: r1(pad + (n.y - y1) * scale) }]));
  const lines = v.edges.map((e) => {
    const a = at.get(e.source)!;
    const b = at.get(e.target)!;
    const look = HEAVY.has(e.type) ? 'stroke="#d0343f" stroke-width="2.5"' : 'stroke="#9aa4b1" stroke-width="1"';
    return `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" ${look}><title>${esc(e.type)}: ${esc(e.source)} → ${esc(e.target)}</title></line>`;
  });
  const labelled = v.nodes.length <= LABELLED_UP_TO;
  const dots = v.nodes.map((n) => {
    const p = at.get(n.id)!;
    const ring = n.pinned ? ' stroke="#b07d00" stroke-width="2" stroke-dasharray="3 2"' : ' stroke="#333" stroke-width="0.5"';
    const text = labelled ? `<text x="${p.x}" y="${r1(p.y + 16)}" text-anchor="middle" font-size="9">${esc(n.label)}</text>` : '';
    return `<g><circle cx="${p.x}" cy="${p.y}" r="7" fill="${FILL[n.type]}"${ring}><title>${esc(n.type)} ${esc(n.label)}</title></circle>${text}</g>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="Graph view ${esc(v.name)}: ${v.nodes.length} nodes, ${v.edges.length} edges" font-family="system-ui, sans-serif">` +
    `<rect width="${width}" height="${height}" fill="#fbfbfc" stroke="#ccc"/>${lines.join('')}${dots.join('')}</svg>`
  );
}
