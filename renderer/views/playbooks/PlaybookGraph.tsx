import { useMemo } from 'react';
import type { StepStatus } from '../../../core/model/index.js';
import { CyGraph, type GraphEdge, type GraphNode } from '../../graph/CyGraph.js';
import type { PlaybookDetail } from '../../state/playbooks-store.js';
import { playbookGraphStyle } from './graph-style.js';

const ROOTS = { roots: ['__start'] };

/**
 * A playbook's steps as a top-down graph: each step's label and kind, edges labelled with their branch, finished
 * steps coloured by status, the step the run stops at ringed, and breakpoints marked. Clicking a step toggles its
 * breakpoint. The wrapper carries the same facts as attributes, for the keyboard-less canvas and for tests.
 */
export function PlaybookGraph({
  graph,
  statuses,
  current,
  breakpoints,
  onToggleBreakpoint,
}: {
  graph: PlaybookDetail['graph'];
  statuses: ReadonlyMap<string, StepStatus>;
  current: string | null;
  breakpoints: readonly string[];
  onToggleBreakpoint?: (stepId: string) => void;
}) {
  const nodes = useMemo<GraphNode[]>(
    () =>
      graph.nodes.map((n) => {
        const status = statuses.get(n.id);
        const marked = breakpoints.includes(n.id);
        const kind = n.action ?? n.type;
        const classes = [`type-${n.type}`, status ? `status-${status}` : '', n.id === current ? 'current' : '', marked ? 'breakpoint' : ''];
        return {
          id: n.id,
          label: n.type === 'start' || n.type === 'finish' ? n.label : `${marked ? '● ' : ''}${n.label}\n${kind}${status ? ` · ${status}` : ''}`,
          classes: classes.filter(Boolean).join(' '),
        };
      }),
    [graph, statuses, current, breakpoints],
  );
  const edges = useMemo<GraphEdge[]>(
    () => graph.edges.map((e, i) => ({ id: `e${i}:${e.from}->${e.to}`, source: e.from, target: e.to, label: e.label, classes: `kind-${e.kind}` })),
    [graph],
  );
  const steppable = (id: string) => id !== '__start' && id !== '__finish';

  return (
    <div className="playbook-graph" data-testid="playbook-graph" data-current={current ?? ''} data-breakpoints={[...breakpoints].sort().join(' ')}>
      <CyGraph
        nodes={nodes}
        edges={edges}
        stylesheet={playbookGraphStyle}
        layout={ROOTS}
        ariaLabel="Playbook graph"
        {...(onToggleBreakpoint ? { onNodeTap: (id: string) => steppable(id) && onToggleBreakpoint(id) } : {})}
      />
      {onToggleBreakpoint && <p className="muted">Click a step to set or clear a breakpoint (● marks one).</p>}
    </div>
  );
}
