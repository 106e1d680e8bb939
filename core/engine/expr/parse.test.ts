import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpression, compileExpression, evaluate, ExpressionError } from './index.js';

/** The exact message of the ExpressionError that compiling `source` throws. */
function syntaxError(source: string): string {
  const error = checkExpression(source);
  assert.ok(error instanceof ExpressionError, `expected ${JSON.stringify(source)} to fail`);
  return error.message;
}

describe('syntax errors name what was wrong, the column and the source', () => {
  test('each failure beside a success', () => {
    const cases: [ok: string, bad: string, message: string][] = [
      ['a == (b)', 'a == (b))', 'unexpected ")" at column 9 in "a == (b))"'],
      ['1 + 2', '1 +', 'unexpected end of expression at column 4 in "1 +"'],
      ['a == 1', 'a = 1', 'unexpected "=" (use "==" to compare) at column 3 in "a = 1"'],
      ['a && b', 'a & b', 'unexpected "&" (use "&&" or "and") at column 3 in "a & b"'],
      ['a || b', 'a | b', 'unexpected "|" (use "||" or "or") at column 3 in "a | b"'],
      ["'abc'", "'abc", 'unterminated string at column 1 in "\'abc"'],
      ["'a\\tb'", "'a\\qb'", 'unknown escape "\\\\q" at column 3 in "\'a\\\\qb\'"'],
      ['a + b', 'a # b', 'unexpected character "#" at column 3 in "a # b"'],
      ['12', '12abc', 'unexpected character "a" after a number at column 3 in "12abc"'],
      ['1e308', '1e999', 'number 1e999 is out of range at column 1 in "1e999"'],
      ['lower(x)', 'foo(x)', 'unknown function "foo" at column 1 in "foo(x)"'],
      ['len(x)', 'len(x, y)', 'len() takes 1 argument, not 2 at column 1 in "len(x, y)"'],
      ['slice(x, 1)', 'slice(x)', 'slice() takes 2 to 3 arguments, not 1 at column 1 in "slice(x)"'],
      ['coalesce(x)', 'coalesce()', 'coalesce() takes at least 1 argument, not 0 at column 1 in "coalesce()"'],
      ['lower(a.b)', 'a.b()', 'method calls are not supported: call a function by name, e.g. lower(x) rather than x.lower() at column 4 in "a.b()"'],
      ['len(x)', 'len(x)(y)', 'only functions can be called, by name: len(x) at column 7 in "len(x)(y)"'],
      ['a.b', 'a.', 'unexpected end of expression at column 3 in "a."'],
      ['a.b', 'a.1', 'expected a property name after "." but found number 1 at column 3 in "a.1"'],
      ['[1, 2]', '[1 2]', 'expected "," but found number 2 at column 4 in "[1 2]"'],
      ['(a)', '(a', 'expected ")" but the expression ended at column 3 in "(a"'],
      ['a ? b : c', 'a ? b', 'expected ":" but the expression ended at column 6 in "a ? b"'],
      ['{a: 1}', '{a 1}', 'expected ":" but found number 1 at column 4 in "{a 1}"'],
      ['{a: 1}', '{[a]: 1}', 'expected a key but found "[" at column 2 in "{[a]: 1}"'],
      ['a in b', 'a not b', 'unexpected "not" at column 3 in "a not b"'],
      ['x', '', 'empty expression at column 1 in ""'],
      ['x', '   ', 'empty expression at column 4 in "   "'],
      ['a', 'and', 'unexpected "and" at column 1 in "and"'],
    ];
    for (const [ok, bad, message] of cases) {
      assert.equal(checkExpression(ok), null, ok);
      assert.equal(syntaxError(bad), message, bad);
    }
  });

  test('the error carries the source and the 0-based position', () => {
    assert.throws(() => compileExpression('a == (b))'), (e: unknown) => {
      assert.ok(e instanceof ExpressionError);
      assert.equal(e.name, 'ExpressionError');
      assert.equal(e.expression, 'a == (b))');
      assert.equal(e.position, 8);
      assert.equal(e.reason, 'unexpected ")"');
      return true;
    });
  });

  test('a long source is shown as a window around the column', () => {
    const source = `${'a + '.repeat(40)}(`;
    assert.equal(
      syntaxError(source),
      `unexpected end of expression at column 162 in ${JSON.stringify(`…${source.slice(81)}`)}`,
    );
  });

  test('reading __proto__, constructor or prototype is refused at compile time, in every form', () => {
    assert.equal(syntaxError('a.constructor'), 'property "constructor" is not allowed at column 3 in "a.constructor"');
    assert.equal(syntaxError('a.__proto__.x'), 'property "__proto__" is not allowed at column 3 in "a.__proto__.x"');
    assert.equal(syntaxError("a['__proto__']"), 'property "__proto__" is not allowed at column 2 in "a[\'__proto__\']"');
    assert.equal(syntaxError('a["constructor"]'), 'property "constructor" is not allowed at column 2 in "a[\\"constructor\\"]"');
    assert.equal(syntaxError('b.prototype'), 'property "prototype" is not allowed at column 3 in "b.prototype"');
    assert.equal(syntaxError('constructor'), 'property "constructor" is not allowed at column 1 in "constructor"');
    assert.equal(syntaxError('{__proto__: 1}'), 'property "__proto__" is not allowed at column 2 in "{__proto__: 1}"');
    assert.equal(syntaxError("{'constructor': 1}"), 'property "constructor" is not allowed at column 2 in "{\'constructor\': 1}"');
    assert.equal(syntaxError('constructor(1)'), 'unknown function "constructor" at column 1 in "constructor(1)"');
    assert.equal(syntaxError('toString(1)'), 'unknown function "toString" at column 1 in "toString(1)"');
  });

  test('limits: 10,000 characters and 64 levels of nesting', () => {
    const long = `a${' '.repeat(9_999)}`;
    assert.equal(checkExpression(long), null);
    assert.equal(syntaxError(`${long} `), `expression is longer than 10000 characters at column 1 in ${JSON.stringify(`a${' '.repeat(79)}…`)}`);
    assert.equal(evaluate(`${'('.repeat(30)}1${')'.repeat(30)}`, {}), 1);
    assert.equal(evaluate(`${'('.repeat(63)}1${')'.repeat(63)}`, {}), 1);
    assert.equal(
      syntaxError(`${'('.repeat(64)}1${')'.repeat(64)}`),
      `expression nests deeper than 64 levels at column 65 in "…${'('.repeat(40)}1${')'.repeat(39)}…"`,
    );
    assert.equal(evaluate(`${'-'.repeat(62)}x`, { x: 1 }), 1);
    assert.match(syntaxError(`${'!'.repeat(70)}x`), /^expression nests deeper than 64 levels at column \d+ in /);
    // A long left-leaning chain is deep as a tree even though it parses in a loop.
    assert.equal(evaluate(Array(64).fill('1').join('+'), {}), 64);
    const chain = Array(66).fill('1').join('+');
    assert.equal(syntaxError(chain), `expression nests deeper than 64 levels at column 128 in "…${chain.slice(51)}"`);
    assert.equal(evaluate(`${'['.repeat(60)}${']'.repeat(60)}`, {}) !== null, true);
  });
});

