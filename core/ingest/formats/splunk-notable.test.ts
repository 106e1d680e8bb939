import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, asEvent, framed } from './format.test-helpers.js';
import { allFormats } from './index.js';
import { sniffFormat } from '../sniff.js';
import type { Doc } from './flatten.js';
import { RecordError } from './types.js';
import { splunkNotable } from './splunk-notable.js';

const NOTABLE = 'splunk/demisto-SplunkPy-test_notable_event.json';
const TWO = 'splunk/demisto-SplunkPy-response_two_events.json';
const normalize = (row: Doc) => asEvent(splunkNotable.normalize(row, { file: 'splunk', line: 1 }));

describe('splunk-notable: recorded ES notable rows', () => {
  test('the notable macro row: time, urgency, rule, user and its event_id as identity', async () => {
    const rows = await framed(NOTABLE);
    assert.equal(rows.length, 1);
    const { event, identity } = normalize(rows[0]!);
    assert.equal(event['@timestamp'], '2024-06-05T09:15:24.000Z');
    assert.equal(event.event.kind, 'alert');
    assert.equal(event.event.dataset, 'splunk.notable');
    assert.equal(event.event.original_time, '2024-06-05T09:15:24.000+00:00');
    assert.deepEqual([event.quell.format, event.quell.level, event.quell.risk, event.quell.severityOriginal], ['splunk-notable', 'informational', 0, 'informational']);
    assert.deepEqual(event.rule, {
      id: 'Identity - Root sucess - Rule',
      name: 'Root user use',
      description: 'user=root AND (action=success OR action=failure)',
      category: 'identity',
      ruleset: 'splunk-es',
    });
    assert.deepEqual(event.user, { name: 'root' });
    assert.equal(event.event.action, 'success');
    // dest and dest_ip are redacted upstream ("xxx.xxx.x.x", "xx"): neither may become a host or an address.
    assert.equal(event.host, undefined);
    assert.equal(event.destination, undefined);
    assert.equal(identity, '5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417');
  });

  test('the two enriched rows: offset times to UTC, low urgency, dest host and address; same _cd, told apart by _time', async () => {
    const rows = await framed(TWO);
    assert.equal(rows.length, 2);
    const [a, b] = rows.map(normalize);
    assert.equal(a!.event['@timestamp'], '2020-08-24T19:10:17.000Z');
    assert.equal(b!.event['@timestamp'], '2020-08-24T20:30:17.000Z');
    assert.deepEqual([a!.event.quell.level, a!.event.quell.risk, a!.event.quell.severityOriginal], ['low', 21, 'low']);
    assert.deepEqual(a!.event.host, { name: 'ACME-workstation-012', ip: ['192.168.3.12'] });
    assert.deepEqual(a!.event.destination, { ip: '192.168.3.12' });
    assert.equal(a!.event.rule?.name, 'Endpoint - Recurring Malware Infection - Rule');
    assert.equal(a!.event.message, 'Endpoint - Recurring Malware Infection - Rule');
    assert.equal(a!.event.observer?.name, 'ip-172-31-44-193');
    assert.notEqual(a!.identity, b!.identity);
    assert.equal(a!.identity, 'notable~668~66D21DF4-F4FD-4886-A986-82E72ADCBFE9\u0000668:17198\u00002020-08-24T12:10:17.000-07:00');
  });

  test('ATT&CK annotations become technique and tactic ids', () => {
    const { event } = normalize({
      _time: '2025-01-02T03:04:05.000+00:00',
      index: 'notable',
      event_id: 'X@@notable@@1',
      urgency: 'critical',
      'annotations.mitre_attack': ['T1110.001', 'Brute Force'],
      'annotations.mitre_attack.mitre_technique_id': 'T1078',
      'annotations.mitre_attack.mitre_tactic_id': ['TA0006'],
      'annotations.mitre_attack.mitre_tactic': ['credential-access'],
    });
    assert.deepEqual(event.threat, { technique: { id: ['T1078', 'T1110.001'] }, tactic: { id: ['TA0006'], name: ['credential-access'] } });
    assert.deepEqual([event.quell.level, event.quell.risk], ['critical', 99]);
  });

  test('a row without a usable _time is quarantined with the value it had', () => {
    assert.throws(() => splunkNotable.normalize({ _time: 'yesterday', index: 'notable' }, { file: 'f', line: 3 }), new RecordError('_time is missing or not a time: "yesterday"'));
  });

  test('detection: notables are recognised as splunk-notable and by no other alert format', async () => {
    const rows = [...(await framed(NOTABLE)), ...(await framed(TWO))];
    assert.equal(sniffFormat(rows, allFormats, 'json')?.format.name, 'splunk-notable');
    for (const f of ALERT_FORMATS) for (const r of rows) assert.equal(f.detect(r), 0, `${f.name} scored a Splunk row`);
  });
});
