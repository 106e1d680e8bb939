import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed, asEvent } from './format.test-helpers.js';
import { fromWazuh } from '../severity.js';
import { sniffFormat } from '../sniff.js';
import { type Doc } from './flatten.js';
import { RecordError } from './types.js';
import { wazuhAlert } from './wazuh.js';

const SAMPLE = 'wazuh/alerts-json-sample.ndjson';
/** The first 60 of the 274 ruleset test cases (49 sshd, 11 Sysmon EID 1 eventchannel JSON). */
const CASES = 'wazuh/ruleset-test-cases.first60.ndjson';
const ALL = ALERT_FORMATS;



const normalize = (record: Doc) => asEvent(wazuhAlert.normalize(record, { file: 'alerts.json', line: 1 }));
const sample = async () => (await framed(SAMPLE))[0]!;

/**
 * A Wazuh-shaped alert built from one ruleset test case (raw log + rule metadata), as the manager would write it:
 * eventchannel logs are decoded into `data`, as Wazuh's JSON decoder does.
 */
function alertFrom(testCase: Doc, n: number): Doc {
  const rule = testCase['rule'] as Doc;
  const decoder = (testCase['expected'] as Doc)['decoder'] as string;
  const log = testCase['log'] as string;
  const data = decoder === 'json' ? (JSON.parse(log) as Doc) : undefined;
  const computer = data ? (((data['win'] as Doc)['system'] as Doc)['computer'] as string) : 'someserver';
  const mitre = rule['mitre_ids'] as string[];
  return {
    timestamp: '2024-01-01T00:00:00.000+0000',
    id: `1704067200.${n * 1000}`,
    rule: { id: rule['id'], level: rule['level'], description: rule['description'], groups: rule['groups'], ...(mitre.length ? { mitre: { id: mitre } } : {}) },
    agent: { id: '001', name: computer },
    manager: { name: 'wazuh-manager' },
    decoder: { name: decoder },
    full_log: log,
    ...(data ? { data } : {}),
    location: decoder === 'json' ? 'EventChannel' : '/var/log/secure',
  };
}

describe('wazuh-alert: the alerts.json sample', () => {
  test('rule 5712 level 10 is medium, risk 67, with T1110 and the attacking address', async () => {
    const { event, identity } = normalize(await sample());
    assert.equal(event['@timestamp'], '2022-05-11T12:29:19.905Z');
    assert.equal(event.event.kind, 'alert');
    assert.deepEqual(event.rule, {
      id: '5712',
      name: 'sshd: brute force trying to get access to the system. Non existent user.',
      description: 'sshd: brute force trying to get access to the system. Non existent user.',
      category: 'syslog, sshd, authentication_failures',
      ruleset: 'wazuh',
    });
    assert.deepEqual([event.quell.level, event.quell.risk, event.quell.severityOriginal], ['medium', 67, 10]);
    assert.deepEqual(event.threat, { technique: { id: ['T1110'], name: ['Brute Force'] }, tactic: { name: ['Credential Access'] } });
    assert.deepEqual(event.source, { ip: '172.17.1.1', port: 56404, user: { name: 'paco' } });
    assert.deepEqual(event.user, { name: 'paco' });
    assert.deepEqual(event.host, { name: 'localhost.localdomain' });
    assert.equal(event.message, 'May 11 12:29:18 localhost sshd[17584]: Invalid user paco from 172.17.1.1 port 56404');
    assert.deepEqual(event.tags, ['syslog', 'sshd', 'authentication_failures']);
    assert.equal(identity, '1652272159.1549653\u00002022-05-11T12:29:19.905+0000\u00005712');
  });

  test('the yearless syslog time is kept as the original time, the manager time places the event', async () => {
    const { event } = normalize(await sample());
    assert.equal(event.event.original_time, 'May 11 12:29:18');
    assert.equal(event.quell.timeSource, 'timestamp (manager alert time; the log line says "May 11 12:29:18", with no year or zone)');
  });

  test('malformed alerts are RecordErrors naming the field', async () => {
    const record = await sample();
    assert.throws(() => normalize({ ...record, timestamp: 'May 11 12:29:19' }), new RecordError('timestamp is missing or not a time: "May 11 12:29:19"'));
    assert.throws(() => normalize({ ...record, rule: { id: '5712' } }), new RecordError('rule.level is missing or not a number: null'));
    assert.throws(() => normalize({ ...record, rule: 'x' }), new RecordError('rule is missing or not an object'));
  });

  test('an indexer search hit around the alert reads the same', async () => {
    const record = await sample();
    const hit = { _index: 'wazuh-alerts-4.x-2022.05.11', _id: 'x1', _source: record };
    assert.equal(wazuhAlert.detect(hit), 0.95);
    assert.deepEqual(normalize(hit), normalize(record));
  });

  test('without an alert id the whole record is the identity, stable across key order', async () => {
    const { id: _id, ...rest } = await sample();
    const reordered = Object.fromEntries(Object.entries(rest).reverse());
    const a = normalize(rest).identity;
    assert.ok(a.startsWith('doc:{"agent":'));
    assert.equal(normalize(reordered).identity, a);
  });
});

