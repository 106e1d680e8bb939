// The condition grammar: `and`, `or`, `not`, parentheses, `N of pattern`, `all of pattern`, `any of pattern`,
// `... of them`. Precedence, loosest first: or, and, not, `x of`, parentheses.
import { RuleError } from './fields.js';

export type Condition =
  | { t: 'id'; id: number }
  | { t: 'not'; x: Condition }
  | { t: 'and'; xs: Condition[] }
  | { t: 'or'; xs: Condition[] }
  /** At least `need` of the identifiers (`all of`: every one of them). */
  | { t: 'of'; need: number; ids: number[]; text: string };

type Token = { kind: 'lp' | 'rp' | 'word'; text: string; at: number };

function tokenize(text: string): Token[] {
  return [...text.matchAll(/\(|\)|[^\s()]+/g)].map((m) => ({
    kind: m[0] === '(' ? 'lp' : m[0] === ')' ? 'rp' : 'word',
    text: m[0],
    at: m.index,
  }));
}

const keyword = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toLowerCase() === word;

/**
 * Parses one condition over the rule's search identifiers (their names, in detection order). Unknown identifiers,
 * patterns that name none, aggregations (`| count()`, deprecated in Sigma 2) and syntax errors are rejections.
 */
export function parseCondition(text: string, identifiers: readonly string[]): Condition {
  if (/\|/.test(text)) {
    throw new RuleError(`condition "${text}": aggregations ("| count() …") were removed in Sigma 2 and are not supported; use a correlation rule`);
  }
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (why: string): never => {
    const at = tokens[pos]?.at ?? text.length;
    throw new RuleError(`condition "${text}": ${why} at character ${at + 1}`);
  };
  const index = new Map(identifiers.map((name, i) => [name, i]));

  const orExpr = (): Condition => {
    const xs = [andExpr()];
    while (keyword(tokens[pos], 'or')) {
      pos++;
      xs.push(andExpr());
    }
    return xs.length === 1 ? xs[0]! : { t: 'or', xs };
  };
  const andExpr = (): Condition => {
    const xs = [notExpr()];
    while (keyword(tokens[pos], 'and')) {
      pos++;
      xs.push(notExpr());
    }
    return xs.length === 1 ? xs[0]! : { t: 'and', xs };
  };
  const notExpr = (): Condition => {
    if (keyword(tokens[pos], 'not')) {
      pos++;
      return { t: 'not', x: notExpr() };
    }
    return primary();
  };
  const primary = (): Condition => {
    const tok = tokens[pos];
    if (!tok) return fail('the condition ends where an identifier or "(" was expected');
    if (tok.kind === 'lp') {
      pos++;
      const inner = orExpr();
      if (tokens[pos]?.kind !== 'rp') fail('a ")" is missing');
      pos++;
      return inner;
    }
    if (tok.kind === 'rp') return fail('unexpected ")"');
    const word = tok.text.toLowerCase();
    if (['and', 'or', 'of', 'them'].includes(word)) return fail(`unexpected "${tok.text}"`);
    if (keyword(tokens[pos + 1], 'of')) return quantifier(tok);
    pos++;
    const id = index.get(tok.text);
    if (id === undefined) {
      throw new RuleError(`condition "${text}": "${tok.text}" is not a search identifier of the detection (${identifiers.join(', ') || 'none'})`);
    }
    return { t: 'id', id };
  };
  const quantifier = (tok: Token): Condition => {
    const word = tok.text.toLowerCase();
    let need: number | 'all';
    if (word === 'all') need = 'all';
    else if (word === 'any') need = 1;
    else if (/^\d+$/.test(word) && Number(word) >= 1) need = Number(word);
    else return fail(`"${tok.text} of" must be "all of", "any of" or a number of at least 1 followed by "of"`);
    pos += 2;
    const target = tokens[pos];
    if (!target || target.kind !== 'word') return fail('"of" must be followed by "them" or a search identifier pattern');
    pos++;
    let ids: number[];
    if (target.text.toLowerCase() === 'them') {
      ids = identifiers.flatMap((name, i) => (name.startsWith('_') ? [] : [i]));
    } else {
      const glob = new RegExp(`^${target.text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      ids = identifiers.flatMap((name, i) => (glob.test(name) ? [i] : []));
    }
    const phrase = `${tok.text} of ${target.text}`;
    if (!ids.length) throw new RuleError(`condition "${text}": "${phrase}" names no search identifier of the detection`);
    const count = need === 'all' ? ids.length : need;
    if (count > ids.length) throw new RuleError(`condition "${text}": "${phrase}" asks for ${count} of only ${ids.length} search identifiers`);
    return { t: 'of', need: count, ids, text: phrase };
  };

  if (!tokens.length) throw new RuleError('the condition is empty');
  const tree = orExpr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]!.text}"`);
  return tree;
}

/** The identifiers a condition uses. */
export function usedIdentifiers(c: Condition, into = new Set<number>()): Set<number> {
  switch (c.t) {
    case 'id':
      into.add(c.id);
      break;
    case 'not':
      usedIdentifiers(c.x, into);
      break;
    case 'and':
    case 'or':
      for (const x of c.xs) usedIdentifiers(x, into);
      break;
    case 'of':
      for (const id of c.ids) into.add(id);
  }
  return into;
}
