import type { GraphNodeType } from '../../core/model/index.js';
import type { GraphStyle } from './graph-types.js';

// Cytoscape draws on a canvas and cannot read CSS variables: the colours repeat styles.css where they can.
export const NODE_LOOK: Record<GraphNodeType, { colour: string; shape: string }> = {
  host: { colour: '#4aa3ff', shape: 'round-rectangle' },
  user: { colour: '#d2a8ff', shape: 'ellipse' },
  ip: { colour: '#3fb950', shape: 'diamond' },
  domain: { colour: '#56d4dd', shape: 'hexagon' },
  process: { colour: '#e3b341', shape: 'round-rectangle' },
  file: { colour: '#8b95a3', shape: 'rectangle' },
  alert: { colour: '#ff6b6b', shape: 'triangle' },
  incident: { colour: '#f0883e', shape: 'star' },
  asset: { colour: '#79c0ff', shape: 'barrel' },
  technique: { colour: '#ff9bce', shape: 'tag' },
  group: { colour: '#6e7681', shape: 'octagon' },
};

/** Shape and colour say the type; lateral movement and credential access (`accessed`) are drawn heavier and red. */
export const incidentGraphStyle: GraphStyle = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 10,
      color: '#d7dde5',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-max-width': '140px',
      'text-wrap': 'ellipsis',
      width: 26,
      height: 26,
      'border-width': 1,
      'border-color': '#0f1216',
    },
  },
  ...Object.entries(NODE_LOOK).map(([type, look]) => ({
    selector: `node.type-${type}`,
    style: { 'background-color': look.colour, shape: look.shape },
  })),
  { selector: 'node.type-group', style: { width: 34, height: 34 } },
  { selector: 'node.seed', style: { 'border-width': 3, 'border-color': '#ffffff' } },
  { selector: 'node.pinned', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': '#e3b341' } },
  { selector: 'node.selected', style: { 'border-width': 4, 'border-color': '#4aa3ff', 'overlay-opacity': 0 } },
  {
    selector: 'edge',
    style: {
      width: 1.2,
      'line-color': '#3a4350',
      'target-arrow-color': '#3a4350',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 8,
      color: '#8b95a3',
      'text-rotation': 'autorotate',
    },
  },
  { selector: 'edge.type-lateral_movement, edge.type-accessed', style: { width: 3, 'line-color': '#ff6b6b', 'target-arrow-color': '#ff6b6b', color: '#ff6b6b' } },
  { selector: 'edge.selected', style: { width: 4, 'line-color': '#4aa3ff', 'target-arrow-color': '#4aa3ff' } },
];