describe('wazuh-alert: ruleset test cases', () => {
  test('the derived test-case records are recognised as Wazuh and skipped, not quarantined', async () => {
    const cases = await framed(CASES);
    assert.equal(cases.length, 60);
    assert.equal(sniffFormat(cases, ALL, 'json')?.format.name, 'wazuh-alert');
    for (const c of cases) {
      assert.deepEqual(wazuhAlert.normalize(c, { file: 'cases', line: 1 }), { kind: 'skip', reason: 'Wazuh ruleset test case, not an alert (no alert time)' });
    }
  });

  test('alerts built from the 60 cases keep each rule level, technique ids and a distinct identity', async () => {
    const cases = await framed(CASES);
    const identities = new Set<string>();
    let withMitre = 0;
    cases.forEach((c, n) => {
      const rule = c['rule'] as Doc;
      const { event, identity } = normalize(alertFrom(c, n));
      const expected = fromWazuh(rule['level']);
      assert.deepEqual([event.quell.risk, event.quell.level], [expected.risk, expected.level], `case ${n + 1}`);
      assert.equal(event.rule?.id, rule['id']);
      const mitre = rule['mitre_ids'] as string[];
      assert.deepEqual(event.threat?.technique?.id, mitre.length ? mitre : undefined);
      if (mitre.length) withMitre++;
      identities.add(identity);
    });
    assert.equal(identities.size, 60);
    assert.equal(withMitre, 35);
  });

  test('Sysmon eventchannel data: doubled backslashes are undone in paths and users', async () => {
    const cases = await framed(CASES);
    const { event } = normalize(alertFrom(cases[49]!, 49));
    assert.equal(event.rule?.id, '92000');
    assert.equal(event.process?.executable, 'C:\\Windows\\System32\\wscript.exe');
    assert.equal(event.user?.name, 'DESKTOP-2QKFOBA\\AtomicRedTeamTest');
    assert.equal(event.host?.name, 'DESKTOP-2QKFOBA');
    assert.deepEqual(event.threat?.technique?.id, ['T1059.005']);
  });

  test('detect: the sample goes to wazuh-alert, every other format scores below 0.5', async () => {
    const records = [await sample(), ...(await framed(CASES))];
    assert.equal(sniffFormat([records[0]!], ALL, 'json')?.format.name, 'wazuh-alert');
    assert.equal(wazuhAlert.detect(records[0]!), 0.95);
    for (const record of records) {
      for (const other of ALL.filter((f) => f !== wazuhAlert)) assert.ok(other.detect(record) < 0.5, `${other.name} scored ${other.detect(record)}`);
    }
  });
});
