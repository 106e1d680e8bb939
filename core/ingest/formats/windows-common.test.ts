import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compact, contentIdentity, hostFields, int, parseHashes, splitAccount, stableJson } from './windows-common.js';

describe('windows-common: accounts, hosts and hashes as Windows writes them', () => {
  test('accounts split at the backslash or the @, as written', () => {
    assert.deepEqual(splitAccount('PANDALAB\\pupy.godoy'), { name: 'pupy.godoy', domain: 'PANDALAB' });
    assert.deepEqual(splitAccount('NT AUTHORITY\\SYSTEM'), { name: 'SYSTEM', domain: 'NT AUTHORITY' });
    assert.deepEqual(splitAccount('pgustavo@simulandlabs.com'), { name: 'pgustavo', domain: 'simulandlabs.com' });
    assert.deepEqual(splitAccount('wardog'), { name: 'wardog' });
    assert.equal(splitAccount('-\\-'), undefined);
    assert.equal(splitAccount('-'), undefined);
    assert.equal(splitAccount(undefined), undefined);
  });

  test('host.name kept as written; hostname and domain split from an FQDN', () => {
    assert.deepEqual(hostFields('PRD01.pandalab.com'), { name: 'PRD01.pandalab.com', hostname: 'PRD01', domain: 'pandalab.com' });
    assert.deepEqual(hostFields('WORKSTATION5'), { name: 'WORKSTATION5', hostname: 'WORKSTATION5' });
    assert.deepEqual(hostFields('192.168.1.42'), { name: '192.168.1.42', ip: ['192.168.1.42'] });
    assert.equal(hostFields(''), undefined);
  });

  test('Sysmon Hashes in any order, IMPHASH ignored, lower-cased', () => {
    assert.deepEqual(parseHashes('SHA1=DD39,MD5=EF31,SHA256=B53F,IMPHASH=4DB2'), { sha1: 'dd39', md5: 'ef31', sha256: 'b53f' });
    assert.deepEqual(parseHashes('SHA256=ABCD'), { sha256: 'abcd' });
    assert.equal(parseHashes('IMPHASH=4DB2'), undefined);
    assert.equal(parseHashes('-'), undefined);
  });

  test('pids from decimal or 0x hex', () => {
    assert.deepEqual([int('0x1d54'), int('7580'), int(628), int('-'), int('12a'), int(-1)], [7508, 7580, 628, undefined, undefined, undefined]);
  });
});

describe('windows-common: identity and shape helpers', () => {
  test('stableJson ignores key order at every depth, keeps array order', () => {
    assert.equal(stableJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
    assert.equal(stableJson({ a: 1, b: { c: 2 } }), stableJson({ b: { c: 2 }, a: 1 }));
    assert.notEqual(stableJson({ a: [1, 2] }), stableJson({ a: [2, 1] }));
  });

  test('contentIdentity: equal records agree, any difference separates', () => {
    assert.equal(contentIdentity({ x: 1, y: 'a' }), contentIdentity({ y: 'a', x: 1 }));
    assert.notEqual(contentIdentity({ x: 1, y: 'a' }), contentIdentity({ x: 1, y: 'b' }));
    assert.match(contentIdentity({}), /^content:[0-9a-f]{64}$/);
  });

  test('compact drops undefined, empty objects and empty arrays', () => {
    type Doc = { a?: { b?: string; c?: number[] }; d?: string[]; e: number };
    assert.deepEqual(compact<Doc>({ a: { b: undefined, c: [] }, d: [], e: 0 }), { e: 0 });
    assert.deepEqual(compact<Doc>({ a: { b: 'x' }, e: 1 }), { a: { b: 'x' }, e: 1 });
  });
});
