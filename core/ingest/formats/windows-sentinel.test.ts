import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalizedEvent } from '../../model/index.js';
import { sniffFormat } from '../sniff.js';
import { suricataEve } from './suricata.js';
import { RecordError, type FormatDef } from './types.js';
import { windowsEvtx } from './windows-evtx.js';
import { windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { zeekLog, zeekTsv } from './zeek.js';
import { readFixtureRecords as read } from './format.test-helpers.js';

const ALL: FormatDef[] = [suricataEve, zeekLog, zeekTsv, windowsNxlog, windowsSentinel, windowsEvtx];
const FILE = 'windows/golden-saml/WindowsEvents.json';


const normalize = (record: Record<string, unknown>): { event: NormalizedEvent; identity: string } => {
  const n = windowsSentinel.normalize(record, { file: 'WindowsEvents.json', line: 1 });
  assert.equal(n.kind, 'event');
  return n as { event: NormalizedEvent; identity: string };
};

describe('windows-sentinel: Golden SAML WindowsEvents.json (CRLF)', async () => {
  const records = await read(FILE);
  const events = records.map((r) => normalize(r.value!));

  test('all 38 rows normalise: DC01 ×29, ADFS01 ×9, timed by TimeGenerated', () => {
    assert.equal(events.length, 38);
    const hosts: Record<string, number> = {};
    for (const { event } of events) hosts[event.host!.name!] = (hosts[event.host!.name!] ?? 0) + 1;
    assert.deepEqual(hosts, { 'ADFS01.simulandlabs.com': 9, 'DC01.simulandlabs.com': 29 });
    assert.ok(events.every(({ event }) => event.quell.timeSource === 'TimeGenerated' && event.event.kind === 'event'));
    assert.deepEqual(
      [events.map(({ event }) => event['@timestamp']).sort()[0], events.map(({ event }) => event['@timestamp']).sort().at(-1)],
      ['2021-08-02T13:05:32.770Z', '2021-08-02T13:32:54.280Z'],
    );
  });

  test('a 4624 row, field by field', () => {
    assert.deepEqual(events[2], {
      kind: 'event',
      identity: 'origin:2d67cfe2-b74b-41c2-b17a-b448e4a08eb1',
      event: {
        '@timestamp': '2021-08-02T13:06:38.330Z',
        message: 'An account was successfully logged on: SIMULANDLABS.COM\\wardog (logon type 3)',
        event: {
          kind: 'event',
          category: ['authentication'],
          type: ['start'],
          code: '4624',
          provider: 'Microsoft-Windows-Security-Auditing',
          module: 'security',
          dataset: 'windows.security',
          outcome: 'success',
          original_time: '2021-08-02T13:06:38.33Z',
        },
        host: { name: 'DC01.simulandlabs.com', hostname: 'DC01', domain: 'simulandlabs.com', os: { platform: 'windows' } },
        user: { name: 'wardog', domain: 'SIMULANDLABS.COM', id: 'S-1-5-21-2490359158-13971675-3780420524-500' },
        source: { ip: '192.168.2.5', port: 53085 },
        related: { user: ['SIMULANDLABS.COM\\wardog'], ip: ['192.168.2.5'], hosts: ['DC01.simulandlabs.com'] },
        quell: { format: 'windows-sentinel', risk: 0, level: 'informational', uid: '2d67cfe2-b74b-41c2-b17a-b448e4a08eb1', timeSource: 'TimeGenerated' },
      },
    });
  });

  test('EventData_dynamic given as a JSON string is parsed: the AD FS 501 caller claims name the user and SID', () => {
    assert.equal(typeof records[1]!.value!.EventData_dynamic, 'string');
    const { event } = events[1]!;
    assert.deepEqual(
      [event.event.code, event.event.module, event.message, event.user],
      ['501', 'adfs', 'AD FS caller claims for an event', { name: 'adfsadmin', domain: 'SIMULANDLABS', id: 'S-1-5-21-2490359158-13971675-3780420524-1103' }],
    );
    // Without the parsed claims only ClaimsName would be known: the SID comes from EventData_dynamic alone.
    const { EventData_dynamic: _dyn, ...withoutData } = records[1]!.value!;
    assert.deepEqual(normalize(withoutData).event.user, { name: 'adfsadmin', domain: 'SIMULANDLABS' });
  });

  test('EventData_dynamic as an object joins the row; the row wins on conflicts', () => {
    const row = { TimeGenerated: '2021-08-02T13:06:38.33Z', Computer: 'DC01', EventID: 4688, Channel: 'Security' };
    const { event } = normalize({ ...row, NewProcessName: 'C:\\a.exe', EventData_dynamic: { NewProcessName: 'C:\\b.exe', CommandLine: 'b.exe /x' } });
    assert.deepEqual([event.process?.executable, event.process?.command_line], ['C:\\a.exe', 'b.exe /x']);
    const asText = normalize({ ...row, EventData_dynamic: JSON.stringify({ NewProcessName: 'C:\\b.exe' }) }).event;
    assert.equal(asText.process?.executable, 'C:\\b.exe');
  });

  test('Sysmon, AD FS and WFP rows map by provider; the 5156 row has none and is read as Security', () => {
    const pipe = events[15]!.event;
    assert.deepEqual([pipe.event.module, pipe.file?.name, pipe.user?.name, pipe.process?.pid], ['sysmon', '\\MICROSOFT##WID\\tsql\\query', 'SYSTEM', 5692]);
    const wfp = events[16]!.event;
    assert.deepEqual([wfp.event.module, wfp.network, wfp.destination], ['security', { transport: 'tcp', direction: 'ingress' }, { ip: 'fe80::a405:857d:204:efa5', port: 80 }]);
  });

  test('identities: EventOriginId where present (35), content for the 3 rows without; distinct and stable', () => {
    const ids = events.map((e) => e.identity);
    assert.equal(new Set(ids).size, 38);
    assert.deepEqual(ids.map((id, i) => [i + 1, id.split(':')[0]]).filter(([, kind]) => kind === 'content'), [[13, 'content'], [16, 'content'], [17, 'content']]);
    assert.deepEqual(records.map((r) => normalize(r.value!).identity), ids);
  });

  test('refusals name the field', () => {
    const row = { TimeGenerated: '2021-08-02T13:06:38.33Z', Computer: 'DC01', EventID: 412 };
    assert.throws(() => normalize({ ...row, EventData_dynamic: '[1,' }), (err: unknown) => err instanceof RecordError && /^EventData_dynamic is not valid JSON: /.test(err.message));
    assert.throws(() => normalize({ ...row, TimeGenerated: '2021-08-02 13:06:38' }), new RecordError('no usable timestamp: TimeGenerated "2021-08-02 13:06:38" is not a time with a zone'));
    assert.throws(() => normalize({ ...row, EventID: null }), new RecordError('EventID: expected an event number, found null'));
  });

  test('recognised among all formats; scores 0 on the others', async () => {
    assert.equal(sniffFormat(records.slice(0, 20).map((r) => r.value!), ALL, 'json')?.format.name, 'windows-sentinel');
    for (const file of [
      'suricata/eve-alerts.ndjson',
      'zeek/apt29-day1/combined_zeek.first300.ndjson',
      'windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson',
      'windows/sigma-regression/proc_creation_win_certutil_download/19b08b1c-861d-4e75-a1ef-ea0c1baf202b.json',
    ]) {
      for (const r of await read(file, 20)) assert.equal(windowsSentinel.detect(r.value!), 0, file);
    }
  });
});
