// The second check of a playbook, after its schema: what a schema cannot say. Step ids are unique across the whole
// playbook (breakpoints, replay and the journal name steps by id); every condition and template parses; every
// action exists; nothing follows an `end` in its block; a sub-playbook does not call itself.
import type { ApiIssue } from '../api/index.js';
import { Playbook, type Step } from '../model/index.js';
import { builtinAction, isForeignCommand, parseConnectorAction } from './builtins.js';
import { checkExpression, compileTemplate, ExpressionError } from './expr/index.js';
import { blocksOf, walkSteps } from './walk.js';

export interface CompiledPlaybook {
  readonly playbook: Playbook;
  /** Step id → the step and its path. */
  readonly steps: ReadonlyMap<string, { step: Step; path: string; parentId: string | null }>;
}

export function checkPlaybook(playbook: Playbook): ApiIssue[] {
  const issues: ApiIssue[] = [];
  const seen = new Map<string, string>();
  const expr = (path: string, source: string) => {
    const err = checkExpression(source);
    if (err) issues.push({ path, message: err.message });
  };
  const templates = (path: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      try {
        compileTemplate(value);
      } catch (err) {
        issues.push({ path, message: err instanceof ExpressionError ? err.message : String(err) });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => templates(`${path}[${i}]`, v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) templates(`${path}.${k}`, v);
  };

  for (const { step, path } of walkSteps(playbook.steps)) {
    const first = seen.get(step.id);
    if (first) issues.push({ path: `${path}.id`, message: `step id "${step.id}" is used twice (first at ${first}); ids must be unique` });
    else seen.set(step.id, path);
    if (step.when) expr(`${path}.when`, step.when);
    if (step.save) templates(`${path}.save`, step.save);
    switch (step.type) {
      case 'action': {
        templates(`${path}.with`, step.with);
        if (step.target) templates(`${path}.target`, step.target);
        if (step.simulate) templates(`${path}.simulate`, step.simulate.output);
        const known = builtinAction(step.action) || parseConnectorAction(step.action) || isForeignCommand(step.action);
        if (!known) {
          issues.push({
            path: `${path}.action`,
            message: `step "${step.id}": unknown action "${step.action}" (a built-in such as case.note, or connector:<name>.<action>)`,
          });
        }
        if (step.gate && typeof step.gate.fallback === 'object') {
          const fb = step.gate.fallback.action;
          if (!builtinAction(fb) && !parseConnectorAction(fb)) {
            issues.push({ path: `${path}.gate.fallback.action`, message: `step "${step.id}": unknown fallback action "${fb}"` });
          }
        }
        break;
      }
      case 'if':
      case 'while':
        expr(`${path}.condition`, step.condition);
        break;
      case 'switch':
        expr(`${path}.value`, step.value);
        break;
      case 'for-each':
        expr(`${path}.items`, step.items);
        break;
      case 'playbook':
        templates(`${path}.with`, step.with);
        if (step.playbook === playbook.id) {
          issues.push({ path: `${path}.playbook`, message: `step "${step.id}": a playbook cannot run itself` });
        }
        break;
      case 'manual':
        templates(`${path}.title`, step.title);
        for (const [name, field] of Object.entries(step.form)) {
          if (field.type === 'choice' && !field.choices?.length) {
            issues.push({ path: `${path}.form.${name}`, message: `step "${step.id}": choice field "${name}" lists no choices` });
          }
        }
        break;
      case 'approval':
        templates(`${path}.prompt`, step.prompt);
        break;
      case 'set':
        templates(`${path}.vars`, step.vars);
        break;
      case 'end':
        if (step.reason) templates(`${path}.reason`, step.reason);
        templates(`${path}.outcome`, step.outcome);
        break;
      case 'parallel':
      case 'wait':
        break;
    }
  }
  // Steps written after an `end` in the same block can never run: almost always a mistake worth naming.
  const blocks: { steps: Step[]; path: string }[] = [{ steps: playbook.steps, path: 'steps' }];
  for (const { step, path } of walkSteps(playbook.steps)) {
    for (const b of blocksOf(step)) blocks.push({ steps: b.steps, path: `${path}.${b.path}` });
  }
  for (const block of blocks) {
    const endAt = block.steps.findIndex((s) => s.type === 'end');
    if (endAt >= 0 && endAt < block.steps.length - 1) {
      const next = block.steps[endAt + 1]!;
      issues.push({
        path: `${block.path}[${endAt + 1}]`,
        message: `step "${next.id}" can never run: it follows the end step "${block.steps[endAt]!.id}" in the same block`,
      });
    }
  }
  templates('outputs', playbook.outputs);
  return issues;
}

export function indexSteps(playbook: Playbook): CompiledPlaybook['steps'] {
  const map = new Map<string, { step: Step; path: string; parentId: string | null }>();
  for (const { step, path, parent } of walkSteps(playbook.steps)) map.set(step.id, { step, path, parentId: parent?.id ?? null });
  return map;
}
