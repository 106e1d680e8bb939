import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, ExpressionError, renderValue } from './index.js';

const scope = {
  alert: { host: { name: 'PC1' }, severity: 7, tags: ['a', 'b'], extra: { k: 1 }, none: null, ok: true },
  vars: { n: '5' },
};

const render = (source: string) => compileTemplate(source).render(scope);

function templateError(source: string): string {
  try {
    render(source);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, String(e));
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(source)} to fail`);
}

describe('templates', () => {
  test('a string without {{ is returned unchanged', () => {
    for (const s of ['', 'plain text', '{ single } brace', 'a } } b', '}}']) assert.equal(render(s), s);
  });

  test('exactly one placeholder (whitespace around allowed) gives the raw value', () => {
    assert.equal(render('{{ alert.severity }}'), 7);
    assert.deepEqual(render('  {{alert.tags}}\n'), ['a', 'b']);
    assert.deepEqual(render('{{ alert.extra }}'), { k: 1 });
    assert.equal(render('{{ alert.none }}'), null);
    assert.equal(render('{{ missing }}'), null);
    assert.equal(render('{{ alert.ok }}'), true);
    assert.equal(render('{{ vars.n }}'), '5');
    assert.deepEqual(render('{{ {a: {b: [1]}} }}'), { a: { b: [1] } });
  });

  test('otherwise each placeholder is stringified into the text', () => {
    assert.equal(render('host {{ alert.host.name }} sev {{ alert.severity }}'), 'host PC1 sev 7');
    assert.equal(render('[{{ alert.none }}]'), '[]');
    assert.equal(render('tags={{ alert.tags }} extra={{ alert.extra }}'), 'tags=["a","b"] extra={"k":1}');
    assert.equal(render('{{ alert.ok }}{{ alert.severity }}'), 'true7');
    assert.equal(render('{{ 1.5 }} '), 1.5); // trailing whitespace only: still the raw value
    assert.equal(render('x{{ 1.5 }}'), 'x1.5');
    assert.equal(render('{{ "}}" }} and {{ \'{{\' }}'), '}} and {{');
    assert.equal(render('{{ {a: 1}.a }}{{ [1][0] }}'), '11');
  });

  test('\\{{ is a literal {{', () => {
    assert.equal(render('\\{{ not an expression }}'), '{{ not an expression }}');
    assert.equal(render('use \\{{ x }} for {{ alert.host.name }}'), 'use {{ x }} for PC1');
    assert.equal(render('\\{{'), '{{');
    assert.equal(render('a\\b'), 'a\\b');
  });

  test('an unterminated {{ names its column; errors inside a placeholder point into the whole template', () => {
    assert.equal(templateError('abc {{ x '), 'unterminated "{{" at column 5 in "abc {{ x "');
    assert.equal(templateError('{{ a }} {{ "}}'), 'unterminated "{{" at column 9 in "{{ a }} {{ \\"}}"');
    assert.equal(templateError('abc {{ x + }}'), 'unexpected end of expression at column 12 in "abc {{ x + }}"');
    assert.equal(templateError('a {{ }}'), 'empty expression at column 6 in "a {{ }}"');
    assert.equal(templateError('n={{ foo(1) }}'), 'unknown function "foo" at column 6 in "n={{ foo(1) }}"');
    assert.equal(templateError('x {{ 1 / 0 }}'), 'division by zero at column 8 in "x {{ 1 / 0 }}"');
    assert.equal(templateError('{{ alert.constructor }}'), 'property "constructor" is not allowed at column 10 in "{{ alert.constructor }}"');
    const e = (() => {
      try {
        compileTemplate('ab {{ ) }}');
      } catch (err) {
        return err as ExpressionError;
      }
      return null;
    })();
    assert.equal(e?.expression, 'ab {{ ) }}');
    assert.equal(e?.position, 6);
  });

  test('paths of every placeholder, once each', () => {
    assert.deepEqual(compileTemplate('{{ alert.host.name }} {{ vars.n }} {{ alert.host.name }}').paths, ['alert.host.name', 'vars.n']);
    assert.deepEqual(compileTemplate('none').paths, []);
    assert.equal(compileTemplate('a {{ b }}').source, 'a {{ b }}');
  });

  test('a rendered text longer than 1,000,000 characters is refused', () => {
    const t = compileTemplate('{{ s }}{{ s }}!');
    assert.throws(() => t.render({ s: 'x'.repeat(500_000) }), {
      name: 'ExpressionError',
      message: 'result is longer than 1000000 characters at column 1 in "{{ s }}{{ s }}!"',
    });
  });
});

describe('renderValue', () => {
  test('renders every string in objects and arrays, keeping keys and other values', () => {
    const input = {
      host: '{{ alert.host.name }}',
      ids: ['{{ alert.tags }}', 'id-{{ alert.severity }}', 3, null, true],
      nested: { '{{ key }}': { count: '{{ alert.severity }}' } },
      plain: 'no placeholders',
    };
    assert.deepEqual(renderValue(input, scope), {
      host: 'PC1',
      ids: [['a', 'b'], 'id-7', 3, null, true],
      nested: { '{{ key }}': { count: 7 } },
      plain: 'no placeholders',
    });
    assert.deepEqual(input.ids[0], '{{ alert.tags }}'); // the input is not changed
    assert.equal(renderValue('{{ vars.n }}', scope), '5');
    assert.equal(renderValue(42, scope), 42);
    assert.equal(renderValue(undefined, scope), undefined);
  });

  test('a "__proto__" key from parsed YAML or JSON stays an own key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "{{ alert.host.name }}"}}') as object;
    const out = renderValue(input, scope) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, '__proto__')?.value, { polluted: 'PC1' });
  });
});
