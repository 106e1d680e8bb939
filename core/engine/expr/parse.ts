import { expressionError } from './error.js';
import { FUNCTION_ARITY } from './functions.js';
import { tokenize, type Token } from './tokenize.js';
import { FORBIDDEN_KEYS, type Value } from './values.js';

export const MAX_SOURCE = 10_000;
export const MAX_DEPTH = 64;

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-' | '*' | '/' | '%';
export type LogicalOp = '&&' | '||' | '??';

/** Every node carries the offset of the token that names it, so errors can point there. */
export type Node =
  | { type: 'literal'; value: Value; pos: number; depth: number }
  | { type: 'array'; items: Node[]; pos: number; depth: number }
  | { type: 'object'; entries: [string, Node][]; pos: number; depth: number }
  | { type: 'name'; name: string; pos: number; depth: number }
  | { type: 'member'; object: Node; key: string | number; pos: number; depth: number }
  | { type: 'index'; object: Node; index: Node; pos: number; depth: number }
  | { type: 'unary'; op: '-' | '!'; operand: Node; pos: number; depth: number }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node; pos: number; depth: number }
  | { type: 'logical'; op: LogicalOp; left: Node; right: Node; pos: number; depth: number }
  | { type: 'conditional'; test: Node; then: Node; otherwise: Node; pos: number; depth: number }
  | { type: 'call'; name: string; args: Node[]; pos: number; depth: number };

/** A node before its depth is known. */
type Bare<N> = N extends unknown ? Omit<N, 'depth'> : never;

type Infix = { bp: number; op: BinaryOp | LogicalOp | '?' };

/**
 * Binding powers, lowest first: `?:`, `??`, `||`, `&&`, prefix `!`/`not`, equality, order and `in`, `+ -`,
 * `* / %`, prefix `-`, then member access. `!` binds looser than comparisons, so `!a == b` is `!(a == b)`.
 */
const BP = { ternary: 2, coalesce: 3, or: 4, and: 5, not: 6, equality: 7, relational: 8, additive: 9, multiplicative: 10, negate: 11 };

const INFIX: Record<string, Infix> = {
  '?': { bp: BP.ternary, op: '?' },
  '??': { bp: BP.coalesce, op: '??' },
  '||': { bp: BP.or, op: '||' },
  or: { bp: BP.or, op: '||' },
  '&&': { bp: BP.and, op: '&&' },
  and: { bp: BP.and, op: '&&' },
  '==': { bp: BP.equality, op: '==' },
  '!=': { bp: BP.equality, op: '!=' },
  '<': { bp: BP.relational, op: '<' },
  '<=': { bp: BP.relational, op: '<=' },
  '>': { bp: BP.relational, op: '>' },
  '>=': { bp: BP.relational, op: '>=' },
  in: { bp: BP.relational, op: 'in' },
  '+': { bp: BP.additive, op: '+' },
  '-': { bp: BP.additive, op: '-' },
  '*': { bp: BP.multiplicative, op: '*' },
  '/': { bp: BP.multiplicative, op: '/' },
  '%': { bp: BP.multiplicative, op: '%' },
};

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'in']);

export function parse(source: string): Node {
  if (source.length > MAX_SOURCE) throw expressionError(`expression is longer than ${MAX_SOURCE} characters`, source, 0);
  return new Parser(source, tokenize(source)).parseAll();
}

