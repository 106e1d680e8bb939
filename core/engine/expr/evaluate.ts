import { EvalFailure, ExpressionError, expressionError } from './error.js';
import { callFunction } from './functions.js';
import type { BinaryOp, Node } from './parse.js';
import { asNumber, checkSize, compare, equals, isTruthy, MAX_STRING, member, normalize, stringify, typeName, within, type Value } from './values.js';

/**
 * Walks the tree. Recursion depth is the tree's depth, which the parser caps, so no expression can exhaust the
 * stack; a value in the scope nested thousands deep can, and that becomes an ExpressionError as well.
 */
export function evaluateNode(root: Node, source: string, scope: Record<string, unknown>): Value {
  const ev = (node: Node): Value => {
    try {
      return evalNode(node);
    } catch (e) {
      if (e instanceof EvalFailure) throw expressionError(e.reason, source, node.pos);
      throw e;
    }
  };

  const evalNode = (node: Node): Value => {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'array':
        return checkSize(node.items.map(ev));
      case 'object':
        // fromEntries defines own properties, so even a key such as "__proto__" could not reach the prototype.
        return Object.fromEntries(node.entries.map(([k, v]) => [k, ev(v)]));
      case 'name':
        return Object.hasOwn(scope, node.name) ? normalize(scope[node.name]) : null;
      case 'member':
        return member(ev(node.object), node.key);
      case 'index': {
        const object = ev(node.object);
        const key = ev(node.index);
        if (typeof key !== 'string' && typeof key !== 'number') return null;
        return member(object, key);
      }
      case 'unary': {
        const v = ev(node.operand);
        if (node.op === '!') return !isTruthy(v);
        const n = asNumber(v);
        if (n === null) throw new EvalFailure(`cannot negate ${typeName(v)}`);
        return -n;
      }
      case 'logical': {
        const left = ev(node.left);
        if (node.op === '??') return left !== null ? left : ev(node.right);
        if (node.op === '&&') return isTruthy(left) && isTruthy(ev(node.right));
        return isTruthy(left) || isTruthy(ev(node.right));
      }
      case 'conditional':
        return isTruthy(ev(node.test)) ? ev(node.then) : ev(node.otherwise);
      case 'binary':
        return binary(node.op, ev(node.left), ev(node.right));
      case 'call':
        return callFunction(node.name, node.args.map(ev));
      default:
        return assertNever(node);
    }
  };

  try {
    return ev(root);
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    // A scope value nested deeper than the stack allows (or holding a cycle) while comparing or writing JSON.
    if (e instanceof RangeError) throw expressionError('a value is nested too deeply to evaluate', source, root.pos);
    throw e;
  }
}

const VERB: Record<string, string> = { '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take the remainder of' };

function binary(op: BinaryOp, a: Value, b: Value): Value {
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case '<':
      return compare(a, b) < 0;
    case '<=':
      return compare(a, b) <= 0;
    case '>':
      return compare(a, b) > 0;
    case '>=':
      return compare(a, b) >= 0;
    case 'in':
      return within(a, b);
    case 'not in':
      return !within(a, b);
    case '+': {
      if (typeof a === 'string' || typeof b === 'string') {
        const left = stringify(a);
        const right = stringify(b);
        if (left.length + right.length > MAX_STRING) throw new EvalFailure(`result is longer than ${MAX_STRING} characters`);
        return left + right;
      }
      if (typeof a === 'number' && typeof b === 'number') return finite(a + b);
      throw new EvalFailure(`cannot add ${typeName(a)} and ${typeName(b)}`);
    }
    case '-':
    case '*':
    case '/':
    case '%': {
      const x = asNumber(a);
      const y = asNumber(b);
      if (x === null || y === null) throw new EvalFailure(`cannot ${VERB[op]} ${typeName(a)} and ${typeName(b)}`);
      if ((op === '/' || op === '%') && y === 0) throw new EvalFailure('division by zero');
      return finite(op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y);
    }
    default:
      return assertNever(op);
  }
}

function finite(n: number): number {
  if (!Number.isFinite(n)) throw new EvalFailure('result is not a finite number');
  return n;
}

function assertNever(x: never): never {
  throw new Error(`unhandled ${JSON.stringify(x)}`);
}
