import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type RawRecord } from '../framing.js';
import { sniffFormat } from '../sniff.js';
import { suricataEve } from './suricata.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';
import type { NormalizedEvent } from '../../model/index.js';
import { windowsEvtx } from './windows-evtx.js';
import { windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { splitPrincipal, zeekLog, zeekTsv } from './zeek.js';
import { readFixtureRecords as read } from './format.test-helpers.js';

const ALL: FormatDef[] = [suricataEve, zeekLog, zeekTsv, windowsNxlog, windowsSentinel, windowsEvtx];
const LOGS = ['analyzer', 'conn', 'dns', 'files', 'http', 'kerberos', 'packet_filter', 'pe', 'smb_mapping', 'weird'];


function eventsOf(format: FormatDef, records: RawRecord[], file: string): { event: NormalizedEvent; identity: string }[] {
  return records.map((r) => {
    assert.equal(r.error, undefined, `${file}:${r.line} framed without error`);
    const n: NormalizeResult = format.normalize(r.value!, { file, line: r.line });
    assert.equal(n.kind, 'event', `${file}:${r.line} is an event`);
    return n as { kind: 'event'; event: NormalizedEvent; identity: string };
  });
}

describe('zeek-tsv: the LSASS campaign 03 logs', async () => {
  const logs = new Map<string, { event: NormalizedEvent; identity: string }[]>();
  for (const name of LOGS) logs.set(name, eventsOf(zeekTsv, await read(`zeek/lsass-campaign-03/${name}.log`), `${name}.log`));

  test('every record of the 10 logs normalises: 305 events', () => {
    assert.deepEqual(
      Object.fromEntries([...logs].map(([name, evs]) => [name, evs.length])),
      { analyzer: 1, conn: 126, dns: 149, files: 1, http: 1, kerberos: 5, packet_filter: 1, pe: 1, smb_mapping: 1, weird: 19 },
    );
    for (const [name, evs] of logs) for (const { event } of evs) assert.equal(event.event.dataset, `zeek.${name}`);
  });

  test('the first conn record, field by field', () => {
    assert.deepEqual(logs.get('conn')![0], {
      kind: 'event',
      identity: '|conn|CxXuuz2ent30eBGjwc|1692374165.735188|',
      event: {
        '@timestamp': '2023-08-18T15:56:05.735Z',
        message: 'udp 192.168.1.42:56129 -> 192.168.1.4:53 dns SHR',
        event: { kind: 'event', category: ['network'], type: ['connection'], module: 'zeek', dataset: 'zeek.conn', original_time: '1692374165.735188' },
        observer: { vendor: 'Zeek', product: 'Zeek' },
        source: { ip: '192.168.1.42', port: 56129 },
        destination: { ip: '192.168.1.4', port: 53 },
        network: { transport: 'udp', protocol: 'dns', packets: 1 },
        related: { ip: ['192.168.1.42', '192.168.1.4'] },
        quell: { format: 'zeek-tsv', risk: 0, level: 'informational', uid: 'CxXuuz2ent30eBGjwc' },
      },
    });
  });

  test('9 connections go to the C2 10.0.5.13 (80 ×4, 5678 ×5) and one comes back from it', () => {
    const conn = logs.get('conn')!.map(({ event }) => event);
    const to = conn.filter((e) => e.destination?.ip === '10.0.5.13').map((e) => e.destination!.port);
    assert.deepEqual(to, [80, 5678, 5678, 80, 80, 80, 5678, 5678, 5678]);
    const from = conn.filter((e) => e.source?.ip === '10.0.5.13');
    assert.deepEqual(from.map((e) => [e.source, e.destination]), [[{ ip: '10.0.5.13', port: 5678 }, { ip: '192.168.1.42', port: 60352 }]]);
  });

  test('kerberos: the client principal is split, the raw principal kept', () => {
    const krb = logs.get('kerberos')!.map(({ event }) => [event.user, event.related?.user, event.event.outcome]);
    assert.deepEqual(krb, [
      [undefined, undefined, 'failure'],
      [{ name: 'pupy.godoy', domain: 'PANDALAB.COM' }, ['pupy.godoy/PANDALAB.COM'], 'success'],
      [{ name: 'pupy.godoy', domain: 'PANDALAB.COM' }, ['pupy.godoy/PANDALAB.COM'], 'success'],
      [undefined, undefined, 'failure'],
      [undefined, undefined, 'failure'],
    ]);
    assert.equal(logs.get('kerberos')![2]!.event.message, 'Kerberos pupy.godoy/PANDALAB.COM -> LDAP/DC01.pandalab.com/pandalab.com success');
  });

  test('the payload download: http 200 x-dosexec, its file, its PE, joined by uid and fuid', () => {
    const [http] = logs.get('http')!;
    const [file] = logs.get('files')!;
    const [pe] = logs.get('pe')!;
    assert.equal(http!.event.message, 'HTTP 200 application/x-dosexec (192.168.1.42:60349 -> 10.0.5.13:80)');
    assert.deepEqual(http!.event.http, { response: { status_code: 200 } });
    assert.equal(http!.event.url, undefined, 'host and uri are unset in this log');
    assert.deepEqual([file!.event.quell.uid, file!.event.destination], ['CL67Ux3Z59CXVP9w9i', { ip: '10.0.5.13', port: 80 }]);
    assert.equal(http!.event.quell.uid, 'CL67Ux3Z59CXVP9w9i');
    assert.equal(file!.identity, '|files|CL67Ux3Z59CXVP9w9i|1692374201.885021|Fj8Kj533CC2fsFsWx7');
    assert.equal(pe!.event.quell.uid, 'Fj8Kj533CC2fsFsWx7');
  });

  test('dns: 27 of 149 records carry a query, none an answer', () => {
    const dns = logs.get('dns')!;
    assert.equal(dns.filter(({ event }) => event.dns?.question?.name).length, 27);
    assert.equal(dns.filter(({ event }) => event.dns?.answers).length, 0);
    assert.equal(dns[0]!.event.message, 'DNS (no query) SERVFAIL (192.168.1.42:56129 -> 192.168.1.4:53)');
  });

  test('identities: unique across all 305 records, stable, and by content where Zeek gives no uid', async () => {
    const all = [...logs.values()].flat().map((e) => e.identity);
    assert.equal(new Set(all).size, 305);
    const again = eventsOf(zeekTsv, await read('zeek/lsass-campaign-03/weird.log'), 'weird.log').map((e) => e.identity);
    assert.deepEqual(again, logs.get('weird')!.map((e) => e.identity));
    assert.match(logs.get('weird')![0]!.identity, /^\|weird\|content:[0-9a-f]{64}$/);
    assert.match(logs.get('packet_filter')![0]!.identity, /^\|packet_filter\|content:[0-9a-f]{64}$/);
  });

  test('each log is recognised as zeek-tsv', async () => {
    for (const name of LOGS) {
      const samples = (await read(`zeek/lsass-campaign-03/${name}.log`, 20)).map((r) => r.value!);
      assert.equal(sniffFormat(samples, ALL, 'zeek-tsv')?.format.name, 'zeek-tsv', name);
    }
  });
});

describe('zeek (JSON): the APT29 day 1 combined file', async () => {
  const first300 = eventsOf(zeekLog, await read('zeek/apt29-day1/combined_zeek.first300.ndjson'), 'combined_zeek.ndjson');
  const selection = eventsOf(zeekLog, await read('zeek/apt29-day1/combined_zeek.selection.ndjson'), 'combined_zeek.ndjson');

  test('the first 300 lines: conn from sensor bobs.bigwheel.local, unique identities', () => {
    assert.equal(first300.length, 300);
    assert.ok(first300.every(({ event }) => event.event.dataset === 'zeek.conn' && event.observer?.hostname === 'bobs.bigwheel.local'));
    assert.equal(new Set(first300.map((e) => e.identity)).size, 300);
    assert.deepEqual(
      [first300[0]!.event['@timestamp'], first300[0]!.event.source, first300[0]!.event.destination, first300[0]!.event.network],
      ['2020-04-30T00:06:39.824Z', { ip: '10.0.1.6', port: 54243 }, { ip: '10.0.0.4', port: 53 }, { transport: 'udp', protocol: 'dns', bytes: 94, packets: 2 }],
    );
  });

  test('the selection covers 14 logs, with @stream as the path', () => {
    const counts: Record<string, number> = {};
    for (const { event } of selection) counts[event.event.dataset!] = (counts[event.event.dataset!] ?? 0) + 1;
    assert.deepEqual(counts, {
      'zeek.dce_rpc': 3, 'zeek.dns': 3, 'zeek.dpd': 2, 'zeek.files': 3, 'zeek.kerberos': 16, 'zeek.notice': 2,
      'zeek.smb_files': 2, 'zeek.smb_mapping': 2, 'zeek.ssl': 2, 'zeek.weird': 2, 'zeek.x509': 2, 'zeek.http': 3, 'zeek.pe': 1,
    });
    assert.equal(new Set(selection.map((e) => e.identity)).size, selection.length);
  });

  test('notices are alerts, ranked low', () => {
    const notices = selection.filter(({ event }) => event.event.kind === 'alert');
    assert.deepEqual(
      notices.map(({ event }) => [event.event.dataset, event.rule?.name, event.quell.level, event.quell.risk]),
      [
        ['zeek.notice', 'SSL::Invalid_Server_Cert', 'low', 21],
        ['zeek.notice', 'SSL::Invalid_Server_Cert', 'low', 21],
      ],
    );
  });

  test('kerberos principals of both spellings, ssl ja3, file hashes, pe id as the file id', () => {
    const users = new Set(selection.filter(({ event }) => event.user).map(({ event }) => `${event.user!.name}|${event.user!.domain}`));
    assert.deepEqual([...users].sort(), ['pbeesly|DMEVALS.LOCAL', 'pbeesly|dmevals']);
    const ssl = selection.find(({ event }) => event.event.dataset === 'zeek.ssl')!;
    assert.deepEqual(ssl.event.tls, { server_name: '192.168.0.4', ja3: 'e0fe397a5edfba9a6facc7c7b341f4eb', ja3s: 'e35df3e00ca4ef31d42b34bebaa2f86e' });
    const file = selection.find(({ event }) => event.event.dataset === 'zeek.files')!;
    assert.deepEqual(file.event.file?.hash, { md5: 'cc85d7649546d3c0b1607f761b73fec2', sha1: '1a1a10b819f321b91b47d7dd73668406a15992db' });
    assert.deepEqual([file.event.source, file.event.destination, file.event.quell.uid], [{ ip: '10.0.0.4' }, { ip: '10.0.1.6' }, 'CF37FuG0Jho600cAa']);
    const pe = selection.find(({ event }) => event.event.dataset === 'zeek.pe')!;
    assert.equal(pe.event.quell.uid, 'FV8BmBzhLupORXNNc');
  });

  test('recognised as zeek (JSON)', async () => {
    for (const file of ['zeek/apt29-day1/combined_zeek.first300.ndjson', 'zeek/apt29-day1/combined_zeek.selection.ndjson']) {
      const samples = (await read(file, 20)).map((r) => r.value!);
      assert.equal(sniffFormat(samples, ALL, 'json')?.format.name, 'zeek', file);
    }
  });
});

describe('zeek: key styles and paths', async () => {
  const [apt] = await read('zeek/apt29-day1/combined_zeek.first300.ndjson', 1);
  const [tsv] = await read('zeek/lsass-campaign-03/conn.log', 1);
  const ctx = { file: 'x.ndjson', line: 1 };
  const pick = (n: NormalizeResult) => {
    assert.equal(n.kind, 'event');
    const e = (n as { event: NormalizedEvent }).event;
    return { ts: e['@timestamp'], source: e.source, destination: e.destination, uid: e.quell.uid };
  };

  test('id_orig_h, id.orig_h and nested id give the same source and destination', () => {
    const underscored = apt!.value!;
    const dotted = Object.fromEntries(Object.entries(underscored).map(([k, v]) => [k.replace(/^id_/, 'id.'), v]));
    const { id_orig_h, id_orig_p, id_resp_h, id_resp_p, ...rest } = underscored;
    const nested = { ...rest, id: { orig_h: id_orig_h, orig_p: id_orig_p, resp_h: id_resp_h, resp_p: id_resp_p } };
    const expected = pick(zeekLog.normalize(underscored, ctx));
    assert.deepEqual(expected.source, { ip: '10.0.1.6', port: 54243 });
    assert.deepEqual(pick(zeekLog.normalize(dotted, ctx)), expected);
    assert.deepEqual(pick(zeekLog.normalize(nested, ctx)), expected);
  });

  test('a TSV record read as JSON gives the same event apart from the format name', () => {
    const asTsv = zeekTsv.normalize(tsv!.value!, { file: 'conn.log', line: 9 });
    const asJson = zeekLog.normalize(JSON.parse(JSON.stringify(tsv!.value!)), { file: 'conn.json', line: 1 });
    assert.ok(asTsv.kind === 'event' && asJson.kind === 'event');
    assert.deepEqual({ ...asJson.event, quell: { ...asJson.event.quell, format: 'zeek-tsv' } }, asTsv.event);
    assert.equal(asJson.identity, asTsv.identity);
  });

  test('without _path or @stream the file name gives the path, or the record is refused', () => {
    const { '@stream': _stream, ...bare } = apt!.value!;
    const n = zeekLog.normalize(bare, { file: 'conn.00:00:00-01:00:00.log.gz', line: 3 });
    assert.equal(n.kind === 'event' && n.event.event.dataset, 'zeek.conn');
    assert.throws(
      () => zeekLog.normalize(bare, { file: 'export.json', line: 3 }),
      new RecordError('no Zeek log path: the record has no _path or @stream, and the file name "export.json" names no Zeek log'),
    );
  });

  test('an unreadable ts is refused with the value', () => {
    assert.throws(() => zeekLog.normalize({ ...apt!.value!, ts: 'yesterday' }, ctx), new RecordError('no usable timestamp: ts "yesterday" is not an epoch or ISO time'));
    assert.throws(() => zeekLog.normalize({ ...apt!.value!, ts: undefined }, ctx), new RecordError('no usable timestamp: ts is missing'));
  });

  test('an ISO ts (Zeek JSON with ISO timestamps) is read too', () => {
    const n = zeekLog.normalize({ ...apt!.value!, ts: '2020-04-30T00:06:39.824370Z' }, ctx);
    assert.equal(n.kind === 'event' && n.event['@timestamp'], '2020-04-30T00:06:39.824Z');
  });

  test('principals split on the last separator', () => {
    assert.deepEqual(splitPrincipal('pupy.godoy/PANDALAB.COM'), { name: 'pupy.godoy', domain: 'PANDALAB.COM' });
    assert.deepEqual(splitPrincipal('host/ws5.pandalab.com/PANDALAB.COM'), { name: 'host/ws5.pandalab.com', domain: 'PANDALAB.COM' });
    assert.deepEqual(splitPrincipal('alice@EXAMPLE.ORG'), { name: 'alice', domain: 'EXAMPLE.ORG' });
    assert.deepEqual(splitPrincipal('alice'), { name: 'alice' });
  });

  test("zeek scores 0 on other formats' records", async () => {
    for (const file of [
      'suricata/eve-alerts.ndjson',
      'windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson',
      'windows/golden-saml/WindowsEvents.json',
      'windows/sigma-regression/registry_set_amsi_disable/aa37cbb0-da36-42cb-a90f-fdf216fc7467.json',
    ]) {
      for (const r of await read(file, 20)) {
        assert.equal(zeekLog.detect(r.value!), 0, file);
        assert.equal(zeekTsv.detect(r.value!), 0, file);
      }
    }
  });
});
