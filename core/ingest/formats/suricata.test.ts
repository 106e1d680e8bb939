import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type RawRecord } from '../framing.js';
import { sniffFormat } from '../sniff.js';
import { suricataEve } from './suricata.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';
import { windowsEvtx } from './windows-evtx.js';
import { windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { zeekLog, zeekTsv } from './zeek.js';
import { readFixtureRecords as read } from './format.test-helpers.js';

const ALL: FormatDef[] = [suricataEve, zeekLog, zeekTsv, windowsNxlog, windowsSentinel, windowsEvtx];


const normalize = (r: RawRecord): NormalizeResult => suricataEve.normalize(r.value!, { file: 'eve.json', line: r.line });
const events = (rs: RawRecord[]) =>
  rs.map(normalize).flatMap((n) => (n.kind === 'event' ? [n] : []));

describe('suricata-eve: eve-alerts.ndjson', async () => {
  const records = await read('suricata/eve-alerts.ndjson');

  test('21 alerts and 1 tls event, nothing skipped or refused', () => {
    assert.equal(records.length, 22);
    const kinds = records.map(normalize).map((n) => (n.kind === 'event' ? n.event.event.kind : n.kind));
    assert.equal(kinds.filter((k) => k === 'alert').length, 21);
    assert.deepEqual(kinds.map((k, i) => [k, i + 1]).filter(([k]) => k === 'event'), [['event', 21]]);
  });

  test('signatures: curl ×6, APT ×14 over two flows, TLS on unusual port ×1', () => {
    const alerts = events(records).filter((n) => n.event.event.kind === 'alert');
    const bySig = new Map<string, { n: number; flows: Set<string> }>();
    for (const { event } of alerts) {
      const entry = bySig.get(event.rule!.name!) ?? { n: 0, flows: new Set() };
      entry.n++;
      entry.flows.add(event.quell.uid!);
      bySig.set(event.rule!.name!, entry);
    }
    assert.deepEqual(
      [...bySig].map(([name, { n, flows }]) => [name, n, flows.size]),
      [
        ['ET POLICY curl User-Agent Outbound', 6, 6],
        ['ET POLICY GNU/Linux APT User-Agent Outbound likely related to package management', 14, 2],
        ['SURICATA TLS on unusual port', 1, 1],
      ],
    );
  });

  test('the first alert, field by field', () => {
    assert.deepEqual(normalize(records[0]!), {
      kind: 'event',
      identity: 'alert|2191386088856669|2018-10-03T14:42:44.836744+0000|0|1:2013028:4',
      event: {
        '@timestamp': '2018-10-03T14:42:44.836Z',
        message: 'ET POLICY curl User-Agent Outbound',
        event: {
          kind: 'alert',
          category: ['network', 'intrusion_detection'],
          type: ['allowed'],
          action: 'allowed',
          module: 'suricata',
          dataset: 'suricata.alert',
          original_time: '2018-10-03T14:42:44.836744+0000',
          severity: 2,
          risk_score: 47,
        },
        observer: { vendor: 'OISF', product: 'Suricata' },
        source: { ip: '192.168.1.146', port: 32858 },
        destination: { ip: '93.184.216.34', port: 80 },
        network: { transport: 'tcp', protocol: 'http', bytes: 2001, packets: 7 },
        url: { domain: 'example.net', path: '/', full: 'http://example.net/' },
        http: { request: { method: 'GET' }, response: { status_code: 200 }, user_agent: 'curl/7.58.0' },
        rule: { id: '2013028', name: 'ET POLICY curl User-Agent Outbound', category: 'Attempted Information Leak', ruleset: 'gid:1' },
        related: { ip: ['192.168.1.146', '93.184.216.34'], hosts: ['example.net'] },
        quell: { format: 'suricata-eve', risk: 47, level: 'medium', severityOriginal: 2, uid: '2191386088856669' },
      },
    });
  });

  test('a -0400 timestamp becomes UTC, the original kept; an empty category is left out', () => {
    const n = normalize(records[21]!);
    assert.equal(n.kind, 'event');
    if (n.kind !== 'event') return;
    assert.equal(n.event['@timestamp'], '2020-06-26T15:00:03.342Z');
    assert.equal(n.event.event.original_time, '2020-06-26T11:00:03.342282-0400');
    assert.deepEqual(n.event.rule, { id: '2610003', name: 'SURICATA TLS on unusual port', ruleset: 'gid:1' });
    assert.deepEqual([n.event.quell.level, n.event.quell.risk], ['low', 21]);
    assert.deepEqual(n.event.tls, { server_name: 'host.domain.net', ja3: '3f1ea03f5822e8021b60cc3e4b233181', ja3s: '391231ba5675e42807b9e1f457b2614e' });
  });

  test('alerts sharing a flow keep distinct identities (tx_id tells them apart)', () => {
    const ids = events(records).map((n) => n.identity);
    assert.equal(new Set(ids).size, 22);
    assert.deepEqual(events(records).map((n) => n.identity), ids, 'normalising again gives the same identities');
    const apt = events(records).filter((n) => n.event.quell.uid === '112424506237238');
    assert.equal(apt.length, 10);
  });
});

describe('suricata-eve: eve-mixed-small.ndjson', async () => {
  const records = await read('suricata/eve-mixed-small.ndjson');
  const results = records.map(normalize);
  const byType = (t: string) => events(records).filter((n) => n.event.event.dataset === `suricata.${t}`);

  test('stats is skipped with its reason; the other 11 records are kept', () => {
    assert.deepEqual(results[5], { kind: 'skip', reason: 'Suricata stats record' });
    assert.equal(results.filter((r) => r.kind === 'event').length, 11);
    assert.deepEqual(
      results.map((r) => (r.kind === 'event' ? r.event.event.dataset : r.kind)),
      [
        'suricata.ssh', 'suricata.alert', 'suricata.http', 'suricata.fileinfo', 'suricata.dns', 'skip',
        'suricata.tls', 'suricata.flow', 'suricata.http', 'suricata.tls', 'suricata.http', 'suricata.tls',
      ],
    );
  });

  test('severity 1 is high, risk 73', () => {
    const [alert] = byType('alert');
    assert.deepEqual(
      {
        kind: alert!.event.event.kind,
        level: alert!.event.quell.level,
        risk: alert!.event.quell.risk,
        severityOriginal: alert!.event.quell.severityOriginal,
        severity: alert!.event.event.severity,
        rule: alert!.event.rule,
        time: alert!.event['@timestamp'],
      },
      {
        kind: 'alert',
        level: 'high',
        risk: 73,
        severityOriginal: 1,
        severity: 1,
        rule: { id: '2024833', name: 'ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)', category: 'Potential Corporate Privacy Violation', ruleset: 'gid:1' },
        time: '2018-07-05T19:07:20.910Z',
      },
    );
  });

  test('the IPv6 flow keeps its addresses as written', () => {
    const [flow] = byType('flow');
    assert.deepEqual(
      [flow!.event.source, flow!.event.destination, flow!.event.network],
      [
        { ip: 'fe80:0000:0000:0000:fada:0cff:fedc:87f1', port: 546 },
        { ip: 'ff02:0000:0000:0000:0000:0000:0001:0002', port: 547 },
        { transport: 'udp', bytes: 110, packets: 1 },
      ],
    );
  });

  test('fileinfo carries the three hashes; its URL has no full form because the server port is unknown', () => {
    const [file] = byType('fileinfo');
    assert.deepEqual(file!.event.file, {
      path: '/ssdp/device-desc.xml',
      name: 'device-desc.xml',
      hash: {
        md5: '427b7337ff37eeb24d74f47d8e04cf21',
        sha1: '313573490192c685e9e53abef25453ed0d5e2aee',
        sha256: 'f610428ebddf6f8cf9e39322e672583c45fcdcf885efad0ab48fd53a3dfc2c4b',
      },
    });
    assert.deepEqual(file!.event.url, { domain: '192.168.86.28', path: '/ssdp/device-desc.xml' });
  });

  test('dns, http and tls fields', () => {
    assert.deepEqual(byType('dns')[0]!.event.dns, { question: { name: 'clients.l.google.com', type: 'A' }, answers: [{ data: '175.16.199.1' }] });
    assert.deepEqual(
      byType('http').map((n) => n.event.url),
      [
        { domain: '192.168.86.28', path: '/dd.xml', full: 'http://192.168.86.28:63963/dd.xml' },
        {
          full: 'http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab?111111111111',
          domain: 'ctldl.windowsupdate.com',
          path: '/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab',
        },
        { domain: '192.168.50.1', path: '/uuid', full: 'http://192.168.50.1:8081/uuid' },
      ],
    );
    assert.deepEqual(
      byType('tls').map((n) => n.event.tls),
      [
        { server_name: 'p33-btmmdns.icloud.com.' },
        { ja3s: 'adc06261ef82c2e4688b3cf08c1b2f24' },
        { server_name: 'www.example.com', ja3: '44d502d471cfdb99c59bdfb0f220e5a8' },
      ],
    );
    assert.equal(byType('ssh')[0]!.event.message, 'SSH OpenSSH_7.6 -> libssh_0.7.0 192.168.86.85:55406 -> 192.168.253.112:22');
  });

  test('identities are distinct and stable', () => {
    const ids = events(records).map((n) => n.identity);
    assert.equal(new Set(ids).size, 11);
    assert.deepEqual(events(records).map((n) => n.identity), ids);
  });
});

describe('suricata-eve: refusals name the field', () => {
  const base = { timestamp: '2018-07-05T15:01:09.820360-0400', flow_id: 1, event_type: 'flow', src_ip: '10.0.0.1' };
  const refuse = (record: Record<string, unknown>) => {
    try {
      suricataEve.normalize(record, { file: 'eve.json', line: 7 });
    } catch (err) {
      assert.ok(err instanceof RecordError);
      return err.message;
    }
    return 'accepted';
  };

  test('missing or unreadable timestamps, event types and signature ids', () => {
    assert.equal(refuse({ ...base, timestamp: undefined }), 'no usable timestamp: timestamp is missing');
    assert.equal(refuse({ ...base, timestamp: '2018-07-05 15:01:09' }), 'no usable timestamp: timestamp "2018-07-05 15:01:09" is not a time with a zone');
    assert.equal(refuse({ ...base, event_type: '' }), 'event_type: expected a Suricata event type, found ""');
    assert.equal(refuse({ ...base, event_type: 'alert', alert: { signature: 'x' } }), 'alert.signature_id: missing on an alert record');
  });

  test('an unknown event type is kept as an event, its identity from its content', () => {
    const n = suricataEve.normalize({ ...base, event_type: 'anomaly', anomaly: { type: 'decode' } }, { file: 'eve.json', line: 1 });
    assert.equal(n.kind, 'event');
    if (n.kind !== 'event') return;
    assert.equal(n.event.event.dataset, 'suricata.anomaly');
    assert.match(n.identity, /^anomaly\|1\|2018-07-05T15:01:09\.820360-0400\|\|content:[0-9a-f]{64}$/);
  });
});

describe('suricata-eve: detection', async () => {
  const others = await Promise.all(
    [
      'zeek/apt29-day1/combined_zeek.first300.ndjson',
      'windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson',
      'windows/golden-saml/WindowsEvents.json',
      'windows/sigma-regression/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json',
    ].map((f) => read(f, 20)),
  );

  test('both EVE files are recognised as suricata-eve', async () => {
    for (const file of ['suricata/eve-alerts.ndjson', 'suricata/eve-mixed-small.ndjson']) {
      const samples = (await read(file, 20)).map((r) => r.value!);
      assert.equal(sniffFormat(samples, ALL, 'json')?.format.name, 'suricata-eve', file);
    }
  });

  test("other formats' records score 0", () => {
    for (const records of others) for (const r of records) assert.equal(suricataEve.detect(r.value!), 0);
  });
});
