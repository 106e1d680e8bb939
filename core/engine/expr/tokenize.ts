import { expressionError } from './error.js';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The operator or name text, the decoded string, or the number's source text. */
  text: string;
  value?: number;
  /** Offset of the token's first character in the source. */
  pos: number;
}

/** Longest first, so `==` is never read as `=` `=` and `??` never as `?` `?`. */
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '??', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':', '(', ')', '[', ']', '{', '}', ',', '.'];

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z_$]/.test(c);
const isNamePart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_$]/.test(c);

/** Hints for characters people bring from other languages. */
const HINTS: Record<string, string> = {
  '=': 'unexpected "=" (use "==" to compare)',
  '&': 'unexpected "&" (use "&&" or "and")',
  '|': 'unexpected "|" (use "||" or "or")',
  '`': 'unexpected "`" (strings use \' or ")',
};

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (isDigit(source[j])) {
          i = j;
          while (isDigit(source[i])) i++;
        }
      }
      if (isNamePart(source[i])) throw expressionError(`unexpected character ${JSON.stringify(source[i])} after a number`, source, i);
      const text = source.slice(start, i);
      const value = Number(text);
      if (!Number.isFinite(value)) throw expressionError(`number ${text} is out of range`, source, start);
      tokens.push({ kind: 'number', text, value, pos: start });
      continue;
    }
    if (isNameStart(c)) {
      while (isNamePart(source[i])) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), pos: start });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      let text = '';
      for (;;) {
        if (i >= n) throw expressionError('unterminated string', source, start);
        const d = source[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = source[i + 1];
          if (e === undefined) throw expressionError('unterminated string', source, start);
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            text += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const decoded = ESCAPES[e];
          if (decoded === undefined) throw expressionError(`unknown escape ${JSON.stringify(`\\${e}`)}`, source, i);
          text += decoded;
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      tokens.push({ kind: 'string', text, pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) throw expressionError(HINTS[c] ?? `unexpected character ${JSON.stringify(c)}`, source, i);
    tokens.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', pos: n });
  return tokens;
}
