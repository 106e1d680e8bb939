import { ExpressionError, expressionError, rebase } from './error.js';
import type { Expression } from './index.js';
import { MAX_STRING, stringify, type Value } from './values.js';

export interface Template {
  readonly source: string;
  readonly paths: string[];
  render(scope: Record<string, unknown>): Value;
}

type Part = string | { expression: Expression; offset: number };

/**
 * `{{ expr }}` placeholders in text. A string that is one placeholder and nothing else (whitespace aside) renders to
 * the expression's own value, so `"{{ steps.lookup.output.hosts }}"` stays an array; anything else is text.
 */
export function buildTemplate(source: string, compile: (expression: string) => Expression): Template {
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      text += source[i];
      i++;
      continue;
    }
    const end = placeholderEnd(source, i + 2);
    if (end === -1) throw expressionError('unterminated "{{"', source, i);
    if (text) parts.push(text);
    text = '';
    const inner = source.slice(i + 2, end);
    try {
      parts.push({ expression: compile(inner), offset: i + 2 });
    } catch (e) {
      throw e instanceof ExpressionError ? rebase(e, source, i + 2) : e;
    }
    i = end + 2;
  }
  if (text) parts.push(text);

  const paths = [...new Set(parts.flatMap((p) => (typeof p === 'string' ? [] : p.expression.paths)))];
  const only = parts.filter((p) => typeof p !== 'string' || p.trim() !== '');
  const single = only.length === 1 && typeof only[0] !== 'string' ? only[0] : undefined;

  const run = (part: Exclude<Part, string>, scope: Record<string, unknown>): Value => {
    try {
      return part.expression.evaluate(scope);
    } catch (e) {
      throw e instanceof ExpressionError ? rebase(e, source, part.offset) : e;
    }
  };

  return {
    source,
    paths,
    render(scope) {
      if (parts.length === 0) return source;
      if (single) return run(single, scope);
      let out = '';
      for (const part of parts) {
        out += typeof part === 'string' ? part : stringify(run(part, scope));
        if (out.length > MAX_STRING) throw expressionError(`result is longer than ${MAX_STRING} characters`, source, 0);
      }
      return out;
    },
  };
}

/**
 * Where the placeholder opened before `from` closes: the first `}}` outside strings and brackets, so that
 * `{{ {a: {b: 1}} }}` and `{{ '}}' }}` are read whole. -1 when it never closes.
 */
function placeholderEnd(source: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === '}') {
      if (depth === 0 && source[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}
