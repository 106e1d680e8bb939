import { useCallback, useEffect, useMemo, useState } from 'react';
import { CyGraph, type LayoutState } from '../../graph/CyGraph.js';
import { useDeps } from '../../state/deps-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { BlastRadiusPanel } from './BlastRadiusPanel.js';
import { blastIndex, dependencyEdges, dependencyNodes, HIGHLIGHT_CLASSES } from './dependency-elements.js';
import { CRITICALITY, dependencyGraphStyle } from './dependency-style.js';
import { ServiceSearch } from './ServiceSearch.js';

/** The dependency map is organisation-wide: its layout is cached under the scope `global`. */
const LAYOUT = { force: { scope: 'global', view: 'dependencies' } };

/**
 * The organisation's services and assets as one graph: owners and criticality from the asset inventory, what
 * depends on what from the imported dependency files. Selecting a service shows its blast radius on the graph and
 * the owners to inform beside it.
 */
export function DependencyMapPage() {
  const { nodes, edges, assets, error, selected, blast, blastError, load, select } = useDeps();
  const [layoutState, setLayoutState] = useState<LayoutState>({ status: 'running' });
  useEffect(() => void load(), [load]);

  const index = useMemo(() => blastIndex(blast), [blast]);
  const graphNodes = useMemo(() => dependencyNodes(nodes ?? [], assets, index), [nodes, assets, index]);
  const nodeIds = useMemo(() => new Set((nodes ?? []).map((n) => n.id)), [nodes]);
  const graphEdges = useMemo(() => dependencyEdges(edges, nodeIds, index), [edges, nodeIds, index]);
  const focus = useMemo(() => (blast ? [blast.target.id, ...blast.dependents.map((d) => d.id)] : undefined), [blast]);
  const pick = useCallback((id: string) => void select(id), [select]);

  return (
    <section className="deps-page" aria-labelledby="deps-title">
      <header className="page-header">
        <h1 id="deps-title">Dependencies</h1>
        <p className="muted">
          {nodes ? `${nodes.length} nodes, ${edges.length} dependencies. ` : ''}An arrow points at what a service depends on. Size and colour: criticality
          from the asset inventory.
        </p>
      </header>
      {error && (
        <div className="error" role="alert">
          <ApiErrorMessage error={error} />
        </div>
      )}
      {nodes === null && !error && <p className="muted">Loading the dependency map…</p>}
      {nodes?.length === 0 && <EmptyMap />}
      {nodes && nodes.length > 0 && (
        <div className="deps-body">
          <div
            className="deps-graph"
            data-testid="dependency-map"
            data-nodes={graphNodes.length}
            data-edges={graphEdges.length}
            data-selected={selected ?? ''}
            data-highlighted={index ? index.depthOf.size + 1 : 0}
          >
            {layoutState.status === 'running' && <p className="muted deps-layout-note">Laying out {graphNodes.length} nodes…</p>}
            {layoutState.status === 'failed' && <p className="error">{layoutState.message}</p>}
            <CyGraph
              nodes={graphNodes}
              edges={graphEdges}
              stylesheet={dependencyGraphStyle}
              layout={LAYOUT}
              onNodeTap={pick}
              onLayout={setLayoutState}
              countClasses={HIGHLIGHT_CLASSES}
              {...(focus ? { focus } : {})}
              ariaLabel="Dependency map"
              className="deps-cy"
            />
            <Legend />
          </div>
          <aside className="deps-side">
            <ServiceSearch nodes={nodes} assets={assets} selected={selected} onPick={pick} />
            <BlastRadiusPanel blast={blast} error={blastError} loading={selected !== null && !blast && !blastError} onPick={pick} />
            {selected && (
              <button type="button" className="link" onClick={() => void select(null)}>
                Clear the selection
              </button>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}

function Legend() {
  return (
    <ul className="deps-legend" aria-label="Criticality">
      {Object.entries(CRITICALITY).map(([name, c]) => (
        <li key={name} className={`deps-legend-item crit-${name}`}>
          {c.label}
        </li>
      ))}
    </ul>
  );
}

/** No dependency file imported yet: there is no import form in the app for one, so say how the CLI does it. */
function EmptyMap() {
  return (
    <div className="empty deps-empty">
      <p>No dependency map yet. Import one from a terminal on this machine:</p>
      <pre>quell deps import FILE</pre>
      <p>
        FILE is a Vizceral JSON export, or a CSV/YAML file of <code>service, depends_on, weight</code> rows. Owners and criticality come from the
        asset inventory: <code>quell assets import FILE</code> (a NetBox export, or a CSV/YAML of name, ips, owner, criticality).
      </p>
    </div>
  );
}
