import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { NormalizedEvent } from '../../model/index.js';
import { frameRecords, type Framing, type RawRecord } from '../framing.js';
import { sniffFormat } from '../sniff.js';
import { suricataEve } from './suricata.js';
import { RecordError, type FormatDef } from './types.js';
import { windowsEvtx } from './windows-evtx.js';
import { windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { zeekLog, zeekTsv } from './zeek.js';

const ALL: FormatDef[] = [suricataEve, zeekLog, zeekTsv, windowsNxlog, windowsSentinel, windowsEvtx];
const DIR = 'windows/sigma-regression';
const CRED_DUMP = `${DIR}/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json`;
const CERTUTIL = `${DIR}/proc_creation_win_certutil_download/19b08b1c-861d-4e75-a1ef-ea0c1baf202b.json`;
const AMSI = `${DIR}/registry_set_amsi_disable/aa37cbb0-da36-42cb-a90f-fdf216fc7467.json`;
const TASKMGR = `${DIR}/file_event_win_taskmgr_lsass_dump/69ca12af-119d-44ed-b50f-a47af0ebc364.json`;

async function read(rel: string, onFraming?: (f: Framing) => void): Promise<RawRecord[]> {
  const stream = fs.createReadStream(new URL(`../../../fixtures/${rel}`, import.meta.url));
  const out: RawRecord[] = [];
  try {
    for await (const r of frameRecords(stream, onFraming ? { onFraming } : {})) out.push(r);
  } finally {
    stream.destroy();
  }
  return out;
}

const normalize = (record: Record<string, unknown>): { event: NormalizedEvent; identity: string } => {
  const n = windowsEvtx.normalize(record, { file: 'x.json', line: 1 });
  assert.equal(n.kind, 'event');
  return n as { event: NormalizedEvent; identity: string };
};

describe('windows-evtx: Sigma regression events (evtx_dump JSON)', () => {
  test('six concatenated pretty-printed objects in one file, one event each', async () => {
    let framing: Framing | undefined;
    const records = await read(CRED_DUMP, (f) => (framing = f));
    assert.equal(framing, 'json-stream');
    assert.deepEqual(records.map((r) => [r.line, r.error]), [[1, undefined], [52, undefined], [103, undefined], [154, undefined], [205, undefined], [256, undefined]]);
    const events = records.map((r) => normalize(r.value!));
    assert.deepEqual(
      events.map(({ event, identity }) => [identity, event['@timestamp'], event.file?.path]),
      [
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26359', '2025-10-24T23:43:34.136Z', 'C:\\Users\\Administrator\\Downloads\\procdump64.exe'],
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26362', '2025-10-24T23:43:34.154Z', 'C:\\Users\\Administrator\\Downloads\\procdump64.exe:Zone.Identifier'],
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26366', '2025-10-24T23:43:34.160Z', 'C:\\Users\\Administrator\\Downloads\\procdump64a.exe'],
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26369', '2025-10-24T23:43:34.177Z', 'C:\\Users\\Administrator\\Downloads\\procdump64a.exe:Zone.Identifier'],
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26373', '2025-10-24T23:43:34.183Z', 'C:\\Users\\Administrator\\Downloads\\procdump.exe'],
        ['record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|26376', '2025-10-24T23:43:34.211Z', 'C:\\Users\\Administrator\\Downloads\\procdump.exe:Zone.Identifier'],
      ],
    );
    assert.ok(events.every(({ event }) => event.event.code === '11' && event.process?.executable === 'C:\\Windows\\explorer.exe'));
    assert.deepEqual((await read(CRED_DUMP)).map((r) => normalize(r.value!).identity), events.map((e) => e.identity), 'stable');
  });

  test('certutil download (Sysmon 1), field by field', async () => {
    const [record] = await read(CERTUTIL);
    assert.deepEqual(normalize(record!.value!), {
      kind: 'event',
      identity: 'record:ar-win-dc.attackrange.local|Microsoft-Windows-Sysmon/Operational|11537869',
      event: {
        '@timestamp': '2025-10-25T17:02:36.900Z',
        message: 'Process Create: certutil.exe -urlcache -f https://raw.githubusercontent.com/redcanaryco/atomic-red-team/refs/heads/master/atomics/T1001.002/T1001.002.yaml atomic.yaml',
        event: {
          kind: 'event',
          category: ['process'],
          type: ['start'],
          code: '1',
          provider: 'Microsoft-Windows-Sysmon',
          module: 'sysmon',
          dataset: 'windows.sysmon_operational',
          original_time: '2025-10-25T17:02:36.900637Z',
        },
        host: { name: 'ar-win-dc.attackrange.local', hostname: 'ar-win-dc', domain: 'attackrange.local', os: { platform: 'windows' } },
        user: { name: 'Administrator', domain: 'ATTACKRANGE' },
        process: {
          pid: 6484,
          executable: 'C:\\Windows\\System32\\certutil.exe',
          name: 'certutil.exe',
          command_line: 'certutil.exe  -urlcache -f https://raw.githubusercontent.com/redcanaryco/atomic-red-team/refs/heads/master/atomics/T1001.002/T1001.002.yaml atomic.yaml',
          entity_id: '5AA13A44-02AC-68FD-7A35-000000004002',
          parent: {
            pid: 6304,
            executable: 'C:\\Windows\\System32\\cmd.exe',
            name: 'cmd.exe',
            command_line: '"C:\\Windows\\System32\\cmd.exe"',
            entity_id: '5AA13A44-0FEC-68FC-281E-000000004002',
          },
        },
        file: {
          path: 'C:\\Windows\\System32\\certutil.exe',
          name: 'certutil.exe',
          hash: {
            sha1: '317e563bfc7ec87b181d5a1745e43b8f5288dbfc',
            md5: 'a561a96624ca5cd5491bfc1609e2958a',
            sha256: 'd5b7e8e44f37b1fbd79a79e3321244eef946f419151374bd1be4d6833754fed8',
          },
        },
        related: {
          user: ['ATTACKRANGE\\Administrator'],
          hash: [
            'a561a96624ca5cd5491bfc1609e2958a',
            '317e563bfc7ec87b181d5a1745e43b8f5288dbfc',
            'd5b7e8e44f37b1fbd79a79e3321244eef946f419151374bd1be4d6833754fed8',
          ],
          hosts: ['ar-win-dc.attackrange.local'],
        },
        quell: {
          format: 'windows-evtx',
          risk: 0,
          level: 'informational',
          uid: '5AA13A44-02AC-68FD-7A35-000000004002',
          timeSource: 'System.TimeCreated.SystemTime',
        },
      },
    });
  });

  test('registry value set (Sysmon 13) and a dump file written by taskmgr (Sysmon 11)', async () => {
    const [amsi] = await read(AMSI);
    const { event } = normalize(amsi!.value!);
    assert.deepEqual([event.event.category, event.registry, event.user, event.host], [
      ['registry'],
      {
        path: 'HKU\\S-1-5-21-2555720767-1205513275-3893774561-1001\\Software\\Microsoft\\Windows Script\\Settings\\AmsiEnable',
        value: 'AmsiEnable',
        data: { strings: ['DWORD (0x00000000)'] },
      },
      { name: 'xodih', domain: 'swachchhanda' },
      { name: 'swachchhanda', hostname: 'swachchhanda', os: { platform: 'windows' } },
    ]);
    const [taskmgr] = await read(TASKMGR);
    const dump = normalize(taskmgr!.value!).event;
    assert.deepEqual([dump.file, dump.process?.name], [{ path: 'C:\\Users\\ADMINI~1\\AppData\\Local\\Temp\\lsass.DMP', name: 'lsass.DMP' }, 'taskmgr.exe']);
  });
});

describe('windows-evtx: other evtx_dump shapes and refusals', () => {
  const system = {
    EventID: { '#text': 1102, '#attributes': { Qualifiers: '' } },
    Channel: 'Security',
    Computer: 'dc1.example.org',
    Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } },
    TimeCreated: { '#attributes': { SystemTime: '2024-01-02T03:04:05.678901Z' } },
  };

  test('an EventID with attributes, UserData instead of EventData, no record id', () => {
    const record = { Event: { System: system, UserData: { LogFileCleared: { SubjectUserName: 'alice', SubjectDomainName: 'EXAMPLE' } } } };
    const { event, identity } = normalize(record);
    assert.deepEqual([event.event.code, event.user, event['@timestamp']], ['1102', { name: 'alice', domain: 'EXAMPLE' }, '2024-01-02T03:04:05.678Z']);
    assert.match(identity, /^content:[0-9a-f]{64}$/);
  });

  test('without SystemTime, EventData.UtcTime; without either, refused', () => {
    const { TimeCreated: _t, ...noTime } = system;
    const viaUtc = normalize({ Event: { System: noTime, EventData: { UtcTime: '2024-01-02 03:04:05.678' } } }).event;
    assert.deepEqual([viaUtc['@timestamp'], viaUtc.quell.timeSource], ['2024-01-02T03:04:05.678Z', 'EventData.UtcTime']);
    assert.throws(
      () => normalize({ Event: { System: noTime, EventData: {} } }),
      new RecordError('no usable timestamp: System.TimeCreated.SystemTime is missing; EventData.UtcTime is missing'),
    );
    assert.throws(() => normalize({ Event: { System: { ...system, EventID: 'four' } } }), new RecordError('Event.System.EventID: expected an event number, found "four"'));
    assert.throws(() => normalize({ Event: {} }), new RecordError('Event.System: missing; not an evtx_dump record'));
  });

  test('recognised among all formats; scores 0 on the others', async () => {
    for (const file of [CRED_DUMP, CERTUTIL, AMSI, TASKMGR]) {
      const samples = (await read(file)).map((r) => r.value!);
      assert.equal(sniffFormat(samples, ALL, 'json')?.format.name, 'windows-evtx', file);
    }
    for (const file of [
      'suricata/eve-alerts.ndjson',
      'zeek/apt29-day1/combined_zeek.selection.ndjson',
      'windows/golden-saml/WindowsEvents.json',
      'windows/atomic/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json',
    ]) {
      for (const r of (await read(file)).slice(0, 20)) assert.equal(windowsEvtx.detect(r.value!), 0, file);
    }
  });
});
