// A playbook as plain nodes and edges for the runner view (Cytoscape draws them; core never imports it). Nested
// blocks are drawn as branches out of their step and back into the step that follows it, the way CACAO draws them.
import type { Playbook, Step } from '../model/index.js';
import { blocksOf } from './walk.js';

export interface PlaybookNode {
  id: string;
  type: Step['type'] | 'start' | 'finish';
  label: string;
  /** The step whose block holds this one (null at the top level). */
  parent: string | null;
  action: string | null;
}

export interface PlaybookEdge {
  from: string;
  to: string;
  kind: 'next' | 'branch' | 'loop' | 'failure' | 'join';
  label: string;
}

export function playbookGraph(playbook: Playbook): { nodes: PlaybookNode[]; edges: PlaybookEdge[] } {
  const nodes: PlaybookNode[] = [{ id: '__start', type: 'start', label: 'start', parent: null, action: null }];
  const edges: PlaybookEdge[] = [];

  // Returns the ids whose flow continues after the block (its last step, unless that step ends the run).
  const block = (steps: Step[], parent: string | null, entry: { from: string; kind: PlaybookEdge['kind']; label: string }[]): string[] => {
    let incoming = entry;
    for (const step of steps) {
      nodes.push({
        id: step.id,
        type: step.type,
        label: step.name ?? step.id,
        parent,
        action: step.type === 'action' ? step.action : step.type === 'playbook' ? `playbook:${step.playbook}` : null,
      });
      for (const e of incoming) edges.push({ from: e.from, to: step.id, kind: e.kind, label: e.label });
      if (step.type === 'end') return [];
      const loops = step.type === 'for-each' || step.type === 'while';
      const exhaustive = step.type === 'parallel' || (step.type === 'if' && !!step.else) || (step.type === 'switch' && !!step.default);
      const joins: { from: string; kind: PlaybookEdge['kind']; label: string }[] = [];
      for (const b of blocksOf(step)) {
        const failure = b.path === 'onFailure';
        const tails = block(b.steps, step.id, [{ from: step.id, kind: failure ? 'failure' : 'branch', label: b.label }]);
        for (const t of tails) {
          if (loops && !failure) edges.push({ from: t, to: step.id, kind: 'loop', label: 'again' });
          else joins.push({ from: t, kind: 'join', label: '' });
        }
      }
      // Control goes on past the step itself unless every way through it is one of its blocks.
      incoming = [...(exhaustive ? [] : [{ from: step.id, kind: 'next' as const, label: '' }]), ...joins];
    }
    return incoming.map((e) => e.from);
  };

  const tails = block(playbook.steps, null, [{ from: '__start', kind: 'next', label: '' }]);
  if (tails.length) {
    nodes.push({ id: '__finish', type: 'finish', label: 'finish', parent: null, action: null });
    for (const t of tails) edges.push({ from: t, to: '__finish', kind: 'next', label: '' });
  }
  return { nodes, edges };
}
