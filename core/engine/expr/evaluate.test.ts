import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, evaluate, ExpressionError, isTruthy, type Value } from './index.js';

const scope = {
  inputs: { ip: '10.1.2.3', count: '5', flag: 'true' },
  vars: { k: 'name', i: 1, list: [10, 20, 30], empty: [], none: null },
  alert: { host: { name: 'PC1', 'key.with.dots': 'dotted' }, tags: ['a', 'b'], at: '2024-01-01T10:00:00Z' },
  steps: { lookup: { output: { hosts: [{ name: 'h1', ip: '10.0.0.1' }, { name: 'h2', ip: '8.8.8.8' }] } } },
};

/** The exact message evaluating `source` fails with. */
function evalError(source: string, s: Record<string, unknown> = scope): string {
  try {
    evaluate(source, s);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, `${source}: ${String(e)}`);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(source)} to fail`);
}

const check = (cases: [string, Value][], s: Record<string, unknown> = scope) => {
  for (const [source, value] of cases) assert.deepEqual(evaluate(source, s), value, source);
};

describe('literals', () => {
  test('numbers, strings with escapes, booleans, null, arrays and objects', () => {
    check([
      ['42', 42],
      ['3.25', 3.25],
      ['1e3', 1000],
      ['2.5E-1', 0.25],
      ['-7', -7],
      ['- -7', 7],
      ["'it\\'s'", "it's"],
      ['"say \\"hi\\""', 'say "hi"'],
      ["'a\\\\b'", 'a\\b'],
      ["'line\\nnext\\ttab\\r'", 'line\nnext\ttab\r'],
      ["'\\u00e9'", 'é'],
      ['"it\'s"', "it's"],
      ['true', true],
      ['false', false],
      ['null', null],
      ["[1, 'a', null, [true]]", [1, 'a', null, [true]]],
      ['[1, 2,]', [1, 2]],
      ['[]', []],
      ["{a: 1, 'b c': 2, \"d\": [3], 4: 'four', in: 5,}", { a: 1, 'b c': 2, d: [3], '4': 'four', in: 5 }],
      ['{}', {}],
      ['{a: vars.i + 1}', { a: 2 }],
    ]);
  });

  test('an object literal is an ordinary object', () => {
    const v = evaluate('{a: 1}', {});
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });
});

describe('paths', () => {
  test('dots, brackets, negative and computed indexes', () => {
    check([
      ['alert.host.name', 'PC1'],
      ["alert.host['name']", 'PC1'],
      ['alert.host["key.with.dots"]', 'dotted'],
      ['vars.list[0]', 10],
      ['vars.list[-1]', 30],
      ['vars.list[-3]', 10],
      ['vars.list[vars.i]', 20],
      ['alert.host[vars.k]', 'PC1'],
      ['steps.lookup.output.hosts[1].ip', '8.8.8.8'],
      ['steps.lookup.output.hosts[-1]["name"]', 'h2'],
      ['{a: [1, {b: 2}]}.a[1].b', 2],
      ['[5, 6][1]', 6],
    ]);
  });

  test('anything missing is null and never throws', () => {
    check([
      ['nothing', null],
      ['nothing.at.all', null],
      ['vars.none.x', null],
      ['vars.list[3]', null],
      ['vars.list[-4]', null],
      ['vars.list[0.5]', null],
      ["vars.list['0']", null],
      ['vars.list.length', null], // arrays have no properties: len(x)
      ['alert.host.name.first', null],
      ['alert.host[vars.none]', null],
      ['alert.host[vars.list]', null],
      ['vars.i.x', null],
      ['vars.empty[0]', null],
      ['nothing == null', true],
      ['vars.none == null', true],
      ['alert.host.name == null', false],
    ]);
  });

  test('only own properties are read, never the prototype chain', () => {
    check([
      ['alert.host.toString', null],
      ['alert.host.hasOwnProperty', null],
      ['vars.list.map', null],
      ["alert.host['valueOf']", null],
      ['toString', null],
    ]);
    const inherited = Object.create({ secret: 1 }) as Record<string, unknown>;
    inherited.own = 2;
    assert.equal(evaluate('x.secret', { x: inherited }), null);
    assert.equal(evaluate('x.own', { x: inherited }), 2);
    assert.equal(evaluate('secret', inherited), null);
  });

  test('computed __proto__, constructor and prototype are refused at evaluation time', () => {
    const s = { a: { b: 1 }, k: '__proto__', c: 'constructor', p: 'prototype' };
    assert.equal(evalError('a[k]', s), 'property "__proto__" is not allowed at column 2 in "a[k]"');
    assert.equal(evalError('a[c]', s), 'property "constructor" is not allowed at column 2 in "a[c]"');
    assert.equal(evalError("a['pro' + 'totype']", s), 'property "prototype" is not allowed at column 2 in "a[\'pro\' + \'totype\']"');
    assert.equal(evalError("filter([a], '__proto__.x', 1)", s), 'property "__proto__" is not allowed at column 1 in "filter([a], \'__proto__.x\', 1)"');
    assert.equal(evaluate('a[p] == null', { ...s, p: 'b' }), false);
  });

  test('scopes and values created with Object.create(null) work', () => {
    const s = Object.create(null) as Record<string, unknown>;
    const host = Object.create(null) as Record<string, unknown>;
    host.name = 'PC9';
    s.alert = { host };
    s.n = 3;
    check(
      [
        ['alert.host.name', 'PC9'],
        ['n + 1', 4],
        ['missing', null],
        ["'name' in alert.host", true],
        ["alert.host == {name: 'PC9'}", true],
        ['keys(alert.host)', ['name']],
        ['json(alert)', '{"host":{"name":"PC9"}}'],
      ],
      s,
    );
  });

  test('values JSON cannot hold read as null; a Date reads as its ISO text', () => {
    const s = { u: undefined, f: () => 1, nan: NaN, inf: Infinity, big: 10n, d: new Date(Date.UTC(2024, 0, 2)), sym: Symbol('s') };
    check(
      [
        ['u', null],
        ['f', null],
        ['nan', null],
        ['inf', null],
        ['big', null],
        ['sym', null],
        ['d', '2024-01-02T00:00:00.000Z'],
        ['[u, nan][0] == null', true],
      ],
      s,
    );
    assert.equal(evaluate('json(x)', { x: { a: undefined, b: [undefined, NaN], c: 1 } }), '{"b":[null,null],"c":1}');
  });
});

describe('operators', () => {
  test('equality is strict on type, except numbers and numeric strings; deep for arrays and objects', () => {
    check([
      ['1 == 1', true],
      ['"5" == 5', true],
      ['5 == "5"', true],
      ['5 == "5.0"', true],
      ['5 == " 5 "', true],
      ['inputs.count == 5', true],
      ['inputs.count != 5', false],
      ['"5" == "5.0"', false], // two strings compare as strings
      ['5 == "five"', false],
      ['0 == ""', false],
      ['0 == false', false],
      ['1 == true', false],
      ['null == false', false],
      ['null == 0', false],
      ['null == null', true],
      ['"a" == "a"', true],
      ['[1, [2, "3"]] == [1, [2, 3]]', true],
      ['[1, 2] == [2, 1]', false],
      ['[1] == [1, 1]', false],
      ['{a: 1, b: [2]} == {b: [2], a: 1}', true],
      ['{a: 1} == {a: 1, b: 2}', false],
      ['{a: 1} == {b: 1}', false],
      ['{a: null} != {}', true],
      ['[] == {}', false],
      ["'1e3' == 1000", true],
      ["'0x10' == 16", false],
      ["'' == 0", false],
    ]);
  });

  test('order: numbers, strings, ISO timestamps as instants; a number with a numeric string; other mixes throw', () => {
    check([
      ['1 < 2', true],
      ['2 <= 2', true],
      ['3 > 2.5', true],
      ['-1 >= 0', false],
      ["'apple' < 'banana'", true],
      ["'Z' < 'a'", true],
      ["'10' < '9'", true], // two strings: by character
      ["inputs.count > 4", true],
      ["4 < '10'", true],
      ["'2024-01-01T10:00:00+02:00' < '2024-01-01T09:00:00Z'", true],
      ["'2024-01-01T10:00:00Z' == '2024-01-01T12:00:00+02:00'", false], // equality stays textual
      ["alert.at >= '2024-01-01'", true],
      ["'2024-01-01T10:00:00.5Z' > '2024-01-01T10:00:00Z'", true],
    ]);
    assert.equal(evalError("'a' < 1"), 'cannot compare string with number at column 5 in "\'a\' < 1"');
    assert.equal(evalError('null < 1'), 'cannot compare null with number at column 6 in "null < 1"');
    assert.equal(evalError('vars.none >= 0'), 'cannot compare null with number at column 11 in "vars.none >= 0"');
    assert.equal(evalError('true > false'), 'cannot compare boolean with boolean at column 6 in "true > false"');
    assert.equal(evalError('[1] < [2]'), 'cannot compare array with array at column 5 in "[1] < [2]"');
  });

  test('arithmetic, and + concatenating when either side is a string', () => {
    check([
      ['1 + 2', 3],
      ['0.1 + 0.2', 0.30000000000000004],
      ["'a' + 1", 'a1'],
      ["1 + 'a'", '1a'],
      ["'n=' + null", 'n='],
      ["'x' + true", 'xtrue'],
      ["'x' + [1, 'a']", 'x[1,"a"]'],
      ["'x' + {a: 1}", 'x{"a":1}'],
      ["inputs.count + 1", '51'],
      ['inputs.count - 1', 4],
      ['inputs.count * 2', 10],
      ['7 / 2', 3.5],
      ['-7 % 3', -1],
      ["'6' / '3'", 2],
    ]);
    assert.equal(evalError('1 + null'), 'cannot add number and null at column 3 in "1 + null"');
    assert.equal(evalError('[1] + [2]'), 'cannot add array and array at column 5 in "[1] + [2]"');
    assert.equal(evalError("'a' - 1"), 'cannot subtract string and number at column 5 in "\'a\' - 1"');
    assert.equal(evalError('true * 2'), 'cannot multiply boolean and number at column 6 in "true * 2"');
    assert.equal(evalError('1 / 0'), 'division by zero at column 3 in "1 / 0"');
    assert.equal(evalError('1 % 0'), 'division by zero at column 3 in "1 % 0"');
    assert.equal(evalError('{} % 2'), 'cannot take the remainder of object and number at column 4 in "{} % 2"');
    assert.equal(evalError('1e308 * 10'), 'result is not a finite number at column 7 in "1e308 * 10"');
    assert.equal(evalError("-'a'"), 'cannot negate string at column 1 in "-\'a\'"');
    assert.equal(evaluate("-inputs.count", scope), -5);
  });

  test('in and not in: element of an array, substring of a string, key of an object', () => {
    check([
      ["'a' in alert.tags", true],
      ["'c' in alert.tags", false],
      ['20 in vars.list', true],
      ["'20' in vars.list", true],
      ['[1] in [[1], [2]]', true],
      ["'PC' in alert.host.name", true],
      ['1 in "a1"', true],
      ["'name' in alert.host", true],
      ["'toString' in alert.host", false],
      ['1 in {a: 1}', false],
      ["'x' in nothing", false],
      ["'c' not in alert.tags", true],
    ]);
    assert.equal(evalError("null in 'abc'"), 'cannot look for null in a string at column 6 in "null in \'abc\'"');
    assert.equal(evalError('1 in 2'), 'cannot look inside number at column 3 in "1 in 2"');
  });

  test('&& and || short-circuit and give booleans; ?? gives the first non-null value', () => {
    check([
      ["1 && 'x'", true],
      ['0 || null', false],
      ["'' || 'b'", true],
      ['[] || {}', false],
      ['[0] && {a: null}', true],
      ['false && 1 / 0', false],
      ['true || 1 / 0', true],
      ['false and nothing.x > 1', false],
      ['null ?? 0', 0],
      ['0 ?? 1', 0],
      ["'' ?? 'x'", ''],
      ['nothing ?? vars.none ?? "d"', 'd'],
      ['vars.list ?? 1 / 0', [10, 20, 30]],
      ["true ? 'y' : 1 / 0", 'y'],
      ['!nothing', true],
      ['not vars.empty', true],
      ['!!vars.list', true],
    ]);
    assert.equal(evalError('true && 1 / 0'), 'division by zero at column 11 in "true && 1 / 0"');
  });

  test('isTruthy: null, false, 0, "", [] and {} are falsy', () => {
    assert.deepEqual(
      [null, false, 0, '', [], {}, true, 1, -1, 'false', '0', [0], { a: null }].map((v) => isTruthy(v as Value)),
      [false, false, false, false, false, false, true, true, true, true, true, true, true],
    );
  });
});

describe('limits at evaluation', () => {
  test('strings past 1,000,000 characters and arrays past 100,000 elements are refused', () => {
    const half = 'x'.repeat(500_000);
    assert.equal((evaluate('s + s', { s: half }) as string).length, 1_000_000);
    assert.equal(evalError('s + s + "!"', { s: half }), 'result is longer than 1000000 characters at column 7 in "s + s + \\"!\\""');
    const big = Array(60_000).fill(1);
    assert.equal((evaluate('flatten([a])', { a: big }) as Value[]).length, 60_000);
    assert.equal(evalError('flatten([a, a])', { a: big }), 'result has more than 100000 elements at column 1 in "flatten([a, a])"');
    assert.equal(evalError("split(s, '')", { s: 'y'.repeat(100_001) }), 'result has more than 100000 elements at column 1 in "split(s, \'\')"');
    // Many references to one large value: JSON is refused while it is being written, not after.
    assert.equal(evalError('json([s, s, s])', { s: half }), 'result is longer than 1000000 characters at column 1 in "json([s, s, s])"');
    assert.equal(evalError("replace(s, 'x', 'xx')", { s: half + 'x' }), 'result is longer than 1000000 characters at column 1 in "replace(s, \'x\', \'xx\')"');
    assert.equal(evalError("join([s, s, 'x'], '')", { s: half }), 'result is longer than 1000000 characters at column 1 in "join([s, s, \'x\'], \'\')"');
  });

  test('a scope value nested too deeply, or holding a cycle, fails as an ExpressionError', () => {
    const nest = () => {
      let deep: unknown = 1;
      for (let i = 0; i < 100_000; i++) deep = [deep];
      return deep;
    };
    assert.equal(evalError('a == b', { a: nest(), b: nest() }), 'a value is nested too deeply to evaluate at column 3 in "a == b"');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.equal(evalError('json(c)', { c: cycle }), 'a value is nested too deeply to evaluate at column 1 in "json(c)"');
    assert.equal(evaluate('c.self.self.self == null', { c: cycle }), false);
  });

  test('the compiled tree is reused across scopes and evaluate() caches compilation', () => {
    const e = compileExpression('x * 2');
    assert.deepEqual([1, 2, 3].map((x) => e.evaluate({ x })), [2, 4, 6]);
    for (let i = 0; i < 600; i++) assert.equal(evaluate(`${i} + x`, { x: 1 }), i + 1);
    assert.equal(evaluate('0 + x', { x: 5 }), 5);
  });
});
