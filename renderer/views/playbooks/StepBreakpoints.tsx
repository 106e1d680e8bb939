import type { PlaybookDetail } from '../../state/playbooks-store.js';

/** Every step of a playbook with a breakpoint checkbox: the keyboard's way to what clicking the graph does. */
export function StepBreakpoints({ graph, breakpoints, onToggle }: { graph: PlaybookDetail['graph']; breakpoints: readonly string[]; onToggle(stepId: string): void }) {
  const parents = new Map(graph.nodes.map((n) => [n.id, n.parent]));
  const depth = (id: string): number => {
    let d = 0;
    for (let p = parents.get(id); p; p = parents.get(p)) d++;
    return d;
  };
  return (
    <ul className="step-breakpoints" aria-label="Steps">
      {graph.nodes
        .filter((n) => n.type !== 'start' && n.type !== 'finish')
        .map((n) => (
          <li key={n.id} className={`depth-${Math.min(depth(n.id), 4)}`}>
            <label>
              <input type="checkbox" aria-label={`Breakpoint on ${n.id}`} checked={breakpoints.includes(n.id)} onChange={() => onToggle(n.id)} />{' '}
              <code>{n.id}</code> <span className="muted">{n.action ?? n.type}</span>
            </label>
          </li>
        ))}
    </ul>
  );
}
