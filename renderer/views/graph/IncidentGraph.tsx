import { useMemo } from 'react';
import type { GraphEdge as ModelEdge, GraphNode as ModelNode } from '../../../core/model/index.js';
import { CyGraph, type GraphEdge, type GraphLayout, type GraphNode } from '../../graph/CyGraph.js';
import { useGraph, type Selection } from '../../state/graph-store.js';
import { incidentGraphStyle } from '../../graph/incident-style.js';

/** A group node stands for many leaves: its label says how many. */
export const nodeLabel = (n: ModelNode): string => (n.type === 'group' && typeof n.data.count === 'number' ? `${n.label} (${n.data.count})` : n.label);

/**
 * The drawing. Nodes keep the places the analyst gave them (or a saved view did); a fresh set is laid out by
 * Cytoscape's force-directed `cose`. The wrapper carries counts and the selection as attributes for tests.
 */
export function IncidentGraph({ nodes, edges }: { nodes: ModelNode[]; edges: ModelEdge[] }) {
  const { seeds, pinned, positions, selected, select, setPositions } = useGraph();
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
  // Only the places of the nodes drawn, so a structure change with new, unplaced nodes is laid out afresh.
  const layout = useMemo<GraphLayout>(() => ({ roots: seeds, name: 'cose', positions }), [seeds, positions]);
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
