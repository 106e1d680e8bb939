import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incidentGraphStyle } from './incident-style.js';
import { isTextProperty, LABEL_CLASS, labelsOnDemand, selectorParts } from './labels-on-demand.js';

test('selector lists split at top-level commas only', () => {
  assert.deepEqual(selectorParts('node, edge'), ['node', 'edge']);
  assert.deepEqual(selectorParts('node[label = "a,b"], edge.x'), ['node[label = "a,b"]', 'edge.x']);
  assert.deepEqual(selectorParts("node[name = 'it\\'s, here']"), ["node[name = 'it\\'s, here']"]);
  assert.deepEqual(selectorParts('edge.type-lateral_movement, edge.type-accessed'), ['edge.type-lateral_movement', 'edge.type-accessed']);
});

test('text properties are told apart from the colours and sizes of the shape', () => {
  for (const p of ['label', 'color', 'font-size', 'text-valign', 'text-margin-y', 'min-zoomed-font-size', 'source-label', 'text-outline-width']) assert.equal(isTextProperty(p), true, p);
  for (const p of ['background-color', 'line-color', 'border-color', 'target-arrow-color', 'width', 'shape', 'curve-style']) assert.equal(isTextProperty(p), false, p);
});

test('text moves to rules that need the label class; edge-only rules lose theirs; order is kept', () => {
  const out = labelsOnDemand([
    { selector: 'node, edge', style: { 'min-zoomed-font-size': 8 } },
    { selector: 'node', style: { label: 'data(label)', 'font-size': 10, width: 26 } },
    { selector: 'node.seed', style: { 'border-width': 3 } },
    { selector: 'edge', style: { label: 'data(label)', width: 1.2, 'text-rotation': 'autorotate' } },
    { selector: 'edge.type-x, node.type-x', style: { color: '#f00', 'line-color': '#f00' } },
  ]);
  assert.deepEqual(out, [
    { selector: `node.${LABEL_CLASS}`, style: { 'min-zoomed-font-size': 8 } },
    { selector: 'node', style: { width: 26 } },
    { selector: `node.${LABEL_CLASS}`, style: { label: 'data(label)', 'font-size': 10 } },
    { selector: 'node.seed', style: { 'border-width': 3 } },
    { selector: 'edge', style: { width: 1.2 } },
    { selector: 'edge.type-x, node.type-x', style: { 'line-color': '#f00' } },
    { selector: `node.type-x.${LABEL_CLASS}`, style: { color: '#f00' } },
  ]);
});

test('the incident stylesheet keeps every shape property and no text outside a labelled-node rule', () => {
  const out = labelsOnDemand(incidentGraphStyle);
  const shapeIn = (sheet: typeof out) => sheet.flatMap((r) => Object.keys(r.style).filter((k) => !isTextProperty(k)).map((k) => `${r.selector} ${k}`));
  assert.deepEqual(shapeIn(out), shapeIn(incidentGraphStyle));
  const textRules = out.filter((r) => Object.keys(r.style).some(isTextProperty));
  assert.deepEqual(textRules.map((r) => r.selector), [`node.${LABEL_CLASS}`]);
  assert.equal(textRules[0]!.style.label, 'data(label)');
});
