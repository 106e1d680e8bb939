import type { Step } from '../model/index.js';

/** A nested block of a step, with the path segment that reaches it (`then`, `cases.high`, `branches[1]` …). */
export interface Block {
  readonly label: string;
  readonly path: string;
  readonly steps: Step[];
}

/** The nested blocks of one step, in the order they are drawn and exported. */
export function blocksOf(step: Step): Block[] {
  const out: Block[] = [];
  switch (step.type) {
    case 'if':
      out.push({ label: 'then', path: 'then', steps: step.then });
      if (step.else) out.push({ label: 'else', path: 'else', steps: step.else });
      break;
    case 'switch':
      for (const [value, steps] of Object.entries(step.cases)) out.push({ label: `case ${value}`, path: `cases.${value}`, steps });
      if (step.default) out.push({ label: 'default', path: 'default', steps: step.default });
      break;
    case 'parallel':
      step.branches.forEach((steps, i) => out.push({ label: `branch ${i + 1}`, path: `branches[${i}]`, steps }));
      break;
    case 'for-each':
    case 'while':
      out.push({ label: 'do', path: 'do', steps: step.do });
      break;
    case 'action':
    case 'playbook':
    case 'manual':
    case 'approval':
    case 'wait':
    case 'set':
    case 'end':
      break;
    default:
      assertNever(step);
  }
  if (Array.isArray(step.onFailure)) out.push({ label: 'on failure', path: 'onFailure', steps: step.onFailure });
  return out;
}

export interface Visit {
  step: Step;
  /** `steps[2].then[0]`. */
  path: string;
  parent: Step | null;
  depth: number;
}

/** Every step of a block, depth first, parents before children. */
export function* walkSteps(steps: Step[], base = 'steps', parent: Step | null = null, depth = 0): Generator<Visit> {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const path = `${base}[${i}]`;
    yield { step, path, parent, depth };
    for (const block of blocksOf(step)) yield* walkSteps(block.steps, `${path}.${block.path}`, step, depth + 1);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled step type ${JSON.stringify((x as { type?: unknown }).type)}`);
}
