// Large graphs draw labels only where they can be read. Cytoscape applies every matching property to every element
// when it is added, and text properties are the costliest of a node's (they feed its bounding box) even when the
// label is empty. So in large tiers a view's text properties are moved onto rules that only nodes carrying
// LABEL_CLASS match, and edges lose theirs (their labels are never drawn there). A node without the class is
// styled as if the view had written no text at all.
import type { GraphStyle } from './graph-types.js';

/** The class a node of a large graph carries while its label is drawn. */
export const LABEL_CLASS = 'lod-label';

const TEXT_PROPERTY = /^(label|source-label|target-label|color|font-.*|text-.*|source-text-.*|target-text-.*|min-zoomed-font-size|line-height)$/;

export const isTextProperty = (name: string): boolean => TEXT_PROPERTY.test(name);

/** The parts of a selector list, split at commas outside brackets and quotes (`node[label = "a,b"], edge`). */
export function selectorParts(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(selector.slice(start).trim());
  return parts.filter(Boolean);
}

/** Whether the last compound selector of a part can only match edges (`edge.type-x`, `node > edge`). */
const edgesOnly = (part: string): boolean => /^edge\b/.test(part.split(/\s*>\s*|\s+/).pop() ?? '');

/**
 * The stylesheet with text properties split off: each rule keeps its other properties as they were, followed by a
 * rule of its text properties whose selectors also require LABEL_CLASS (edge-only selectors get none). Order is kept,
 * so later rules still win.
 */
export function labelsOnDemand(stylesheet: GraphStyle): GraphStyle {
  const out: GraphStyle = [];
  for (const rule of stylesheet) {
    const shape: Record<string, string | number> = {};
    const text: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(rule.style)) (isTextProperty(name) ? text : shape)[name] = value;
    if (Object.keys(shape).length > 0) out.push({ selector: rule.selector, style: shape });
    const labelled = selectorParts(rule.selector).filter((p) => !edgesOnly(p)).map((p) => `${p}.${LABEL_CLASS}`);
    if (Object.keys(text).length > 0 && labelled.length > 0) out.push({ selector: labelled.join(', '), style: text });
  }
  return out;
}
