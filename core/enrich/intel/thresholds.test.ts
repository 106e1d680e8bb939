import assert from 'node:assert/strict';
import { test } from 'node:test';
import { privateRanges } from './internal.js';
import { patternIndicators } from './stix-pattern.js';
import { DEFAULT_THRESHOLDS, parseThresholdRule, requiredConfirmations, route } from './thresholds.js';

test('default thresholds with 1 to 6 feeds: all but one is automatic, two is analyst, never below one', () => {
  const needed = [1, 2, 3, 4, 5, 6].map((n) => requiredConfirmations(DEFAULT_THRESHOLDS, n));
  assert.deepEqual(needed, [
    { automatic: 2, analyst: 2 },
    { automatic: 2, analyst: 2 },
    { automatic: 2, analyst: 2 },
    { automatic: 3, analyst: 2 },
    { automatic: 4, analyst: 2 },
    { automatic: 5, analyst: 2 },
  ]);
  assert.deepEqual([4, 3, 2, 1, 0].map((c) => route(c, needed[3]!)), ['automatic', 'automatic', 'analyst', 'discard', 'discard']);
  assert.deepEqual(requiredConfirmations({ automatic: { kind: 'fraction', f: 0.75 }, analyst: { kind: 'fraction', f: 0.1 } }, 5), { automatic: 4, analyst: 1 });
});

test('threshold rules as the CLI writes them', () => {
  assert.deepEqual(['3', 'all-but:1', '50%', '0', '120%', 'most'].map(parseThresholdRule), [
    { kind: 'atLeast', n: 3 },
    { kind: 'allBut', n: 1 },
    { kind: 'fraction', f: 0.5 },
    null,
    null,
    null,
  ]);
});

test('internal addresses: RFC 1918 and RFC 4193, not loopback or public', () => {
  const ips = ['10.0.5.13', '172.16.0.1', '172.32.0.1', '192.168.1.42', 'fd12::1', 'fe80::1', '127.0.0.1', '::1', '8.8.8.8', 'junk'];
  assert.deepEqual(ips.map(privateRanges), [true, true, false, true, true, false, false, false, false, false]);
});

test('STIX patterns: OR of equalities is taken, escapes undone; anything else refused with why', () => {
  assert.deepEqual(patternIndicators("[ipv6-addr:value = '2001:db8::1' OR domain-name:value = 'o\\'neil.example']"), {
    ok: true,
    indicators: [
      { type: 'ip', value: '2001:db8::1' },
      { type: 'domain', value: "o'neil.example" },
    ],
  });
  assert.deepEqual(patternIndicators("[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']"), { ok: false, reason: 'AND is not supported (only comparisons joined by OR)' });
  assert.deepEqual(patternIndicators("[url:value LIKE 'http://%.example/%']"), { ok: false, reason: 'operator LIKE in url:value (only = is supported)' });
  assert.deepEqual(patternIndicators("[file:name = 'x.exe']"), { ok: false, reason: "file:name is not supported (only file:hashes.MD5, 'SHA-1' and 'SHA-256')" });
});