describe('precedence', () => {
  const table: [source: string, value: unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['12 / 3 / 2', 2],
    ['7 % 4 * 2', 6],
    ['-2 * 3', -6],
    ['- x.y * 2', -10],
    ['1 + 2 == 3', true],
    ['1 < 2 == true', true],
    ['1 == 1 && 2 == 3', false],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false or true and true', true],
    ['!1 == 2', true], // `!` binds looser than `==`: !(1 == 2), not (!1) == 2
    ['not 1 == 2', true],
    ['!false && false', false],
    ['not false and false', false],
    ['2 in [1, 2] == true', true], // `in` binds tighter than `==`
    ["'a' + 'b' in 'xaby'", true],
    ['null ?? 1 + 1', 2],
    ['null ?? false || true', true], // `??` is looser than `||`
    ['1 ?? 2 ? 3 : 4', 3],
    ['true ? 1 : false ? 2 : 3', 1],
    ['false ? 1 : false ? 2 : 3', 3],
    ['false ? 1 : true ? 2 : 3', 2],
    ['1 < 2 ? "y" : "n"', 'y'],
    ['3 not in [1, 2]', true],
    ['x.y + 1 > 5', true],
  ];
  for (const [source, value] of table) {
    test(`${source} → ${JSON.stringify(value)}`, () => assert.deepEqual(evaluate(source, { x: { y: 5 } }), value));
  }
});

describe('paths', () => {
  test('the static root-relative paths an expression reads, once each, in order', () => {
    const cases: [string, string[]][] = [
      ['vars.ip == alert.host.name', ['vars.ip', 'alert.host.name']],
      ['a.b + a.b + a', ['a.b', 'a']],
      ['a["key.with.dots"].x', ['a["key.with.dots"].x']],
      ['alert.hosts[0].name', ['alert.hosts[0].name']],
      ['a[-1]', ['a[-1]']],
      ['a[vars.k].b', ['a', 'vars.k']],
      ["len(steps.lookup.output) > 0 && exists(inputs['ip'])", ['steps.lookup.output', 'inputs.ip']],
      ["pluck(item.rows, 'host.name')", ['item.rows']],
      ['[a, {k: b.c}] ?? (d ? e : f)', ['a', 'b.c', 'd', 'e', 'f']],
      ['first(x).y', ['x']],
      ["1 + 'a'", []],
    ];
    for (const [source, paths] of cases) assert.deepEqual(compileExpression(source).paths, paths, source);
  });

  test('a compiled expression keeps its source', () => {
    const e = compileExpression(' a ');
    assert.equal(e.source, ' a ');
    assert.equal(e.evaluate({ a: 1 }), 1);
    assert.equal(e.evaluate({ a: 2 }), 2);
  });
});
