import type { GraphStyle } from '../../graph/CyGraph.js';

// Cytoscape draws on a canvas and cannot read CSS variables: the colours repeat styles.css (--ok, --accent …).
export const STEP_COLOURS: Record<string, string> = {
  running: '#e3b341',
  done: '#3fb950',
  simulated: '#4aa3ff',
  skipped: '#6e7681',
  failed: '#ff6b6b',
  'timed-out': '#ff6b6b',
  overridden: '#d2a8ff',
  escalated: '#f0883e',
};

/** Not yet run: outlined; finished: filled with its status colour; the current step ringed; breakpoints in red. */
export const playbookGraphStyle: GraphStyle = [
  {
    selector: 'node',
    style: {
      shape: 'round-rectangle',
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-valign': 'center',
      'text-halign': 'center',
      'font-size': 12,
      color: '#d7dde5',
      width: 160,
      height: 44,
      'background-color': '#161b22',
      'border-width': 1,
      'border-color': '#2a313c',
    },
  },
  { selector: 'node.type-start, node.type-finish', style: { shape: 'ellipse', width: 64, height: 30, 'background-color': '#1f2630' } },
  { selector: 'node.type-if, node.type-switch', style: { shape: 'diamond', width: 150, height: 56 } },
  { selector: 'node.type-approval, node.type-manual', style: { 'border-color': '#e3b341' } },
  ...Object.entries(STEP_COLOURS).map(([status, colour]) => ({
    selector: `node.status-${status}`,
    style: { 'background-color': colour, color: '#041424', 'border-color': colour },
  })),
  { selector: 'node.breakpoint', style: { 'border-width': 4, 'border-color': '#ff6b6b', 'border-style': 'double' } },
  { selector: 'node.current', style: { 'border-width': 5, 'border-color': '#e3b341', 'border-style': 'solid', 'underlay-color': '#e3b341', 'underlay-opacity': 0.35, 'underlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#4b5563',
      'target-arrow-color': '#4b5563',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 10,
      color: '#8b95a3',
      'text-background-color': '#0f1216',
      'text-background-opacity': 1,
      'text-background-padding': 2,
    },
  },
  { selector: 'edge.kind-failure', style: { 'line-color': '#ff6b6b', 'target-arrow-color': '#ff6b6b', 'line-style': 'dashed' } },
  { selector: 'edge.kind-loop', style: { 'line-style': 'dashed' } },
];
