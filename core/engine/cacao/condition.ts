// CACAO conditions are "STIX patterning" and nothing more is specified (CACAO README §3). Quell accepts this subset,
// with or without the [ ] of an observation expression:
//
//   condition  := or
//   or         := and ('OR' and)*
//   and        := primary ('AND' primary)*
//   primary    := '[' or ']' | '(' or ')' | operand op operand | operand ['NOT'] 'IN' '(' literal (',' literal)* ')'
//   operand    := __name__:value | 'quoted' | number | bare-word (an unquoted literal, as SOARCA's examples write)
//   op         := = | != | < | > | <= | >=
//
// and translates it into the Quell expression language over `vars.<name>`. The way back handles the same shapes.

export class ConditionError extends Error {}

type Tok =
  | { k: 'var'; name: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: string }
  | { k: 'word'; v: string }
  | { k: 'op'; v: string }
  | { k: 'p'; v: string };

function tokenizeStix(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const v = /^__([A-Za-z0-9_.-]+?)__:value\b/.exec(rest);
    if (v) {
      toks.push({ k: 'var', name: `__${v[1]}__` });
      i += v[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let s = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== "'"; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        s += rest[j];
      }
      if (j >= rest.length) throw new ConditionError(`an unclosed string at character ${i + 1}`);
      toks.push({ k: 'str', v: s });
      i += j + 1;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      toks.push({ k: 'op', v: op[1]! });
      i += op[0].length;
      continue;
    }
    if ('[]()'.includes(rest[0]!) || rest[0] === ',') {
      toks.push({ k: 'p', v: rest[0]! });
      i += 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![A-Za-z0-9_.-])/.exec(rest);
    if (num) {
      toks.push({ k: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_.-]+/.exec(rest);
    if (word) {
      toks.push({ k: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    throw new ConditionError(`unexpected ${JSON.stringify(rest[0])} at character ${i + 1}`);
  }
  return toks;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const QUELL_OP: Record<string, string> = { '=': '==', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
const FLIP: Record<string, string> = { '=': '=', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

type Node = { k: 'or' | 'and'; parts: Node[] } | { k: 'leaf'; text: string };

/**
 * STIX-pattern subset → Quell expression. `varName` maps a CACAO variable (`__x__`) to its Quell name. Throws a
 * ConditionError saying what it could not read.
 */
export function stixToQuell(text: string, varName: (cacaoName: string) => string): string {
  const toks = tokenizeStix(text);
  let pos = 0;
  const peek = () => toks[pos];
  const isKw = (t: Tok | undefined, kw: string) => t?.k === 'word' && t.v.toUpperCase() === kw;
  const literal = (t: Tok | undefined, numeric: boolean): string => {
    if (!t) throw new ConditionError('the condition ends where a value was expected');
    if (t.k === 'str') return numeric && /^-?\d+(\.\d+)?$/.test(t.v) ? t.v : quote(t.v);
    if (t.k === 'num') return numeric ? t.v : quote(t.v);
    if (t.k === 'word' && !['AND', 'OR', 'IN', 'NOT'].includes(t.v.toUpperCase())) return quote(t.v);
    throw new ConditionError(`expected a value, found ${describe(t)}`);
  };
  const parseOr = (): Node => {
    const parts = [parseAnd()];
    while (isKw(peek(), 'OR')) {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : { k: 'or', parts };
  };
  const parseAnd = (): Node => {
    const parts = [parsePrimary()];
    while (isKw(peek(), 'AND')) {
      pos++;
      parts.push(parsePrimary());
    }
    return parts.length === 1 ? parts[0]! : { k: 'and', parts };
  };
  const parsePrimary = (): Node => {
    const t = peek();
    if (t?.k === 'p' && (t.v === '[' || t.v === '(')) {
      pos++;
      const inner = parseOr();
      const close = toks[pos++];
      if (close?.k !== 'p' || close.v !== (t.v === '[' ? ']' : ')')) throw new ConditionError(`expected "${t.v === '[' ? ']' : ')'}"`);
      return inner;
    }
    const left = toks[pos++];
    if (!left) throw new ConditionError('the condition is empty where a comparison was expected');
    let negate = false;
    if (isKw(peek(), 'NOT') && isKw(toks[pos + 1], 'IN')) {
      negate = true;
      pos++;
    }
    if (isKw(peek(), 'IN')) {
      pos++;
      if (left.k !== 'var') throw new ConditionError('IN needs a variable on its left');
      const open = toks[pos++];
      if (open?.k !== 'p' || open.v !== '(') throw new ConditionError('IN needs a list in ( )');
      const items: string[] = [];
      for (;;) {
        items.push(literal(toks[pos++], false));
        const sep = toks[pos++];
        if (sep?.k === 'p' && sep.v === ')') break;
        if (sep?.k !== 'p' || sep.v !== ',') throw new ConditionError('expected "," or ")" in an IN list');
      }
      const v = `vars.${varName(left.name)}`;
      const leaves = items.map((it): Node => ({ k: 'leaf', text: `${v} ${negate ? '!=' : '=='} ${it}` }));
      return leaves.length === 1 ? leaves[0]! : { k: negate ? 'and' : 'or', parts: leaves };
    }
    const op = toks[pos++];
    if (op?.k !== 'op') throw new ConditionError(`expected a comparison operator after ${describe(left)}${op ? `, found ${describe(op)}` : ''}`);
    const right = toks[pos++];
    const numeric = op.v !== '=' && op.v !== '!=';
    if (left.k === 'var') return { k: 'leaf', text: `vars.${varName(left.name)} ${QUELL_OP[op.v]} ${literal(right, numeric)}` };
    if (right?.k === 'var') return { k: 'leaf', text: `vars.${varName(right.name)} ${QUELL_OP[FLIP[op.v]!]} ${literal(left, numeric)}` };
    throw new ConditionError(`a comparison needs a variable (__name__:value) on one side, found ${describe(left)}`);
  };
  const tree = parseOr();
  if (pos < toks.length) throw new ConditionError(`unexpected ${describe(toks[pos]!)} after the end of the condition`);
  return print(tree, 'top');
}

function describe(t: Tok): string {
  return t.k === 'var' ? `${t.name}:value` : t.k === 'str' ? quote(t.v) : JSON.stringify(t.v);
}

function print(n: Node, parent: 'top' | 'and' | 'or'): string {
  if (n.k === 'leaf') return n.text;
  const s = n.parts.map((p) => print(p, n.k)).join(n.k === 'and' ? ' && ' : ' || ');
  return n.k === 'or' && parent === 'and' ? `(${s})` : s;
}

// ── Quell → STIX ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Quell expression → STIX pattern, for the shapes `stixToQuell` produces: comparisons of `vars.<name>` with a
 * string or number literal, joined by && and || with parentheses. Returns null for anything else (the caller keeps
 * the Quell expression in the Quell extension and says so).
 */
export function quellToStix(expr: string, cacaoName: (quellName: string) => string): string | null {
  const toks: string[] = [];
  const re = /\s*(vars\.[A-Za-z_][A-Za-z0-9_]*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|==|!=|<=|>=|<|>|&&|\|\||\(|\))/y;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expr);
    if (!m) return null;
    toks.push(m[1]!);
    at = re.lastIndex;
  }
  let pos = 0;
  const value = (t: string | undefined): string | null => {
    if (t === undefined) return null;
    if (/^-?\d/.test(t)) return t;
    if (t.startsWith("'") || t.startsWith('"')) {
      const inner = t.slice(1, -1).replace(/\\(.)/g, '$1');
      return quote(inner);
    }
    return null;
  };
  const OPS: Record<string, string> = { '==': '=', '!=': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
  const or = (): string | null => {
    const parts = [and()];
    while (toks[pos] === '||') {
      pos++;
      parts.push(and());
    }
    return parts.some((p) => p === null) ? null : parts.join(' OR ');
  };
  const and = (): string | null => {
    const parts = [primary()];
    while (toks[pos] === '&&') {
      pos++;
      parts.push(primary());
    }
    return parts.some((p) => p === null) ? null : parts.join(' AND ');
  };
  const primary = (): string | null => {
    const t = toks[pos++];
    if (t === '(') {
      const inner = or();
      if (toks[pos++] !== ')' || inner === null) return null;
      return `(${inner})`;
    }
    if (!t?.startsWith('vars.')) return null;
    const op = OPS[toks[pos++] ?? ''];
    const v = value(toks[pos++]);
    if (!op || v === null) return null;
    return `${cacaoName(t.slice(5))}:value ${op} ${v}`;
  };
  const out = or();
  if (out === null || pos !== toks.length) return null;
  return `[${out}]`;
}
