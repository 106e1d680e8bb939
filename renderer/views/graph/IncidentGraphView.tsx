import { useEffect, useMemo } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useGraph, visibleElements } from '../../state/graph-store.js';
import type { GraphStart } from '../../state/route.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { GraphSidePanel } from './GraphSidePanel.js';
import { GraphToolbar } from './GraphToolbar.js';
import { IncidentGraph } from './IncidentGraph.js';
import { NodeList } from './NodeList.js';

/**
 * The case's incident graph: start from a search, a record or the whole case, expand, filter, hide, pin, read the
 * records behind any element, note and add entities, and save the view with the case.
 */
export function IncidentGraphView({ caseId, start }: { caseId: CaseId; start: GraphStart | null }) {
  const state = useGraph();
  const { error, status, truncated, loading } = state;
  const startKey = start ? JSON.stringify(start) : '';
  useEffect(() => {
    const graph = useGraph.getState();
    graph.reset(caseId);
    void graph.loadViews();
  }, [caseId]);
  useEffect(() => {
    if (start) void useGraph.getState().start(caseId, start);
    // startKey stands for start: a new object with the same contents is the same start.
  }, [caseId, startKey]);

  const { nodes, edges } = useMemo(() => visibleElements(state), [state.nodes, state.edges, state.types, state.from, state.to, state.hidden]);

  return (
    <section className="graph-view" aria-label="Incident graph view">
      <GraphToolbar caseId={caseId} initialQuery={start && 'query' in start ? start.query : ''} />
      {error && (
        <div className="error-banner" role="alert" data-code={error.code}>
          <ApiErrorMessage error={error} />
        </div>
      )}
      <p className="muted" role="status" data-testid="graph-status">
        {loading ? 'Loading…' : status}
        {truncated && ' · truncated: narrow by type or time to see everything'}
      </p>
      <div className="graph-body">
        <div className="graph-main">
          {state.nodes.length === 0 && !loading ? (
            <p className="empty">Start from a search, a record (“Show in graph” in its drawer), the whole case or a saved view.</p>
          ) : (
            <IncidentGraph nodes={nodes} edges={edges} />
          )}
          <NodeList nodes={nodes} />
        </div>
        <GraphSidePanel caseId={caseId} nodes={nodes} edges={edges} />
      </div>
    </section>
  );
}
