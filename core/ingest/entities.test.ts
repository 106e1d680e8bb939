import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NormalizedEvent } from '../model/index.js';
import { canonicalDomain, canonicalHost, canonicalIp, canonicalUser, extractEntities } from './entities.js';

test('users in every spelling of the data become one domain\\name', () => {
  assert.equal(canonicalUser('PANDALAB\\pupy.godoy'), 'pandalab\\pupy.godoy');
  assert.equal(canonicalUser('pupy.godoy/PANDALAB.COM'), 'pandalab\\pupy.godoy'); // Kerberos principal from Zeek
  assert.equal(canonicalUser('pupy.godoy', 'PANDALAB.COM'), 'pandalab\\pupy.godoy');
  assert.equal(canonicalUser('pgustavo@simulandlabs.com'), 'simulandlabs\\pgustavo'); // UPN
  assert.equal(canonicalUser('NT AUTHORITY\\SYSTEM'), 'nt authority\\system');
  assert.equal(canonicalUser('wardog'), 'wardog');
  assert.equal(canonicalUser('s-1-5-21-1-2-3-500'), 'sid:S-1-5-21-1-2-3-500');
  assert.equal(canonicalUser('-'), null);
});

test('hosts keep their domain; short names stay short', () => {
  assert.equal(canonicalHost('PRD01.pandalab.com'), 'prd01.pandalab.com');
  assert.equal(canonicalHost('WORKSTATION5'), 'workstation5');
  assert.equal(canonicalHost('WORKSTATION5.theshire.local.'), 'workstation5.theshire.local');
  assert.equal(canonicalHost('localhost'), null);
});

test('IPs: v4 without leading zeros, v6 compressed, mapped v4 unwrapped, unspecified dropped', () => {
  assert.equal(canonicalIp('010.000.005.013'), '10.0.5.13');
  assert.equal(canonicalIp('FE80:0000:0000:0000:0202:B3FF:FE1E:8329'), 'fe80::202:b3ff:fe1e:8329');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('::ffff:192.168.1.42'), '192.168.1.42');
  assert.equal(canonicalIp('0.0.0.0'), null);
  assert.equal(canonicalIp('::'), null);
  assert.equal(canonicalIp('not-an-ip'), null);
  assert.equal(canonicalDomain('DC01.PandaLab.com.'), 'dc01.pandalab.com');
  assert.equal(canonicalDomain('192.168.1.4'), null);
});

test('a Sysmon network record yields host, user, both IPs, process and hash entities with roles', () => {
  const event: NormalizedEvent = {
    '@timestamp': '2023-08-18T15:58:00.000Z',
    event: { kind: 'event', code: '3' },
    host: { name: 'PRD01.pandalab.com' },
    user: { name: 'pupy.godoy', domain: 'PANDALAB' },
    source: { ip: '192.168.1.42', port: 50000 },
    destination: { ip: '10.0.5.13', port: 5678 },
    process: { executable: 'C:\\Users\\pupy.godoy\\Downloads\\winx64_payload.exe' },
    file: { hash: { sha256: 'A'.repeat(64), md5: 'fake md5' } },
    quell: { format: 'windows-nxlog', risk: 0, level: 'informational' },
  };
  assert.deepEqual(
    extractEntities(event).map((e) => `${e.role} ${e.type} ${e.canonical}`),
    [
      'host host prd01.pandalab.com',
      'user user pandalab\\pupy.godoy',
      'source ip 192.168.1.42',
      'destination ip 10.0.5.13',
      'process process c:\\users\\pupy.godoy\\downloads\\winx64_payload.exe',
      `file hash sha256:${'a'.repeat(64)}`,
    ],
  );
});