class Parser {
  private i = 0;
  private nesting = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): Node {
    if (this.peek().kind === 'end') throw this.fail('empty expression', this.peek());
    const node = this.expression(0);
    if (this.peek().kind !== 'end') throw this.unexpected(this.peek());
    return node;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isOp(text: string, t = this.peek()): boolean {
    return t.kind === 'op' && t.text === text;
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (!this.isOp(text, t)) throw t.kind === 'end' ? this.fail(`expected "${text}" but the expression ended`, t) : this.fail(`expected "${text}" but found ${describe(t)}`, t);
    return this.next();
  }

  private fail(reason: string, t: Token) {
    return expressionError(reason, this.source, t.pos);
  }

  private unexpected(t: Token) {
    return t.kind === 'end' ? this.fail('unexpected end of expression', t) : this.fail(`unexpected ${describe(t)}`, t);
  }

  /** Builds a node and refuses trees deeper than MAX_DEPTH, which bounds the evaluator's recursion too. */
  private node(n: Bare<Node>, ...children: Node[]): Node {
    const depth = 1 + Math.max(0, ...children.map((c) => c.depth));
    if (depth > MAX_DEPTH) throw expressionError(`expression nests deeper than ${MAX_DEPTH} levels`, this.source, n.pos);
    return { ...n, depth } as Node;
  }

  private expression(minBp: number): Node {
    if (++this.nesting > MAX_DEPTH) throw expressionError(`expression nests deeper than ${MAX_DEPTH} levels`, this.source, this.peek().pos);
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      let infix = t.kind === 'op' || (t.kind === 'name' && (t.text === 'and' || t.text === 'or' || t.text === 'in')) ? INFIX[t.text] : undefined;
      const notIn = t.kind === 'name' && t.text === 'not' && this.peek(1).kind === 'name' && this.peek(1).text === 'in';
      if (notIn) infix = { bp: BP.relational, op: 'not in' };
      if (!infix || infix.bp < minBp) break;
      this.next();
      if (notIn) this.next();
      if (infix.op === '?') {
        const then = this.expression(0);
        this.expect(':');
        const otherwise = this.expression(infix.bp);
        left = this.node({ type: 'conditional', test: left, then, otherwise, pos: t.pos }, left, then, otherwise);
      } else if (infix.op === '&&' || infix.op === '||' || infix.op === '??') {
        const right = this.expression(infix.bp + 1);
        left = this.node({ type: 'logical', op: infix.op, left, right, pos: t.pos }, left, right);
      } else {
        const right = this.expression(infix.bp + 1);
        left = this.node({ type: 'binary', op: infix.op, left, right, pos: t.pos }, left, right);
      }
    }
    this.nesting--;
    return left;
  }

  private prefix(): Node {
    const t = this.next();
    if (this.isOp('-', t)) {
      const operand = this.expression(BP.negate);
      // Fold `-1` into a literal so that `a[-1]` is a static path.
      if (operand.type === 'literal' && typeof operand.value === 'number') return { ...operand, value: -operand.value, pos: t.pos };
      return this.node({ type: 'unary', op: '-', operand, pos: t.pos }, operand);
    }
    if (this.isOp('!', t) || (t.kind === 'name' && t.text === 'not')) {
      const operand = this.expression(BP.not + 1);
      return this.node({ type: 'unary', op: '!', operand, pos: t.pos }, operand);
    }
    return this.postfix(this.primary(t));
  }

  private primary(t: Token): Node {
    switch (t.kind) {
      case 'number':
        return { type: 'literal', value: t.value!, pos: t.pos, depth: 1 };
      case 'string':
        return { type: 'literal', value: t.text, pos: t.pos, depth: 1 };
      case 'name':
        if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true', pos: t.pos, depth: 1 };
        if (t.text === 'null') return { type: 'literal', value: null, pos: t.pos, depth: 1 };
        if (KEYWORDS.has(t.text)) throw this.unexpected(t);
        if (this.isOp('(')) return this.call(t);
        if (FORBIDDEN_KEYS.has(t.text)) throw this.fail(`property ${JSON.stringify(t.text)} is not allowed`, t);
        return { type: 'name', name: t.text, pos: t.pos, depth: 1 };
      case 'op':
        if (t.text === '(') {
          const inner = this.expression(0);
          this.expect(')');
          return inner;
        }
        if (t.text === '[') return this.arrayLiteral(t);
        if (t.text === '{') return this.objectLiteral(t);
        throw this.unexpected(t);
      case 'end':
        throw this.unexpected(t);
    }
  }

  private call(name: Token): Node {
    const arity = FUNCTION_ARITY.get(name.text);
    if (!arity) throw this.fail(`unknown function ${JSON.stringify(name.text)}`, name);
    this.next(); // (
    const args = this.list(')');
    const [min, max] = arity;
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const one = max === 1 || (min === 1 && max === Infinity);
      throw this.fail(`${name.text}() takes ${wanted} argument${one ? '' : 's'}, not ${args.length}`, name);
    }
    return this.node({ type: 'call', name: name.text, args, pos: name.pos }, ...args);
  }

  /** Comma-separated expressions up to `close`; a trailing comma is allowed, as in YAML flow lists. */
  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.isOp(close)) {
      items.push(this.expression(0));
      if (!this.isOp(close)) this.expect(',');
    }
    this.next();
    return items;
  }

  private arrayLiteral(open: Token): Node {
    const items = this.list(']');
    return this.node({ type: 'array', items, pos: open.pos }, ...items);
  }

  private objectLiteral(open: Token): Node {
    const entries: [string, Node][] = [];
    while (!this.isOp('}')) {
      const k = this.next();
      let key: string;
      if (k.kind === 'name' || k.kind === 'string') key = k.text;
      else if (k.kind === 'number') key = String(k.value);
      else throw k.kind === 'end' ? this.unexpected(k) : this.fail(`expected a key but found ${describe(k)}`, k);
      if (FORBIDDEN_KEYS.has(key)) throw this.fail(`property ${JSON.stringify(key)} is not allowed`, k);
      this.expect(':');
      entries.push([key, this.expression(0)]);
      if (!this.isOp('}')) this.expect(',');
    }
    this.next();
    return this.node({ type: 'object', entries, pos: open.pos }, ...entries.map(([, v]) => v));
  }

  private postfix(node: Node): Node {
    for (;;) {
      const t = this.peek();
      if (this.isOp('.', t)) {
        this.next();
        const key = this.next();
        if (key.kind !== 'name') throw key.kind === 'end' ? this.unexpected(key) : this.fail(`expected a property name after "." but found ${describe(key)}`, key);
        if (this.isOp('(')) throw this.fail('method calls are not supported: call a function by name, e.g. lower(x) rather than x.lower()', this.peek());
        node = this.member(node, key.text, key);
      } else if (this.isOp('[', t)) {
        this.next();
        const index = this.expression(0);
        this.expect(']');
        if (index.type === 'literal' && (typeof index.value === 'string' || typeof index.value === 'number')) node = this.member(node, index.value, t);
        else node = this.node({ type: 'index', object: node, index, pos: t.pos }, node, index);
      } else if (this.isOp('(', t)) {
        throw this.fail('only functions can be called, by name: len(x)', t);
      } else return node;
    }
  }

  private member(object: Node, key: string | number, at: Token): Node {
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw this.fail(`property ${JSON.stringify(key)} is not allowed`, at);
    return this.node({ type: 'member', object, key, pos: at.pos }, object);
  }
}

function describe(t: Token): string {
  if (t.kind === 'string') return 'a string';
  if (t.kind === 'number') return `number ${t.text}`;
  return JSON.stringify(t.text);
}
