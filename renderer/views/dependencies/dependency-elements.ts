import type { BlastRadius, DepEdge, DepNode } from '../../../core/model/index.js';
import type { GraphEdge, GraphNode } from '../../graph/CyGraph.js';
import type { NodeAsset } from '../../state/deps-store.js';

/** Dependents this many hops away or more share one style. */
export const DEEPEST_STYLED_DEPTH = 3;

/** Classes CyGraph counts on the container (data-count-…): the highlight as the drawing has it. */
export const HIGHLIGHT_CLASSES = ['blast-target', 'blast-dependent', 'blast-dimmed'] as const;

export interface BlastIndex {
  targetId: string;
  depthOf: ReadonlyMap<string, number>;
}

export function blastIndex(blast: BlastRadius | null): BlastIndex | null {
  if (!blast) return null;
  return { targetId: blast.target.id, depthOf: new Map(blast.dependents.map((d) => [d.id, d.depth])) };
}

/**
 * Nodes labelled with name and owner, sized and coloured by criticality (classes `crit-*`); regions are compound
 * nodes around their services. With a blast radius: the target, its dependents by depth, everything else dimmed.
 */
export function dependencyNodes(nodes: readonly DepNode[], assets: ReadonlyMap<string, NodeAsset>, blast: BlastIndex | null): GraphNode[] {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.map((n) => {
    const asset = assets.get(n.name);
    const classes = [`kind-${n.kind}`, `crit-${asset?.criticality ?? 'unknown'}`];
    if (n.implicit) classes.push('implicit');
    if (blast) {
      const depth = blast.depthOf.get(n.id);
      if (n.id === blast.targetId) classes.push('blast-target');
      else if (depth !== undefined) classes.push('blast-dependent', `blast-depth-${Math.min(depth, DEEPEST_STYLED_DEPTH)}`);
      else if (n.kind !== 'region') classes.push('blast-dimmed');
    }
    const owner = asset?.owner;
    return {
      id: n.id,
      label: owner ? `${n.name}\n${owner}` : n.name,
      classes: classes.join(' '),
      ...(n.parent && ids.has(n.parent) ? { parent: n.parent } : {}),
    };
  });
}

/** `from` depends on `to`: the arrow points at what is depended on. Edges inside the blast radius are marked. */
export function dependencyEdges(edges: readonly DepEdge[], nodeIds: ReadonlySet<string>, blast: BlastIndex | null): GraphEdge[] {
  const affected = (id: string) => blast !== null && (id === blast.targetId || blast.depthOf.has(id));
  return edges
    .filter((e) => nodeIds.has(e.from) && nodeIds.has(e.to))
    .map((e, i) => ({
      id: `d${i}:${e.from}->${e.to}`,
      source: e.from,
      target: e.to,
      label: '',
      classes: blast ? (affected(e.from) && affected(e.to) ? 'blast-path' : 'blast-dimmed') : '',
    }));
}
