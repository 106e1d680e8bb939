import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networksOf, parseCidr, parseIp } from './ip.js';

test('addresses: IPv4, IPv6 in any spelling, IPv4-mapped, zone ids and NetBox masks', () => {
  assert.deepEqual(parseIp('10.1.2.3'), { version: 4, network: '0a010203', length: 32, text: '10.1.2.3' });
  assert.deepEqual(parseIp('192.168.0.1/22'), { version: 4, network: 'c0a80001', length: 32, text: '192.168.0.1' });
  assert.equal(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0001')?.text, '2001:db8::1');
  assert.equal(parseIp('[fe80::1%eth0]')?.text, 'fe80::1');
  assert.equal(parseIp('::ffff:10.0.0.1')?.text, '10.0.0.1');
  assert.equal(parseIp('64:ff9b::192.0.2.33')?.text, '64:ff9b::c000:221');
  assert.equal(parseIp('2001:db8:0:1:0:0:0:1')?.text, '2001:db8:0:1::1');
  assert.equal(parseIp('::')?.text, '::');
  for (const bad of ['10.0.0.256', 'host01', '', '2001:db8::1::2']) assert.equal(parseIp(bad), null, bad);
});

test('networks: host bits must be clear; lengths checked per version', () => {
  assert.deepEqual(parseCidr('10.112.128.0/22'), { version: 4, network: '0a708000', length: 22, text: '10.112.128.0/22' });
  assert.deepEqual(parseCidr('2001:DB8:20::/48'), { version: 6, network: '20010db8002000000000000000000000', length: 48, text: '2001:db8:20::/48' });
  assert.deepEqual(parseCidr('0.0.0.0/0'), { version: 4, network: '00000000', length: 0, text: '0.0.0.0/0' });
  assert.deepEqual(parseCidr('10.112.129.1/24'), { error: '"10.112.129.1/24" has host bits set; the network is 10.112.129.0/24' });
  assert.deepEqual(parseCidr('10.0.0.0/33'), { error: '"/33" is not a prefix length for IPv4 (0-32)' });
  assert.deepEqual(parseCidr('2001:db8::/129'), { error: '"/129" is not a prefix length for IPv6 (0-128)' });
  assert.deepEqual(parseCidr('10.0.0.0'), { error: '"10.0.0.0" is not a network in CIDR form (address/length)' });
  assert.deepEqual(parseCidr('ten/8'), { error: '"ten" is not an IPv4 or IPv6 address' });
});

test('the probes of a longest-prefix lookup: longest first, never longer than the address', () => {
  const ip = parseIp('10.112.129.77')!;
  assert.deepEqual(networksOf(ip, [15, 24, 22, 40]), [
    { length: 24, network: '0a708100' },
    { length: 22, network: '0a708000' },
    { length: 15, network: '0a700000' },
  ]);
});
