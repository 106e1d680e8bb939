import type { CacaoIssue } from './types.js';
import { STEP_TYPES, isObject } from './types.js';

type Doc = Record<string, unknown> & { workflow: Record<string, unknown> };

/** `step "action--…" (name "Block IP")`: how every message names a step. */
export function stepLabel(id: string, step: unknown): string {
  const name = isObject(step) && typeof step.name === 'string' ? ` (name ${JSON.stringify(step.name)})` : '';
  return `step ${JSON.stringify(id)}${name}`;
}

/** Every edge out of a step: field path (relative to the step) → target id. */
export function successorEdges(step: Record<string, unknown>): { field: string; target: string }[] {
  const edges: { field: string; target: string }[] = [];
  for (const field of ['on_completion', 'on_success', 'on_failure', 'on_true', 'on_false']) {
    if (typeof step[field] === 'string') edges.push({ field, target: step[field] });
  }
  if (Array.isArray(step.next_steps)) {
    step.next_steps.forEach((t, i) => typeof t === 'string' && edges.push({ field: `next_steps/${i}`, target: t }));
  }
  if (isObject(step.cases)) {
    for (const [k, t] of Object.entries(step.cases)) if (typeof t === 'string') edges.push({ field: `cases/${k}`, target: t });
  }
  return edges;
}

/**
 * What the OASIS schemas cannot check (CACAO README §5.2): references resolve, the successor kinds are not mixed,
 * agents and targets are defined, step types are known, and the graph has no cycle except through a
 * while-condition body.
 */
export function checkSemantics(doc: Doc): CacaoIssue[] {
  const issues: CacaoIssue[] = [];
  const workflow = doc.workflow;
  const has = (id: string) => Object.prototype.hasOwnProperty.call(workflow, id);

  for (const field of ['workflow_start', 'workflow_exception'] as const) {
    const target = doc[field];
    if (typeof target === 'string' && !has(target)) {
      issues.push({ path: field, message: `${field} names ${JSON.stringify(target)}, which is not a step of the workflow` });
    }
  }

  const agents = isObject(doc.agent_definitions) ? doc.agent_definitions : {};
  const targets = isObject(doc.target_definitions) ? doc.target_definitions : {};
  for (const [id, step] of Object.entries(workflow)) {
    if (!isObject(step)) continue;
    const label = stepLabel(id, step);
    const at = `workflow/${id}`;
    if (typeof step.type !== 'string' || !(STEP_TYPES as readonly string[]).includes(step.type)) {
      issues.push({ path: `${at}/type`, step: id, message: `${label}: type ${JSON.stringify(step.type)} is not a CACAO 2.0 step type` });
    }
    for (const { field, target } of successorEdges(step)) {
      if (!has(target)) {
        issues.push({ path: `${at}/${field}`, step: id, message: `${label}: ${field.split('/')[0]} names ${JSON.stringify(target)}, which is not a step of the workflow` });
      }
    }
    if (step.on_completion !== undefined && (step.on_success !== undefined || step.on_failure !== undefined)) {
      const other = step.on_success !== undefined ? 'on_success' : 'on_failure';
      issues.push({ path: `${at}/on_completion`, step: id, message: `${label}: on_completion cannot be combined with ${other}` });
    }
    if (typeof step.agent === 'string' && !Object.prototype.hasOwnProperty.call(agents, step.agent)) {
      issues.push({ path: `${at}/agent`, step: id, message: `${label}: agent names ${JSON.stringify(step.agent)}, which is not in agent_definitions` });
    }
    if (Array.isArray(step.targets)) {
      step.targets.forEach((t, i) => {
        if (typeof t === 'string' && !Object.prototype.hasOwnProperty.call(targets, t)) {
          issues.push({ path: `${at}/targets/${i}`, step: id, message: `${label}: target ${JSON.stringify(t)} is not in target_definitions` });
        }
      });
    }
  }
  issues.push(...findCycles(workflow));
  return issues;
}

/**
 * A loop is allowed only as a while-condition body: its on_true edge is left out, and any cycle that remains is
 * reported once, at the edge that closes it.
 */
function findCycles(workflow: Record<string, unknown>): CacaoIssue[] {
  const issues: CacaoIssue[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    const step = workflow[id];
    if (isObject(step)) {
      for (const { field, target } of successorEdges(step)) {
        if (step.type === 'while-condition' && field === 'on_true') continue;
        if (!Object.prototype.hasOwnProperty.call(workflow, target)) continue;
        const seen = state.get(target);
        if (seen === 'open') {
          const loop = [...stack.slice(stack.indexOf(target)), target].join(' → ');
          issues.push({
            path: `workflow/${id}/${field}`,
            step: id,
            message: `${stepLabel(id, step)}: ${field.split('/')[0]} leads back to ${JSON.stringify(target)}, a cycle outside a while-condition body (${loop})`,
          });
        } else if (seen === undefined) visit(target);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of Object.keys(workflow)) if (!state.has(id)) visit(id);
  return issues;
}
