import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from './canonical-json.js';
import { REDACTED, redactSecrets } from './redact.js';

describe('canonicalJson', () => {
  test('the same value gives the same text whatever the key order', () => {
    const a = canonicalJson({ b: 1, a: { y: [1, 2], x: 'x' } });
    const b = canonicalJson({ a: { x: 'x', y: [1, 2] }, b: 1 });
    assert.equal(a, '{"a":{"x":"x","y":[1,2]},"b":1}');
    assert.equal(b, a);
  });

  test('keys sort by UTF-16 code unit; arrays keep their order; no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, B: 2, a: 3, é: 4, _: 5, '10': 6, '9': 7 }), '{"10":6,"9":7,"B":2,"_":5,"a":3,"b":1,"é":4}');
    assert.equal(
      canonicalJson({ z: [{ y: 1, x: [2, { d: null, c: 's' }] }, []], a: {} }),
      '{"a":{},"z":[{"x":[2,{"c":"s","d":null}],"y":1},[]]}',
    );
  });

  test('scalars are written as JSON.stringify writes them', () => {
    assert.deepEqual(
      [null, true, false, 0, -0, 1.5, 1e21, 'quote " and \\ and \n', '\u2028'].map(canonicalJson),
      ['null', 'true', 'false', '0', '0', '1.5', '1e+21', '"quote \\" and \\\\ and \\n"', '"\u2028"'],
    );
    assert.equal(canonicalJson(new Date('2026-01-01T00:00:00Z')), '"2026-01-01T00:00:00.000Z"');
  });

  test('undefined members are dropped and undefined array items become null, as JSON.stringify does', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1, c: { d: undefined } }), '{"b":1,"c":{}}');
    assert.equal(canonicalJson([undefined, 1]), '[null,1]');
  });

  test('values JSON cannot hold are refused with their path', () => {
    assert.throws(() => canonicalJson({ a: { b: [1, NaN] } }), { name: 'TypeError', message: '$.a.b[1]: NaN cannot be written as JSON' });
    assert.throws(() => canonicalJson({ x: Infinity }), { name: 'TypeError', message: '$.x: Infinity cannot be written as JSON' });
    assert.throws(() => canonicalJson([-Infinity]), { name: 'TypeError', message: '$[0]: -Infinity cannot be written as JSON' });
    assert.throws(() => canonicalJson({ run: { f: () => 1 } }), {
      name: 'TypeError',
      message: '$.run.f: a function cannot be written as JSON',
    });
    assert.throws(() => canonicalJson({ n: 10n }), { name: 'TypeError', message: '$.n: a bigint cannot be written as JSON' });
    assert.throws(() => canonicalJson([Symbol('s')]), { name: 'TypeError', message: '$[0]: a symbol cannot be written as JSON' });
  });

  test('parsing the text back and writing it again gives the same text', () => {
    const text = canonicalJson({ when: new Date(0), list: [1, 'two', { three: 3 }], nested: { b: null, a: false } });
    assert.equal(canonicalJson(JSON.parse(text)), text);
  });
});

describe('redactSecrets', () => {
  test('members named like secrets are replaced wherever they are, the rest is kept', () => {
    const input = {
      apiKey: 's3cret',
      nested: { password: 'x', list: [{ token: 'abc', host: 'PRD01' }] },
      note: 'fine',
    };
    assert.deepEqual(redactSecrets(input), {
      apiKey: REDACTED,
      nested: { password: REDACTED, list: [{ token: REDACTED, host: 'PRD01' }] },
      note: 'fine',
    });
    assert.equal(input.apiKey, 's3cret', 'the input is not changed');
    assert.equal(REDACTED, '[redacted]');
  });

  test('secret-looking names in any spelling', () => {
    const names = [
      'password', 'passphrase', 'PASSWORD', 'dbPass', 'clientSecret', 'access_token', 'api_key', 'api-key', 'APIKEY',
      'Authorization', 'authorisation', 'credentials', 'privateKey', 'private_key', 'Cookie', 'sessionId', 'session_id',
    ];
    const redacted = redactSecrets(Object.fromEntries(names.map((n) => [n, 'v']))) as Record<string, unknown>;
    assert.deepEqual(Object.entries(redacted).filter(([, v]) => v !== REDACTED), []);
    assert.deepEqual(redactSecrets({ hostname: 'h', user: 'u', session: 's', key: 'k' }), { hostname: 'h', user: 'u', session: 's', key: 'k' });
  });

  test('a whole object or number under a secret name goes; null, undefined and booleans stay', () => {
    assert.deepEqual(redactSecrets({ credentials: { user: 'u', pass: 'p' }, pin_password: 1234 }), {
      credentials: REDACTED,
      pin_password: REDACTED,
    });
    assert.deepEqual(redactSecrets({ token: null, secret: undefined, hasPassword: true }), {
      token: null,
      secret: undefined,
      hasPassword: true,
    });
  });

  test('scalars, arrays and dates pass through', () => {
    const when = new Date(0);
    assert.deepEqual(redactSecrets(['a', 1, null, when]), ['a', 1, null, when]);
    assert.equal(redactSecrets('token'), 'token');
  });
});

describe('regressions', () => {
  test('a Map or Set is refused rather than silently written as {}', () => {
    assert.throws(() => canonicalJson({ m: new Map([['a', 1]]) }), { name: 'TypeError', message: '$.m: a Map cannot be written as JSON' });
    assert.throws(() => canonicalJson([new Set([1])]), { name: 'TypeError', message: '$[0]: a Set cannot be written as JSON' });
  });

  test('redaction matches whole words of member names, not fragments of ordinary words', () => {
    assert.deepEqual(
      redactSecrets({ clientSecret: 'a', api_key: 'b', accessToken: 'c', 'X-Api-Key': 'd', bypass: 'e', passenger: 'f', secretary: 'g', tokens_used: 3 }),
      { clientSecret: REDACTED, api_key: REDACTED, accessToken: REDACTED, 'X-Api-Key': REDACTED, bypass: 'e', passenger: 'f', secretary: 'g', tokens_used: 3 },
    );
  });
});
