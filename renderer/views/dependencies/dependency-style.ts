import type { GraphStyle } from '../../graph/CyGraph.js';

// Cytoscape draws on a canvas and cannot read CSS variables: the colours repeat styles.css (--ok, --warn …).
export const CRITICALITY: Record<string, { colour: string; size: number; label: string }> = {
  critical: { colour: '#ff6b6b', size: 44, label: 'critical' },
  high: { colour: '#f0883e', size: 36, label: 'high' },
  medium: { colour: '#e3b341', size: 30, label: 'medium' },
  low: { colour: '#3fb950', size: 26, label: 'low' },
  unknown: { colour: '#6e7681', size: 22, label: 'not in the inventory' },
};

export const DEPTH_COLOURS = ['#ff6b6b', '#f0883e', '#d2a8ff'];

/** Size and fill by criticality; regions as boxes; a blast radius ringed by depth with the rest faded. */
export const dependencyGraphStyle: GraphStyle = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'font-size': 10,
      color: '#d7dde5',
      'background-color': CRITICALITY.unknown!.colour,
      width: CRITICALITY.unknown!.size,
      height: CRITICALITY.unknown!.size,
      'border-width': 1,
      'border-color': '#0f1216',
    },
  },
  ...Object.entries(CRITICALITY).map(([name, c]) => ({
    selector: `node.crit-${name}`,
    style: { 'background-color': c.colour, width: c.size, height: c.size },
  })),
  { selector: 'node.implicit', style: { 'border-style': 'dashed', 'border-width': 2, 'border-color': '#8b95a3' } },
  {
    selector: 'node.kind-region',
    style: {
      shape: 'round-rectangle',
      'background-color': '#161b22',
      'background-opacity': 0.6,
      'border-color': '#2a313c',
      'text-valign': 'top',
      'font-size': 12,
      color: '#8b95a3',
    },
  },
  {
    selector: 'edge',
    style: {
      width: 1,
      'line-color': '#4b5563',
      'target-arrow-color': '#4b5563',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.7,
      'curve-style': 'bezier',
    },
  },
  { selector: 'node.blast-dimmed', style: { opacity: 0.2 } },
  { selector: 'edge.blast-dimmed', style: { opacity: 0.1 } },
  { selector: 'edge.blast-path', style: { width: 2.5, 'line-color': '#e3b341', 'target-arrow-color': '#e3b341' } },
  // The blast radius keeps its labels at any zoom (the level-of-detail default hides text too small to read).
  { selector: 'node.blast-target, node.blast-dependent', style: { 'min-zoomed-font-size': 0, 'font-size': 12, 'z-index': 10 } },
  ...DEPTH_COLOURS.map((colour, i) => ({ selector: `node.blast-depth-${i + 1}`, style: { 'border-width': 4, 'border-color': colour } })),
  {
    selector: 'node.blast-target',
    style: { 'border-width': 6, 'border-color': '#4aa3ff', 'underlay-color': '#4aa3ff', 'underlay-opacity': 0.35, 'underlay-padding': 8, 'font-weight': 'bold' },
  },
];
