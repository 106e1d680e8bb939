import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileExpression, compileTemplate, evaluate, ExpressionError, FUNCTIONS } from './index.js';

/** Anything but an ExpressionError escaping the library is a bug. */
function onlyExpressionErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    assert.ok(e.position >= 0 && e.position <= e.expression.length, e.message);
  }
}

const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 });
const scopeArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'vars', 'item', 'index', 's'), json);

const pieces = [
  'a', 'b', 'c', 'vars', 'item', 'index', '.', '[', ']', '(', ')', '{', '}', ',', ':', '?', '??', '+', '-', '*', '/', '%',
  '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!', 'and', 'or', 'not', 'in', 'true', 'false', 'null', '0', '1', '-1',
  '2.5', "'x'", '"5"', "'10.0.0.0/8'", "'2024-01-01T00:00:00Z'", ' ', 'constructor', '__proto__', '{{', '}}',
  ...FUNCTIONS.map((f) => `${f}(`),
];

test('random text never makes compileExpression or compileTemplate throw anything but ExpressionError', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      onlyExpressionErrors(() => compileExpression(s));
      onlyExpressionErrors(() => compileTemplate(s).render({}));
    }),
    { numRuns: 2000 },
  );
});

test('random token soup, evaluated over random JSON scopes, only ever fails with ExpressionError', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), scopeArb, (tokens, scope) => {
      const source = tokens.join(' ');
      onlyExpressionErrors(() => evaluate(source, scope));
      onlyExpressionErrors(() => compileTemplate(`x{{ ${source} }}`).render(scope));
    }),
    { numRuns: 3000 },
  );
});

test('every function applied to random values only ever fails with ExpressionError', () => {
  fc.assert(
    fc.property(fc.constantFrom(...FUNCTIONS), fc.array(json, { minLength: 1, maxLength: 3 }), (name, args) => {
      const scope = Object.fromEntries(args.map((v, i) => [`p${i}`, v]));
      onlyExpressionErrors(() => evaluate(`${name}(${args.map((_, i) => `p${i}`).join(', ')})`, scope));
    }),
    { numRuns: 3000 },
  );
});

test('equality is symmetric and reflexive over random JSON values', () => {
  fc.assert(
    fc.property(json, json, (a, b) => {
      assert.equal(evaluate('a == a', { a }), true);
      assert.equal(evaluate('a == b', { a, b }), evaluate('b == a', { a, b }));
    }),
    { numRuns: 1000 },
  );
});
