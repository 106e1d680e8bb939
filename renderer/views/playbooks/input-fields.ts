import type { PlaybookInfo } from '../../state/playbooks-store.js';

export type InputSpec = PlaybookInfo['inputs'][string];

/**
 * A playbook's inputs as the start form typed them: text for strings, a number, a checkbox, or JSON for objects,
 * arrays and `any`. Empty fields are left out (the playbook's default applies); a required one is refused here.
 */
export function inputsFromDraft(specs: Record<string, InputSpec>, draft: Record<string, string>): { inputs: Record<string, unknown> } | { error: string } {
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const text = draft[name] ?? '';
    if (spec.type === 'boolean') {
      if (text) inputs[name] = text === 'true';
      continue;
    }
    if (!text.trim()) {
      if (spec.required) return { error: `Input "${name}" is required.` };
      continue;
    }
    if (spec.type === 'string') inputs[name] = text;
    else if (spec.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: `Input "${name}" must be a number, not "${text}".` };
      inputs[name] = n;
    } else {
      try {
        inputs[name] = JSON.parse(text) as unknown;
      } catch (err) {
        return { error: `Input "${name}" is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
  }
  return { inputs };
}
