import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed, asEvent } from './format.test-helpers.js';
import { sniffFormat } from '../sniff.js';
import { elasticAlert } from './elastic.js';
import { isObject, type Doc } from './flatten.js';
import { RecordError } from './types.js';

const ALERTS = 'elastic/kibana-es-archive-alert-docs.ndjson';
const ALL = ALERT_FORMATS;



const normalize = (record: Doc) => asEvent(elasticAlert.normalize(record, { file: 'alerts.ndjson', line: 1 }));
const sourceOf = (record: Doc) => structuredClone((record['value'] as Doc)['source'] as Doc);
const envelope = (record: Doc, source: Doc): Doc => ({ ...record, value: { ...(record['value'] as Doc), source } });

/** Every nested object written as dotted-flat keys. */
function flattenAll(doc: Doc, prefix = '', out: Doc = {}): Doc {
  for (const [k, v] of Object.entries(doc)) {
    if (isObject(v) && Object.keys(v).length) flattenAll(v, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

/** Every dotted key written as nested objects. */
function nestAll(doc: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(doc)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      assert.ok(isObject(node[part]), `cannot nest ${key}`);
      node = node[part] as Doc;
    }
    const last = parts[parts.length - 1]!;
    const nested = isObject(value) ? nestAll(value) : value;
    node[last] = isObject(node[last]) && isObject(nested) ? { ...(node[last] as Doc), ...nested } : nested;
  }
  return out;
}

describe('elastic-alert: the three alert shapes of the Kibana archive', () => {
  test('8.1 threat-match alert: rule, low/21, time from kibana.alert.original_time, no ATT&CK mapping', async () => {
    const [doc] = await framed(ALERTS);
    const { event, identity } = normalize(doc!);
    assert.equal(event['@timestamp'], '2022-03-19T02:47:57.376Z');
    assert.equal(event.event.original_time, '2022-03-19T02:47:57.376Z');
    assert.equal(event.event.kind, 'alert');
    assert.deepEqual(event.rule, {
      id: '53000028-120c-4e55-a8c0-db092e05aef4',
      name: 'threat-match-rule',
      description: 'a simple threat match rule',
      category: 'Indicator Match Rule',
    });
    assert.deepEqual(event.quell, { format: 'elastic-alert', risk: 21, level: 'low', severityOriginal: 'low/21', timeSource: 'kibana.alert.original_time' });
    assert.equal(event.event.risk_score, 21);
    // Empty kibana.alert.rule.threat: no threat at all, so the UI shows "unmapped" rather than an empty mapping.
    assert.equal(event.threat, undefined);
    assert.deepEqual(event.host, {
      name: 'security-linux-1',
      hostname: 'security-linux-1',
      ip: ['11.200.0.194'],
      os: { name: 'Debian GNU/Linux', platform: 'debian' },
    });
    assert.equal(event.message, 'event on security-linux-1 created low alert threat-match-rule.');
    assert.equal(identity, 'id:.internal.alerts-security.alerts-default-000001/30a75fe46d3dbdfab55982036f77a8d60e2d1112e96f277c3b8c22f9bb57817a');
  });

  test('8.8 endpoint alert: process tree, medium/47, placeholder hashes ("fake md5") dropped', async () => {
    const [, doc] = await framed(ALERTS);
    const { event } = normalize(doc!);
    assert.equal(event.rule?.name, 'Endpoint Security');
    assert.equal(event.rule?.id, '9a1a2dae-0b5f-4c3d-8305-a268d404c306');
    assert.deepEqual([event.quell.level, event.quell.risk], ['medium', 47]);
    assert.deepEqual(event.process, {
      pid: 2,
      name: 'malware writer',
      executable: 'C:/malware.exe',
      entity_id: 'nqh8ts6ves',
      parent: { pid: 1, entity_id: 'qa5jgw1wr7' },
    });
    assert.deepEqual(event.file, { path: 'C:/fake_malware.exe', name: 'fake_malware.exe' });
    assert.equal(event.related?.hash, undefined);
    assert.deepEqual(event.user, { name: 'user1' });
    assert.deepEqual(event.host?.ip, ['10.249.37.72', '10.150.39.243', '10.186.17.170']);
    assert.deepEqual(event.event.category, ['malware']);
    assert.equal(event.event.action, 'creation');
    // The archive's source time (from file.created epoch ms) is two days after the alert itself: kept, and flagged.
    assert.equal(event['@timestamp'], '2023-04-29T07:17:32.103Z');
    assert.equal(event.quell.timeSource, "kibana.alert.original_time (later than the alert's @timestamp 2023-04-27T11:03:57.906Z)");
  });

  test('a real hex hash is kept, lower-cased; a wrong-length one is dropped', async () => {
    const [record] = await framed(ALERTS);
    const source = sourceOf(record!);
    source['file'] = { hash: { md5: '1F2D082566B0FC5F2C238A5180DB7451', sha1: 'ca85243c', sha256: 'fake file sha256' } };
    const { event } = normalize(envelope(record!, source));
    assert.deepEqual(event.file, { hash: { md5: '1f2d082566b0fc5f2c238a5180db7451' } });
    assert.deepEqual(event.related?.hash, ['1f2d082566b0fc5f2c238a5180db7451']);
  });

  test('7.16 legacy signal is read from signal.*', async () => {
    const [, , doc] = await framed(ALERTS);
    const { event, identity } = normalize(doc!);
    assert.deepEqual(event.rule, { id: 'bef9b0da-8c2f-4b82-930f-37ffa1b57fc1', name: 'threat-match-rule', description: 'a simple threat match rule' });
    assert.deepEqual(event.quell, { format: 'elastic-alert', risk: 21, level: 'low', severityOriginal: 'low/21', timeSource: 'signal.original_time' });
    assert.equal(event['@timestamp'], '2022-03-23T16:50:32.045Z');
    assert.equal(event.message, 'event on security-linux-1 created low alert threat-match-rule.');
    assert.equal(event.threat, undefined);
    assert.equal(identity, 'id:.siem-signals-default-000001-7.16.0/0bb0c0d5488d757907f6be6e4c27ff698666948e2cf01d53e8fa43958b36c6a8');
  });

  test('dotted-flat and nested keys mixed in one document read the same as all-flat or all-nested', async () => {
    for (const record of await framed(ALERTS)) {
      const source = sourceOf(record);
      const expected = normalize(record);
      assert.deepEqual(normalize(envelope(record, flattenAll(source))), expected);
      assert.deepEqual(normalize(envelope(record, nestAll(source))), expected);
    }
    // The 8.1 document really mixes both: a flat rule name beside a nested host.os.
    const source = sourceOf((await framed(ALERTS))[0]!);
    assert.equal(source['kibana.alert.rule.name'], 'threat-match-rule');
    assert.ok(isObject((source['host'] as Doc)['os']));
  });
});

describe('elastic-alert: ATT&CK, wrappers, identity', () => {
  test('a rule threat list maps to technique and tactic ids and names, sub-techniques included', async () => {
    const [record] = await framed(ALERTS);
    const source = sourceOf(record!);
    source['kibana.alert.rule.threat'] = [
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0006', name: 'Credential Access', reference: 'https://attack.mitre.org/tactics/TA0006/' },
        technique: [{ id: 'T1003', name: 'OS Credential Dumping', subtechnique: [{ id: 'T1003.001', name: 'LSASS Memory' }] }],
      },
    ];
    assert.deepEqual(normalize(envelope(record!, source)).event.threat, {
      technique: { id: ['T1003', 'T1003.001'], name: ['OS Credential Dumping', 'LSASS Memory'] },
      tactic: { id: ['TA0006'], name: ['Credential Access'] },
    });
  });

  test('bare document and search hit read like the archive record; identity from uuid, then _index/_id', async () => {
    const [record] = await framed(ALERTS);
    const source = sourceOf(record!);
    const wrapped = normalize(record!);
    const bare = normalize(source);
    assert.deepEqual(bare.event, wrapped.event);
    assert.equal(bare.identity, 'uuid:30a75fe46d3dbdfab55982036f77a8d60e2d1112e96f277c3b8c22f9bb57817a');
    const hit = normalize({ _index: 'alerts', _id: 'abc', _source: source });
    assert.deepEqual(hit.event, wrapped.event);
    assert.equal(hit.identity, 'id:alerts/abc');
  });

  test('identities are distinct within the file and the same on a second read', async () => {
    const first = (await framed(ALERTS)).map((r) => normalize(r).identity);
    const second = (await framed(ALERTS)).map((r) => normalize(r).identity);
    assert.equal(new Set(first).size, 3);
    assert.deepEqual(second, first);
  });

  test('an unreadable original_time falls back to @timestamp and says so; no time at all is a RecordError', async () => {
    const [record] = await framed(ALERTS);
    const source = sourceOf(record!);
    source['kibana.alert.original_time'] = 'yesterday';
    const { event } = normalize(envelope(record!, source));
    assert.equal(event['@timestamp'], '2022-03-19T02:48:12.634Z');
    assert.equal(event.quell.timeSource, '@timestamp (kibana.alert.original_time "yesterday" is not a time)');
    delete source['@timestamp'];
    assert.throws(
      () => normalize(envelope(record!, source)),
      new RecordError('no usable timestamp: kibana.alert.original_time is "yesterday" and @timestamp is null'),
    );
  });

  test('a null risk score falls back to the severity name instead of reading as 0', async () => {
    const [record] = await framed(ALERTS);
    const source = sourceOf(record!);
    source['kibana.alert.risk_score'] = null;
    source['kibana.alert.rule.risk_score'] = null;
    assert.deepEqual(normalize(envelope(record!, source)).event.quell, {
      format: 'elastic-alert',
      risk: 21,
      level: 'low',
      severityOriginal: 'low',
      timeSource: 'kibana.alert.original_time',
    });
  });

  test('a document with no alert rule is a RecordError naming what is missing', () => {
    assert.throws(
      () => normalize({ '@timestamp': '2022-03-19T02:48:12.634Z', host: { name: 'x' } }),
      new RecordError('not an Elastic detection alert: no kibana.alert.rule.* or signal.rule.* fields'),
    );
  });

  test('an Attack Discovery document given to elastic-alert still becomes the incident', async () => {
    const [record] = await framed('elastic/kibana-es-archive-attack-discovery-doc.ndjson');
    const result = elasticAlert.normalize(record!, { file: 'ad.ndjson', line: 1 });
    assert.equal(result.kind, 'incident');
  });

  test('detect: the alert archive goes to elastic-alert, every other format scores below 0.5', async () => {
    const records = await framed(ALERTS);
    assert.equal(sniffFormat(records, ALL, 'json')?.format.name, 'elastic-alert');
    for (const record of records) {
      assert.equal(elasticAlert.detect(record), 0.95);
      for (const other of ALL.filter((f) => f !== elasticAlert)) assert.ok(other.detect(record) < 0.5, `${other.name} scored ${other.detect(record)}`);
    }
  });
});
