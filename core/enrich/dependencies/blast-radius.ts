import { QuellError } from '../../api/index.js';
import type { BlastDependent, BlastRadius } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { resolveAsset } from '../assets/resolve.js';

/** The node `name` names: its full id, else its name when only one node has it. */
function targetNode(store: Store, name: string) {
  const found = store.dependencies.findNodes(name);
  const ids = [...new Set(found.map((n) => n.id))];
  if (ids.length === 0) {
    throw new QuellError('not_found', `No service named "${name}" in the dependency graph.`, { details: { name } });
  }
  if (ids.length > 1) {
    throw new QuellError('conflict', `"${name}" names ${ids.length} nodes: ${ids.join(', ')}. Give the full id of one.`, {
      details: { name, candidates: ids },
    });
  }
  return found[0]!;
}

/** The owner the inventory gives a service of this name; null when no asset, or no single asset, matches it. */
function ownerOf(store: Store, name: string): string | null {
  const r = resolveAsset(store, { type: 'host', value: name });
  return r.status === 'known' ? r.owner : null;
}

/**
 * Everything that depends on the target, transitively: breadth-first over the edges backwards, so each dependent
 * gets its fewest hops. A node is visited once, which is what makes cycles terminate.
 */
export function blastRadius(store: Store, name: string, maxDepth = Number.MAX_SAFE_INTEGER): BlastRadius {
  const target = targetNode(store, name);
  const depthOf = new Map<string, number>([[target.id, 0]]);
  const found = new Map<string, { depth: number; via: Set<string>; weights: number[] }>();
  let frontier = [target.id];
  for (let depth = 1; frontier.length && depth <= maxDepth; depth++) {
    const next: string[] = [];
    for (const edge of store.dependencies.dependentsOf(frontier)) {
      const seen = depthOf.get(edge.from);
      if (seen !== undefined && seen < depth) continue;
      let entry = found.get(edge.from);
      if (!entry) {
        entry = { depth, via: new Set(), weights: [] };
        found.set(edge.from, entry);
        depthOf.set(edge.from, depth);
        next.push(edge.from);
      }
      if (!entry.via.has(edge.to)) {
        entry.via.add(edge.to);
        if (edge.weight !== null) entry.weights.push(edge.weight);
      }
    }
    frontier = next;
  }

  const dependents: BlastDependent[] = [...found.entries()]
    .map(([id, e]) => {
      const node = store.dependencies.node(id);
      const nodeName = node?.name ?? id;
      return {
        id,
        name: nodeName,
        depth: e.depth,
        via: [...e.via].sort(),
        weight: e.weights.length ? e.weights.reduce((a, b) => a + b, 0) : null,
        owner: ownerOf(store, nodeName),
      };
    })
    .sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const targetOwner = ownerOf(store, target.name);
  const affected = [{ id: target.id, owner: targetOwner }, ...dependents];
  const owners = new Map<string, string[]>();
  const unknownOwner: string[] = [];
  for (const a of affected) {
    if (a.owner === null) unknownOwner.push(a.id);
    else owners.set(a.owner, [...(owners.get(a.owner) ?? []), a.id]);
  }
  return {
    target: { id: target.id, name: target.name, owner: targetOwner },
    dependents,
    maxDepth: dependents.reduce((m, d) => Math.max(m, d.depth), 0),
    owners: [...owners.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([owner, nodes]) => ({ owner, nodes })),
    unknownOwner,
  };
}
