import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, ExpressionError, FUNCTIONS, type Value } from './index.js';

const scope = {
  hosts: [
    { name: 'h1', os: { family: 'windows' }, score: 3 },
    { name: 'h2', os: { family: 'linux' }, score: 1 },
    { name: 'h3', os: { family: 'windows' }, score: 2 },
    { name: 'h4' },
  ],
  nums: [3, '1', 2],
  s: '  Mixed Case  ',
  o: { b: 2, a: 1 },
  t: '2024-03-01T12:00:00Z',
};

const check = (cases: [string, Value][]) => {
  for (const [source, value] of cases) assert.deepEqual(evaluate(source, scope), value, source);
};

function evalError(source: string): string {
  try {
    evaluate(source, scope);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, `${source}: ${String(e)}`);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(source)} to fail`);
}

const fails = (cases: [string, string][]) => {
  for (const [source, reason] of cases) assert.equal(evalError(source).replace(/ at column \d+ in ".*"$/s, ''), reason, source);
};

test('FUNCTIONS lists the whitelist, and each name is tested below', () => {
  assert.deepEqual(FUNCTIONS, [
    'len', 'lower', 'upper', 'trim', 'contains', 'startsWith', 'endsWith', 'matches', 'replace', 'split', 'join', 'keys',
    'values', 'exists', 'coalesce', 'int', 'float', 'string', 'bool', 'round', 'min', 'max', 'abs', 'sum', 'first', 'last',
    'unique', 'sort', 'flatten', 'slice', 'parseTime', 'addSeconds', 'secondsBetween', 'cidrContains', 'isPrivateIp', 'json',
    'fromJson', 'filter', 'pluck', 'count',
  ]);
  assert.ok(Object.isFrozen(FUNCTIONS));
  assert.equal(FUNCTIONS.includes('now'), false);
  assert.equal(evalError('now()'), 'unknown function "now" at column 1 in "now()"');
});

describe('text', () => {
  test('len, lower, upper, trim', () => {
    check([
      ['len("abc")', 3],
      ['len(hosts)', 4],
      ['len(o)', 2],
      ['len(null)', 0],
      ['lower(s)', '  mixed case  '],
      ['upper("é")', 'É'],
      ['trim(s)', 'Mixed Case'],
      ['lower(null)', null],
    ]);
    fails([
      ['len(5)', 'len() expects a string, array or object, not number'],
      ['lower(1)', 'lower() expects a string, not number'],
      ['trim([])', 'trim() expects a string, not array'],
    ]);
  });

  test('contains, startsWith, endsWith', () => {
    check([
      ['contains("abc", "b")', true],
      ['contains(hosts[0], "name")', true],
      ['contains(nums, 1)', true],
      ['contains(null, "x")', false],
      ['startsWith("powershell.exe", "power")', true],
      ['startsWith("powershell.exe", "Power")', false],
      ['endsWith("a.exe", ".exe")', true],
      ['endsWith(null, ".exe")', false],
    ]);
    fails([
      ['contains(1, 1)', 'cannot look inside number'],
      ['startsWith("a", 1)', 'startsWith() expects a string, not number'],
      ['endsWith(1, "a")', 'endsWith() expects a string, not number'],
    ]);
  });

  test('matches: bounded regular expressions', () => {
    check([
      ['matches("cmd.exe /c whoami", "whoami$")', true],
      ['matches("ABC", "^abc$")', false],
      ['matches("ABC", "^abc$", "i")', true],
      ['matches(null, "x")', false],
    ]);
    // Only the first 100,000 characters are searched.
    assert.equal(evaluate('matches(x, "b")', { x: `${'a'.repeat(100_000)}b` }), false);
    assert.equal(evaluate('matches(x, "b")', { x: `${'a'.repeat(99_999)}b` }), true);
    fails([
      ['matches("a", "(")', 'matches() got an invalid regular expression "("'],
      [`matches("a", "${'a'.repeat(201)}")`, 'matches() refuses regular expressions longer than 200 characters'],
      ['matches("a", "a", "g")', 'matches() flags may only be i, m and s, not "g"'],
      ['matches("a", 1)', 'matches() expects a string, not number'],
      ['matches("a", "(a+)+$")', 'matches() refuses nested repetition such as (a+)+, which can take exponential time'],
      ['matches("a", "(\\\\w*,)*x")', 'matches() refuses nested repetition such as (a+)+, which can take exponential time'],
      ['matches("a", "((ab)*c)+")', 'matches() refuses nested repetition such as (a+)+, which can take exponential time'],
      ['matches("a", "(x|[a-z]+){2,}")', 'matches() refuses nested repetition such as (a+)+, which can take exponential time'],
      ['matches("a", "(a{1,3})+")', 'matches() refuses nested repetition such as (a+)+, which can take exponential time'],
    ]);
    check([
      ['matches("ab,ab", "^(ab,?)+$")', true],
      ['matches("a+b", "(a\\\\+)+b")', true],
      ['matches("x1", "([a-z]\\\\d)?")', true],
      ['matches("aaa", "(a{3})+")', true],
    ]);
    assert.equal(evaluate(`matches("a", "${'a?'.repeat(100)}")`, {}), true);
  });

  test('replace (plain text, every occurrence), split, join', () => {
    check([
      ['replace("a.b.c", ".", "-")', 'a-b-c'],
      ['replace("a$b", "$", "$&")', 'a$&b'],
      ['replace(null, "a", "b")', null],
      ['split("a,b,,c", ",")', ['a', 'b', '', 'c']],
      ['split(null, ",")', []],
      ['join(["a", 1, null, true, [2]], "|")', 'a|1||true|[2]'],
      ['join(["a", "b"])', 'a,b'],
      ['join(null, "-")', ''],
    ]);
    fails([
      ['replace("a", "", "b")', 'replace() cannot replace an empty string'],
      ['replace("a", "a", 1)', 'replace() expects a string, not number'],
      ['split(1, ",")', 'split() expects a string, not number'],
      ['join("ab", ",")', 'join() expects an array, not string'],
    ]);
  });
});

describe('values and conversions', () => {
  test('keys, values, exists, coalesce', () => {
    check([
      ['keys(o)', ['b', 'a']],
      ['values(o)', [2, 1]],
      ['keys(null)', []],
      ['values(null)', []],
      ['exists(o.a)', true],
      ['exists(o.zz)', false],
      ['exists(false)', true],
      ['coalesce(null, o.zz, 0, 1)', 0],
      ['coalesce(null)', null],
    ]);
    fails([
      ['keys([1])', 'keys() expects an object, not array'],
      ['values("x")', 'values() expects an object, not string'],
    ]);
  });

  test('int, float, string, bool', () => {
    check([
      ['int("42")', 42],
      ['int(-3.9)', -3],
      ['int(" 7 ")', 7],
      ['int(true)', 1],
      ['int(null)', null],
      ['float("2.5")', 2.5],
      ['float(false)', 0],
      ['float(null)', null],
      ['string(1.5)', '1.5'],
      ['string(null)', ''],
      ['string(o)', '{"b":2,"a":1}'],
      ['string("x")', 'x'],
      ['bool("false")', false],
      ['bool(" TRUE ")', true],
      ['bool("no")', true],
      ['bool(0)', false],
      ['bool([])', false],
      ['bool(null)', false],
    ]);
    fails([
      ['int("abc")', 'int() expects a number, not "abc"'],
      ['float([1])', 'float() expects a number, not array'],
    ]);
  });

  test('round, min, max, abs, sum', () => {
    check([
      ['round(2.5)', 3],
      ['round(-2.5)', -3],
      ['round(1.005, 2)', 1.01],
      ['round("3.14159", 3)', 3.142],
      ['round(null)', null],
      ['min(3, 1, 2)', 1],
      ['max(nums)', 3],
      ['min(nums)', '1'],
      ['max("b", "a")', 'b'],
      ["max('2024-01-01T10:00:00+02:00', '2024-01-01T09:00:00Z')", '2024-01-01T09:00:00Z'],
      ['min([])', null],
      ['max(null, 2)', 2],
      ['abs(-4)', 4],
      ['abs("-1.5")', 1.5],
      ['sum(nums)', 6],
      ['sum([])', 0],
      ['sum(null)', 0],
    ]);
    fails([
      ['round(1, 16)', 'round() rounds to 0 to 15 digits, not 16'],
      ['round(1, 1.5)', 'round() expects a whole number, not 1.5'],
      ['min(1, "a")', 'cannot compare string with number'],
      ['abs("x")', 'abs() expects a number, not "x"'],
      ['sum([1, null])', 'sum() expects a number, not null'],
      ['sum([1e308, 1e308])', 'sum() result is not a finite number'],
    ]);
  });
});

describe('arrays', () => {
  test('first, last, unique, sort, flatten, slice', () => {
    check([
      ['first(hosts).name', 'h1'],
      ['last(nums)', 2],
      ['first([])', null],
      ['last(null)', null],
      ['unique([1, 1, "1", [1], [1], {a: 1, b: 2}, {b: 2, a: 1}, null, null])', [1, '1', [1], { a: 1, b: 2 }, null]],
      ['sort([3, 1, 2])', [1, 2, 3]],
      ['sort(["b", "a", "B"])', ['B', 'a', 'b']],
      ["pluck(sort(hosts, 'score'), 'name')", ['h4', 'h2', 'h3', 'h1']],
      ['sort([2, null, 1])', [null, 1, 2]],
      ['sort(null)', []],
      ['flatten([[1, 2], 3, [[4]]])', [1, 2, 3, [4]]],
      ['slice([1, 2, 3, 4], 1, 3)', [2, 3]],
      ['slice([1, 2, 3], -2)', [2, 3]],
      ['slice("abcdef", 2)', 'cdef'],
      ['slice("abcdef", 0, -1)', 'abcde'],
      ['slice(null, 1)', null],
    ]);
    fails([
      ['first("abc")', 'first() expects an array, not string'],
      ['sort([1, "a"])', 'cannot compare string with number'],
      ['slice([1], "x")', 'slice() expects a number, not "x"'],
      ['flatten(1)', 'flatten() expects an array, not number'],
    ]);
  });

  test('filter, pluck, count by a dotted path inside each element', () => {
    check([
      ["pluck(filter(hosts, 'os.family', 'windows'), 'name')", ['h1', 'h3']],
      ["filter(hosts, 'os', null)", [{ name: 'h4' }]],
      ["pluck(hosts, 'os.family')", ['windows', 'linux', 'windows', null]],
      ["pluck([[1, 2], [3]], '1')", [2, null]],
      ["pluck([1, 2], '')", [1, 2]],
      ["count(hosts, 'os.family', 'windows')", 2],
      ["count(hosts, 'score', '2')", 1],
      ["count(null, 'a', 1)", 0],
      ["filter(null, 'a', 1)", []],
    ]);
    fails([
      ['filter(hosts, 1, 1)', 'filter() expects a string, not number'],
      ["pluck(o, 'a')", 'pluck() expects an array, not object'],
      ["count(hosts, 'constructor', 1)", 'property "constructor" is not allowed'],
    ]);
  });
});

describe('time (injected, never read from a clock)', () => {
  test('parseTime, addSeconds, secondsBetween', () => {
    check([
      ["parseTime('2024-01-01T02:00:00+02:00')", '2024-01-01T00:00:00.000Z'],
      ["parseTime('2024-01-01T02:00:00')", '2024-01-01T02:00:00.000Z'], // no zone means UTC, on every machine
      ["parseTime('2024-01-01 02:00:00.123456Z')", '2024-01-01T02:00:00.123Z'],
      ["parseTime('2024-01-01')", '2024-01-01T00:00:00.000Z'],
      ["parseTime('2024-01-01T02:00-0130')", '2024-01-01T03:30:00.000Z'],
      ['parseTime(1700000000)', '2023-11-14T22:13:20.000Z'],
      ['parseTime(1700000000123)', '2023-11-14T22:13:20.123Z'],
      ["parseTime('2024-02-30')", null],
      ["parseTime('2024-01-01T25:00:00Z')", null],
      ["parseTime('2024-01-01Z')", null],
      ["parseTime('yesterday')", null],
      ['parseTime(null)', null],
      ['addSeconds(t, 90)', '2024-03-01T12:01:30.000Z'],
      ["addSeconds(t, '-3600')", '2024-03-01T11:00:00.000Z'],
      ["addSeconds('2024-02-28T23:59:59Z', 1)", '2024-02-29T00:00:00.000Z'],
      ['addSeconds(null, 1)', null],
      ["addSeconds('soon', 1)", null],
      ["secondsBetween('2024-03-01T11:00:00Z', t)", 3600],
      ["secondsBetween(t, '2024-03-01T14:00:00+02:00')", 0],
      ["secondsBetween(t, '2024-03-01T12:00:00.250Z')", 0.25],
      ['secondsBetween(t, null)', null],
    ]);
    fails([
      ['addSeconds(t, "x")', 'addSeconds() expects a number, not "x"'],
      ['addSeconds(t, 1e300)', 'addSeconds() result is out of the range of dates'],
      ['parseTime(true)', 'parseTime() expects a time, not boolean'],
    ]);
  });
});

describe('network', () => {
  test('cidrContains for IPv4 and IPv6, one range or a list', () => {
    check([
      ["cidrContains('10.0.0.0/8', '10.255.1.2')", true],
      ["cidrContains('10.0.0.0/8', '11.0.0.1')", false],
      ["cidrContains('172.16.0.0/12', '172.31.255.255')", true],
      ["cidrContains('172.16.0.0/12', '172.32.0.0')", false],
      ["cidrContains('192.168.1.7', '192.168.1.7')", true],
      ["cidrContains('192.168.1.0/31', '192.168.1.1')", true],
      ["cidrContains('192.168.1.0/31', '192.168.1.2')", false],
      ["cidrContains('0.0.0.0/0', '1.2.3.4')", true],
      ["cidrContains('10.0.0.0/8', '::ffff:10.1.2.3')", true],
      ["cidrContains('2001:db8::/32', '2001:db8:ffff::1')", true],
      ["cidrContains('2001:db8::/32', '2001:db9::1')", false],
      ["cidrContains('2001:db8:abcd:12::/63', '2001:db8:abcd:13:ffff::')", true],
      ["cidrContains('2001:db8:abcd:12::/63', '2001:db8:abcd:14::')", false],
      ["cidrContains('::/0', '::1')", true],
      ["cidrContains('fe80::/10', '[fe80::1]')", true],
      ["cidrContains('::ffff:0:0/96', '1.2.3.4')", true], // the IPv4-mapped range holds every IPv4 address
      ["cidrContains('::ffff:10.0.0.0/104', '10.1.1.1')", true],
      ["cidrContains('::/8', '1.2.3.4')", false],
      ["cidrContains('64:ff9b::/96', '64:ff9b::192.0.2.33')", true],
      ["cidrContains('10.0.0.0/8', '2001:db8::1')", false],
      ["cidrContains(['192.168.0.0/16', '10.0.0.0/8'], '10.9.9.9')", true],
      ["cidrContains('10.0.0.0/8', 'not an ip')", false],
      ["cidrContains('10.0.0.0/8', '10.0.0.256')", false],
      ["cidrContains('10.0.0.0/8', '010.0.0.1')", false],
      ["cidrContains('10.0.0.0/8', null)", false],
      ["cidrContains('2001:db8::/32', '2001:db8::1::1')", false],
      ["cidrContains('2001:db8::/32', '2001:db8:0:0:0:0:0:1')", true],
      ["cidrContains('2001:db8::/32', '2001:db8:0:0:0:0:0:0:1')", false],
      ["cidrContains('2001:db8::/32', '2001:db8:0:0:0:0:0')", false],
    ]);
    fails([
      ["cidrContains('10.0.0.0/33', '10.0.0.1')", 'cidrContains() got an invalid CIDR range "10.0.0.0/33"'],
      ["cidrContains('fe80::/129', '::1')", 'cidrContains() got an invalid CIDR range "fe80::/129"'],
      ["cidrContains('bogus', '10.0.0.1')", 'cidrContains() got an invalid CIDR range "bogus"'],
      ["cidrContains(8, '10.0.0.1')", 'cidrContains() expects a CIDR range, not number'],
    ]);
  });

  test('isPrivateIp', () => {
    const yes = ['10.0.0.1', '172.16.5.4', '192.168.0.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fd12:3456::1', 'fe80::1', '::ffff:192.168.1.1'];
    const no = ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::', 'localhost', ''];
    for (const ip of yes) assert.equal(evaluate('isPrivateIp(ip)', { ip }), true, ip);
    for (const ip of no) assert.equal(evaluate('isPrivateIp(ip)', { ip }), false, ip);
    assert.equal(evaluate('isPrivateIp(null)', {}), false);
    assert.equal(evaluate('isPrivateIp(10)', {}), false);
  });
});

describe('JSON', () => {
  test('json writes compact JSON; fromJson parses it', () => {
    check([
      ["json({a: [1, 'x', null], b: true})", '{"a":[1,"x",null],"b":true}'],
      ['json("q\\"")', '"q\\""'],
      ['json(null)', 'null'],
      ["fromJson('{\"a\": [1, 2]}').a[1]", 2],
      ["fromJson('\"s\"')", 's'],
      ['fromJson(null)', null],
      ["fromJson(json(hosts)) == hosts", true],
      ["fromJson('{\"__proto__\": {\"x\": 1}}').x", null],
    ]);
    fails([
      ["fromJson('{a: 1}')", 'fromJson() got text that is not valid JSON'],
      ['fromJson(1)', 'fromJson() expects a string, not number'],
    ]);
  });
});
