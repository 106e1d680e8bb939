import type { GraphStyle } from '../../renderer/graph/graph-types.js';

// What an incident graph view hands CyGraph: colour and shape by entity type, labelled nodes, arrowed edges. (No
// incident graph view exists yet; this is the stylesheet such a view would pass, written here for the benchmark.)
const TYPES: Record<string, { colour: string; shape: string }> = {
  host: { colour: '#4aa3ff', shape: 'round-rectangle' },
  user: { colour: '#3fb950', shape: 'ellipse' },
  ip: { colour: '#8b95a3', shape: 'diamond' },
  process: { colour: '#d2a8ff', shape: 'hexagon' },
  file: { colour: '#e3b341', shape: 'rectangle' },
  alert: { colour: '#ff6b6b', shape: 'triangle' },
};

export const incidentGraphStyle: GraphStyle = [
  {
    selector: 'node',
    style: { label: 'data(label)', 'font-size': 10, color: '#d7dde5', 'text-valign': 'bottom', width: 24, height: 24, 'background-color': '#6e7681' },
  },
  ...Object.entries(TYPES).map(([type, t]) => ({ selector: `node.type-${type}`, style: { 'background-color': t.colour, shape: t.shape } })),
  {
    selector: 'edge',
    style: { width: 1, 'line-color': '#4b5563', 'target-arrow-color': '#4b5563', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier' },
  },
];
