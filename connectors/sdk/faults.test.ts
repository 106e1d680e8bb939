import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFaults, parseFaults } from './faults.js';

test('parseFaults reads kind:rate lists', () => {
  assert.deepEqual(parseFaults('429:0.1,503:0.05'), [
    { kind: '429', rate: 0.1 },
    { kind: '503', rate: 0.05 },
  ]);
  assert.deepEqual(parseFaults(' slow:1 '), [{ kind: 'slow', rate: 1 }]);
  assert.deepEqual(parseFaults('truncate:.02,expire:0.01,500:0.2'), [
    { kind: 'truncate', rate: 0.02 },
    { kind: 'expire', rate: 0.01 },
    { kind: '500', rate: 0.2 },
  ]);
  assert.deepEqual(parseFaults(''), []);
  assert.equal(formatFaults(parseFaults('429:0.1,503:0.05')), '429:0.1,503:0.05');
});

test('parseFaults names what is wrong', () => {
  const cases: [string, string][] = [
    ['404:0.1', 'fault "404:0.1": unknown kind "404" (kinds: 429, 500, 503, slow, truncate, expire)'],
    ['429', 'fault "429": write kind:rate, e.g. 429:0.1'],
    ['429:0', 'fault "429:0": rate must be a number greater than 0 and at most 1, not "0"'],
    ['429:1.5', 'fault "429:1.5": rate must be a number greater than 0 and at most 1, not "1.5"'],
    ['429:abc', 'fault "429:abc": rate must be a number greater than 0 and at most 1, not "abc"'],
    ['429:-0.1', 'fault "429:-0.1": rate must be a number greater than 0 and at most 1, not "-0.1"'],
    ['429:0.1,,503:0.1', 'fault spec "429:0.1,,503:0.1": empty item (write kind:rate, separated by commas)'],
    ['429:0.1,429:0.2', 'fault "429:0.2": kind 429 is given twice'],
    ['429:0.6,503:0.5', 'fault spec "429:0.6,503:0.5": the rates add up to 1.1, more than 1'],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseFaults(spec), { name: 'ConnectorError', kind: 'config', message }, spec);
});
