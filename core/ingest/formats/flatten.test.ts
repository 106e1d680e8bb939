import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { elasticAlert } from './elastic.js';
import { elasticAttackDiscovery } from './elastic-attack-discovery.js';
import { entraAudit } from './entra-audit.js';
import { finish, first, get, hash, jsonField, num, port, splitUpn, stableStringify, str, strs, unwrapElastic } from './flatten.js';
import { m365Defender } from './m365-defender.js';
import { officeActivity } from './office-activity.js';
import { RecordError } from './types.js';
import { wazuhAlert } from './wazuh.js';

describe('get: dotted paths over flat, nested and mixed keys', () => {
  test('finds a value stored flat, nested, or split anywhere along the path', () => {
    assert.equal(get({ 'kibana.alert.rule.name': 'flat' }, 'kibana.alert.rule.name'), 'flat');
    assert.equal(get({ kibana: { alert: { rule: { name: 'nested' } } } }, 'kibana.alert.rule.name'), 'nested');
    assert.equal(get({ 'kibana.alert': { 'rule.name': 'split' } }, 'kibana.alert.rule.name'), 'split');
    assert.equal(get({ kibana: { 'alert.rule': { name: 'split2' } } }, 'kibana.alert.rule.name'), 'split2');
  });

  test('the longest matching key wins; a dead end falls back to a shorter key', () => {
    assert.equal(get({ 'a.b': 1, a: { b: 2 } }, 'a.b'), 1);
    assert.equal(get({ 'a.b': { x: 1 }, a: { b: { c: 3 } } }, 'a.b.c'), 3);
  });

  test('arrays are not entered; missing paths and non-objects give undefined', () => {
    assert.equal(get({ a: [{ b: 1 }] }, 'a.b'), undefined);
    assert.deepEqual(get({ a: [{ b: 1 }] }, 'a'), [{ b: 1 }]);
    assert.equal(get({ a: 1 }, 'a.b'), undefined);
    assert.equal(get(null, 'a'), undefined);
    assert.equal(get({ a: null }, 'a'), null);
  });

  test('first skips absent, null and empty values', () => {
    assert.equal(first({ a: '', b: null, c: 'x' }, 'a', 'b', 'c'), 'x');
    assert.equal(first({}, 'a'), undefined);
  });
});

