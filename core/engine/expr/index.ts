/**
 * Safe expressions and templates for playbooks: a hand-written tokenizer and parser, and an evaluator over the tree,
 * with no eval, no Function and no access beyond own properties of the scope. Isomorphic: no Node, no DOM.
 */
import { ExpressionError, expressionError } from './error.js';
import { evaluateNode } from './evaluate.js';
import { parse } from './parse.js';
import { collectPaths } from './paths.js';
import { buildTemplate, type Template } from './template.js';
import type { Value } from './values.js';

export { ExpressionError } from './error.js';
export { FUNCTIONS } from './functions.js';
export { isTruthy, type Value } from './values.js';
export type { Template } from './template.js';

export interface Expression {
  readonly source: string;
  /** Root-relative scope paths the expression reads, e.g. `["vars.ip", "alert.host.name"]`. */
  readonly paths: string[];
  evaluate(scope: Record<string, unknown>): Value;
}

/** Parses once; throws ExpressionError on a syntax error or an unknown function. */
export function compileExpression(source: string): Expression {
  if (typeof source !== 'string') throw expressionError(`expression must be a string, not ${source === null ? 'null' : typeof source}`, String(source), 0);
  const tree = parse(source);
  const paths = collectPaths(tree);
  return Object.freeze({
    source,
    paths,
    evaluate: (scope: Record<string, unknown>) => evaluateNode(tree, source, scope ?? {}),
  });
}

/** A small LRU: playbooks evaluate the same few hundred expressions over and over. */
class Lru<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly capacity: number) {}
  get(key: string, make: (key: string) => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return value;
  }
}

const CACHE_SIZE = 500;
const expressions = new Lru<Expression>(CACHE_SIZE);
const templates = new Lru<Template>(CACHE_SIZE);

export function evaluate(source: string, scope: Record<string, unknown>): Value {
  return expressions.get(source, compileExpression).evaluate(scope);
}

export function compileTemplate(source: string): Template {
  return buildTemplate(source, (s) => expressions.get(s, compileExpression));
}

/** Renders every string inside objects and arrays as a template; keys and other values are kept as they are. */
export function renderValue(value: unknown, scope: Record<string, unknown>): unknown {
  if (typeof value === 'string') return value.includes('{{') ? templates.get(value, compileTemplate).render(scope) : value;
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    // fromEntries defines own properties: a "__proto__" key from YAML stays a key.
    return Object.fromEntries(Object.keys(value).map((k) => [k, renderValue((value as Record<string, unknown>)[k], scope)]));
  }
  return value;
}

/** For validators: the error a playbook author should see, or null when the expression compiles. */
export function checkExpression(source: string): ExpressionError | null {
  try {
    compileExpression(source);
    return null;
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
}
