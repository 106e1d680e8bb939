import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCondition } from './condition.js';
import { SigmaEngine } from './engine.js';
import { RuleError } from './fields.js';
import { fires, rejection, ruleText } from './sigma.test-helpers.js';

/** Selections a..d and filter_x/filter_y/_hidden, each true when the record's field of that name is "1". */
const detection = (condition: string) =>
  ['a', 'b', 'c', 'd', 'filter_x', 'filter_y', '_hidden'].map((n) => `${n}:\n    ${n}: '1'`).join('\n') + `\ncondition: ${condition}`;

/** Whether the condition holds when exactly the named selections hold. */
const holds = (condition: string, trueOnes: string[]) => fires(detection(condition), Object.fromEntries(trueOnes.map((n) => [n, '1'])));

/** The selections (of a, b, c) for which the condition holds, as truth-table rows "abc". */
function table(condition: string): string[] {
  const rows: string[] = [];
  for (let bits = 0; bits < 8; bits++) {
    const on = ['a', 'b', 'c'].filter((_, i) => bits & (1 << i));
    if (holds(condition, on)) rows.push(on.join('') || '-');
  }
  return rows;
}

describe('the condition grammar', () => {
  test('and binds tighter than or; not tighter than and', () => {
    assert.deepEqual(table('a or b and c'), ['a', 'ab', 'ac', 'bc', 'abc']);
    assert.deepEqual(table('(a or b) and c'), ['ac', 'bc', 'abc']);
    assert.deepEqual(table('not a and b'), ['b', 'bc']);
    assert.deepEqual(table('not (a and b)'), ['-', 'a', 'b', 'c', 'ac', 'bc']);
    assert.deepEqual(table('a and not b or c'), ['a', 'c', 'ac', 'bc', 'abc']);
    assert.deepEqual(table('not not a'), ['a', 'ab', 'ac', 'abc']);
    assert.deepEqual(table('((a))'), ['a', 'ab', 'ac', 'abc']);
  });

  test('keywords are case-insensitive', () => {
    assert.deepEqual(table('a AND NOT b Or c'), table('a and not b or c'));
  });

  test('1 of, any of, N of, all of a pattern', () => {
    assert.deepEqual(table('1 of a*'), ['a', 'ab', 'ac', 'abc']);
    assert.equal(holds('1 of filter_*', ['filter_y']), true);
    assert.equal(holds('any of filter_*', ['filter_y']), true);
    assert.equal(holds('all of filter_*', ['filter_y']), false);
    assert.equal(holds('all of filter_*', ['filter_x', 'filter_y']), true);
    assert.equal(holds('2 of them', ['a']), false);
    assert.equal(holds('2 of them', ['a', 'd']), true);
    assert.equal(holds('a and not 1 of filter_*', ['a', 'filter_x']), false);
    assert.equal(holds('a and not 1 of filter_*', ['a']), true);
  });

  test('"them" means every identifier not starting with an underscore', () => {
    assert.equal(holds('1 of them', ['_hidden']), false);
    assert.equal(holds('all of them', ['a', 'b', 'c', 'd', 'filter_x', 'filter_y']), true);
    assert.equal(holds('all of them', ['a', 'b', 'c', 'd', 'filter_x']), false);
    // An underscore identifier can still be named.
    assert.equal(holds('_hidden', ['_hidden']), true);
  });

  test('a list of conditions is their OR', () => {
    const text = ruleText(`${detection('a').replace(/\ncondition: a$/, '')}\ncondition:\n    - a and b\n    - c`);
    const engine = new SigmaEngine([{ file: 'x.yml', text }]);
    const record = (on: string[]) => ({ format: 'windows-nxlog', raw: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', ...Object.fromEntries(on.map((n) => [n, '1'])) } });
    assert.equal(engine.match(record(['a', 'b'])).length, 1);
    assert.equal(engine.match(record(['c'])).length, 1);
    assert.equal(engine.match(record(['a'])).length, 0);
  });

  test('parse trees', () => {
    const ids = ['sel', 'filter_a', 'filter_b'];
    assert.deepEqual(parseCondition('sel and not 1 of filter_*', ids), {
      t: 'and',
      xs: [{ t: 'id', id: 0 }, { t: 'not', x: { t: 'of', need: 1, ids: [1, 2], text: '1 of filter_*' } }],
    });
    assert.deepEqual(parseCondition('all of them', ids), { t: 'of', need: 3, ids: [0, 1, 2], text: 'all of them' });
  });

  test('malformed conditions are rejected saying where', () => {
    const ids = ['sel', 'filter'];
    const reason = (c: string) => {
      try {
        parseCondition(c, ids);
        return null;
      } catch (err) {
        assert.ok(err instanceof RuleError);
        return err.message;
      }
    };
    assert.equal(reason('sel and'), 'condition "sel and": the condition ends where an identifier or "(" was expected at character 8');
    assert.equal(reason('(sel or filter'), 'condition "(sel or filter": a ")" is missing at character 15');
    assert.equal(reason('sel filter'), 'condition "sel filter": unexpected "filter" at character 5');
    assert.equal(reason('sel and nope'), 'condition "sel and nope": "nope" is not a search identifier of the detection (sel, filter)');
    assert.equal(reason('1 of nothing*'), 'condition "1 of nothing*": "1 of nothing*" names no search identifier of the detection');
    assert.equal(reason('3 of them'), 'condition "3 of them": "3 of them" asks for 3 of only 2 search identifiers');
    assert.equal(reason('0 of them'), 'condition "0 of them": "0 of" must be "all of", "any of" or a number of at least 1 followed by "of" at character 1');
    assert.equal(reason('sel | count() > 5'), 'condition "sel | count() > 5": aggregations ("| count() …") were removed in Sigma 2 and are not supported; use a correlation rule');
    assert.equal(reason(''), 'the condition is empty');
  });
});

describe('rules the engine cannot run are rejected with the reason', () => {
  const base = (detectionBlock: string, head = 'title: T\nid: r1\nlogsource:\n    product: windows\n    category: process_creation\n') =>
    `${head}detection:\n${detectionBlock}`;

  test('each reason names the rule part at fault', () => {
    const cases: [string, string][] = [
      [base("    sel:\n        Image|expand: '%Servers%'\n    condition: sel"), 'search identifier "sel": "Image|expand": the "expand" modifier needs placeholder values (%name%) from a processing pipeline, and Quell has none configured'],
      [base("    sel:\n        Image|sha512: 'x'\n    condition: sel"), 'search identifier "sel": unknown value modifier "sha512" in "Image|sha512"'],
      [base("    sel:\n        Image|contains|endswith: 'x'\n    condition: sel"), 'search identifier "sel": "Image|contains|endswith": contains and endswith cannot be combined'],
      [base("    sel:\n        Image|re|contains: 'x'\n    condition: sel"), 'search identifier "sel": "Image|re|contains": "re" cannot be combined with contains'],
      [base("    sel:\n        Image|i: 'x'\n    condition: sel"), 'search identifier "sel": "Image|i": "i" is a sub-modifier of "re" and needs it'],
      [base("    sel:\n        Image|re: '(?<!a)b++'\n    condition: sel"), 'search identifier "sel": "Image|re": the regular expression uses atomic groups or possessive quantifiers, which JavaScript does not support'],
      [base("    sel:\n        Image|re: '(a'\n    condition: sel"), 'search identifier "sel": "Image|re": the regular expression "(a" does not compile (Invalid regular expression: /(a/: Unterminated group)'],
      [base("    sel:\n        Ip|cidr: '10.0.0.0/33'\n    condition: sel"), 'search identifier "sel": "Ip|cidr": "10.0.0.0/33" is not a CIDR network (10.0.0.0/8, fe80::/10)'],
      [base("    sel:\n        Size|gt: 'big'\n    condition: sel"), 'search identifier "sel": "Size|gt": "gt" needs a number, found "big"'],
      [base("    sel:\n        Size|gt|contains: 5\n    condition: sel"), 'search identifier "sel": "Size|gt|contains": "gt" cannot be combined with contains'],
      [base("    sel:\n        Image|exists: 'yes'\n    condition: sel"), 'search identifier "sel": "Image|exists": "exists" takes one value, true or false'],
      [base("    sel:\n        Image|base64: 'a*b'\n    condition: sel"), 'search identifier "sel": "Image|base64": "base64" cannot encode a value with wildcards (a*b); escape * and ? with a backslash to mean them literally'],
      [base("    sel:\n        Image|wide|contains: 'x'\n    condition: sel"), 'search identifier "sel": "Image|wide|contains": "contains" after an encoding modifier needs "base64" or "base64offset" in between'],
      [base("    sel:\n        Image: []\n    condition: sel"), 'search identifier "sel": "Image": the list of values is empty'],
      [base("    sel:\n        Image:\n            a: b\n    condition: sel"), 'search identifier "sel": "Image": a value is a map; field values must be strings, numbers, booleans or null'],
      [base('    sel: null\n    condition: sel'), 'search identifier "sel": it is empty (null)'],
      [base("    sel:\n        Image: 'x'\n    condition: sel | count() by Host > 3"), 'condition "sel | count() by Host > 3": aggregations ("| count() …") were removed in Sigma 2 and are not supported; use a correlation rule'],
      [base("    sel:\n        Image: 'x'\n    timeframe: 5m\n    condition: sel"), 'detection.timeframe belongs to aggregations, which are not supported'],
      [base("    sel:\n        Image: 'x'"), 'detection.condition must be a condition text or a list of them'],
      [base("    sel:\n        Image: 'x'\n    condition: sel", 'title: T\nid: r1\nlogsource:\n    definition: anything\n'), 'the logsource names no product, category or service, so no record can be routed to the rule'],
      [base("    sel:\n        Image: 'x'\n    condition: sel", 'title: T\nlogsource:\n    product: windows\n'), 'the rule has no id; Quell keys its detections by rule id, so every rule needs one'],
      [base("    sel:\n        Image: 'x'\n    condition: sel", 'id: r1\nlogsource:\n    product: windows\n'), 'the rule has no title'],
      [base("    sel:\n        Image: 'x'\n    condition: sel", 'title: T\nid: r1\nlevel: severe\nlogsource:\n    product: windows\n'), 'level "severe" is not one of informational, low, medium, high, critical'],
      ['title: T\nid: r1\ncorrelation:\n    type: event_count\n    rules: [a]\n', 'correlation rules (which count or order the matches of other rules over time) are not supported'],
      ['title: [unclosed\n', 'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1'],
      ['title: A\nid: a\n---\ntitle: B\nid: b\n', 'not valid YAML: the file holds 2 YAML documents; rule collections (several documents in one file) are not supported, put each rule in its own file'],
      ['title: A\ntitle: B\n', 'not valid YAML: Map keys must be unique at line 2, column 1'],
      ['- just\n- a list\n', 'a rule file must hold one YAML map (title, logsource, detection …)'],
    ];
    for (const [text, reason] of cases) assert.equal(rejection(text), reason, text);
  });

  test('a rejected rule keeps its file, id and title; the rest still load; duplicate ids are refused', () => {
    const good = ruleText("sel:\n    Image: 'x'\ncondition: sel");
    const engine = new SigmaEngine([
      { file: 'a/good.yml', text: good },
      { file: 'a/bad.yml', text: "title: Broken rule\nid: bad-1\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image|nope: 'x'\n    condition: sel\n" },
      { file: 'a/copy.yml', text: good },
    ]);
    assert.equal(engine.rules.length, 1);
    assert.deepEqual(engine.rejected, [
      { file: 'a/bad.yml', reason: 'search identifier "sel": unknown value modifier "nope" in "Image|nope"', id: 'bad-1', title: 'Broken rule' },
      { file: 'a/copy.yml', reason: 'rule id 00000000-0000-0000-0000-000000000001 is already used by a/good.yml', id: '00000000-0000-0000-0000-000000000001', title: 'Test rule' },
    ]);
  });
});
