import { useMemo } from 'react';
import type { GraphEdge as ModelEdge, GraphNode as ModelNode } from '../../../core/model/index.js';
import { CyGraph, type GraphEdge, type GraphLayout, type GraphNode } from '../../graph/CyGraph.js';
import { useGraph, type Selection } from '../../state/graph-store.js';
import { incidentGraphStyle } from '../../graph/incident-style.js';

/** A group node stands for many leaves: its label says how many. */
export const nodeLabel = (n: ModelNode): string => (n.type === 'group' && typeof n.data.count === 'number' ? `${n.label} (${n.data.count})` : n.label);

/**
 * The drawing. Nodes keep the places the analyst gave them (or a saved view did); a fresh set is laid out off the
 * UI thread (fcose in renderer/graph's worker). The wrapper carries counts and the selection as attributes for tests.
 */
export function IncidentGraph({ nodes, edges }: { nodes: ModelNode[]; edges: ModelEdge[] }) {
  const { caseId, seeds, pinned, positions, selected, select, setPositions } = useGraph();
  const drawnNodes = useMemo<GraphNode[]>(
    () =>
      nodes.map((n) => ({
        id: n.id,
        label: nodeLabel(n),
        classes: [`type-${n.type}`, seeds.includes(n.id) ? 'seed' : '', pinned.includes(n.id) ? 'pinned' : '', selected?.id === n.id ? 'selected' : '']
          .filter(Boolean)
          .join(' '),
      })),
    [nodes, seeds, pinned, selected],
  );
  const drawnEdges = useMemo<GraphEdge[]>(
    () => edges.map((e) => ({ id: e.id, source: e.source, target: e.target, label: e.type, classes: `type-${e.type}${selected?.id === e.id ? ' selected' : ''}` })),
    [edges, selected],
  );
  // Placed nodes keep their places (a saved view, a drag, an expansion placed around its node); a set with unplaced
  // nodes is laid out by fcose in the layout worker, cached per case, and its places come back through onPositions.
  const allPlaced = nodes.length > 0 && nodes.every((n) => positions[n.id]);
  const layout = useMemo<GraphLayout>(
    () => (allPlaced ? { roots: seeds, positions } : { force: { scope: caseId ?? 'none', view: 'incident-graph' } }),
    [allPlaced, seeds, positions, caseId],
  );
  const pick = (kind: NonNullable<Selection>['kind']) => (id: string) => select({ kind, id });

  return (
    <div
      className="incident-graph"
      data-testid="incident-graph"
      data-nodes={nodes.length}
      data-edges={edges.length}
      data-selected={selected?.id ?? ''}
      data-pinned={[...pinned].sort().join(' ')}
    >
      <CyGraph
        nodes={drawnNodes}
        edges={drawnEdges}
        stylesheet={incidentGraphStyle}
        layout={layout}
        pinned={pinned}
        onNodeTap={pick('node')}
        onEdgeTap={pick('edge')}
        onPositions={setPositions}
        ariaLabel="Incident graph"
      />
    </div>
  );
}
