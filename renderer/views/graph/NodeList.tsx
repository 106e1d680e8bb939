import type { GraphNode } from '../../../core/model/index.js';
import { useGraph } from '../../state/graph-store.js';
import { nodeLabel } from './IncidentGraph.js';

/**
 * The nodes in view as a list: the keyboard's and the screen reader's way into the canvas, and the tests'. Hidden
 * nodes are listed apart so they can be brought back.
 */
export function NodeList({ nodes }: { nodes: GraphNode[] }) {
  const { selected, hidden, select, showHidden } = useGraph();
  return (
    <details className="graph-nodes" open>
      <summary>Nodes in view ({nodes.length})</summary>
      <ul className="graph-list" aria-label="Nodes in view">
        {nodes.map((n) => (
          <li key={n.id} data-node-id={n.id} data-type={n.type}>
            <button type="button" className="link" aria-current={selected?.id === n.id ? 'true' : undefined} onClick={() => select({ kind: 'node', id: n.id })}>
              <span className={`swatch swatch-${n.type}`} aria-hidden="true" />
              {nodeLabel(n)} <span className="muted">{n.type}</span>
            </button>
          </li>
        ))}
      </ul>
      {hidden.length > 0 && (
        <p className="muted">
          <span data-testid="graph-hidden-count">{hidden.length} hidden</span>{' '}
          <button type="button" className="link" onClick={showHidden}>
            Show hidden
          </button>
        </p>
      )}
    </details>
  );
}