describe('value readers', () => {
  test('str, num, port and strs', () => {
    assert.deepEqual([str(' a '), str(''), str('-'), str(5), str(null), str({})], ['a', undefined, undefined, '5', undefined, undefined]);
    assert.deepEqual([num('56404'), num(3.5), num('3x'), num(''), num(Number.NaN)], [56404, 3.5, undefined, undefined, undefined]);
    assert.deepEqual([port('443'), port(70000), port(-1), port(1.5)], [443, undefined, undefined, undefined]);
    assert.deepEqual([strs('a'), strs(['a', '', null, 'b']), strs([]), strs(undefined)], [['a'], ['a', 'b'], undefined, undefined]);
  });

  test('hash keeps only hex of the right length, lower-cased', () => {
    assert.equal(hash('md5', 'fake md5'), undefined);
    assert.equal(hash('sha1', 'fake sha1'), undefined);
    assert.equal(hash('sha256', 'fake file sha256'), undefined);
    assert.equal(hash('md5', '7353F60B1739074EB17C5F4DDDEFE239'), '7353f60b1739074eb17c5f4dddefe239');
    assert.equal(hash('sha1', '7353f60b1739074eb17c5f4dddefe239'), undefined);
    assert.equal(hash('md5', '7353f60b1739074eb17c5f4dddefe23g'), undefined);
  });

  test('splitUpn', () => {
    assert.deepEqual(splitUpn('pgustavo@simulandlabs.com'), { name: 'pgustavo', domain: 'simulandlabs.com' });
    assert.deepEqual(splitUpn('wardog'), { name: 'wardog' });
    assert.deepEqual(splitUpn('@x'), { name: '@x' });
  });

  test('stableStringify sorts keys at every depth and keeps array order', () => {
    assert.equal(stableStringify({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    assert.equal(stableStringify({ a: 1, b: 2 }), stableStringify({ b: 2, a: 1 }));
    assert.notEqual(stableStringify([1, 2]), stableStringify([2, 1]));
    assert.equal(stableStringify({ a: undefined, b: 1 }), '{"b":1}');
  });

  test('jsonField parses JSON text, passes parsed values, and names the field when it cannot parse', () => {
    assert.deepEqual(jsonField({ f: '{"a":1}' }, 'f'), { a: 1 });
    assert.deepEqual(jsonField({ f: [1] }, 'f'), [1]);
    assert.equal(jsonField({ f: '  ' }, 'f'), undefined);
    assert.equal(jsonField({}, 'f'), undefined);
    assert.throws(() => jsonField({ f: '{"a":' }, 'f'), new RecordError('f is not valid JSON: "{\\"a\\":"'));
    const long = `{"x":"${'y'.repeat(100)}`;
    assert.throws(() => jsonField({ f: long }, 'f'), new RecordError(`f is not valid JSON: ${JSON.stringify(`${long.slice(0, 60)}…`)}`));
  });

  test('unwrapElastic: es_archiver record, search hit, bare document', () => {
    const doc = { a: 1 };
    assert.deepEqual(unwrapElastic({ type: 'doc', value: { index: 'i', id: 'x', source: doc } }), { doc, index: 'i', id: 'x', envelope: 'es_archiver' });
    assert.deepEqual(unwrapElastic({ _index: 'i', _id: 'x', _source: doc }), { doc, index: 'i', id: 'x', envelope: 'hit' });
    assert.deepEqual(unwrapElastic(doc), { doc, envelope: 'bare' });
  });

  test('finish drops undefined members and the objects and arrays they leave empty', () => {
    const e = finish({
      '@timestamp': '2021-08-02T13:32:07.000Z',
      event: { kind: 'event', action: undefined },
      host: { name: undefined, os: { name: undefined } },
      related: { ip: [], user: ['a'] },
      quell: { format: 'x', risk: 0, level: 'informational', timeSource: undefined },
    });
    assert.deepEqual(e, {
      '@timestamp': '2021-08-02T13:32:07.000Z',
      event: { kind: 'event' },
      related: { user: ['a'] },
      quell: { format: 'x', risk: 0, level: 'informational' },
    });
  });
});

describe('detection against the other formats in the evidence', () => {
  const ours = [elasticAlert, elasticAttackDiscovery, wazuhAlert, m365Defender, entraAudit, officeActivity];
  // Minimal records in the shape of the other readers' inputs (keys as those formats write them, values made up).
  const foreign: Record<string, Record<string, unknown>> = {
    'Suricata EVE alert': {
      timestamp: '2018-10-03T14:42:44.836744+0000',
      flow_id: 1,
      event_type: 'alert',
      src_ip: '10.0.0.1',
      dest_ip: '10.0.0.2',
      alert: { signature_id: 1, signature: 'x', severity: 2 },
    },
    'NXLog Windows event': { Hostname: 'WORKSTATION5', EventID: 4689, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', TimeCreated: '2020-10-18 07:50:06.220' },
    'Zeek JSON conn': { '@stream': 'conn', ts: 1588205199.82437, uid: 'Cabc', id_orig_h: '10.0.1.6', id_resp_h: '10.0.0.4', proto: 'udp' },
    'Zeek TSV conn': { _path: 'conn', ts: 1692374165.735188, uid: 'Cabc', 'id.orig_h': '192.168.1.42', 'id.resp_h': '10.0.5.13' },
    'Sentinel SecurityEvent': { TenantId: '0', SourceSystem: 'OpsManager', TimeGenerated: '2021-08-02T13:09:20.04Z', Computer: 'DC01', EventID: 4624, Type: 'SecurityEvent', Operation: 'x' },
    'evtx_dump event': { Event: { System: { EventID: 1, Computer: 'ar-win-1' }, EventData: { Image: 'C:\\x.exe' } } },
    'ECS event that is not an alert': { '@timestamp': '2022-03-19T02:48:12.634Z', event: { kind: 'event' }, rule: { name: 'r' }, host: { name: 'h' } },
  };

  for (const [name, record] of Object.entries(foreign)) {
    test(`no reader here claims it: ${name}`, () => {
      for (const format of ours) assert.ok(format.detect(record) < 0.5, `${format.name} scored ${format.detect(record)}`);
    });
  }
});
