import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NormalizedEvent } from '../../model/index.js';
import { type RawRecord } from '../framing.js';
import { sniffFormat } from '../sniff.js';
import { suricataEve } from './suricata.js';
import { RecordError, type FormatDef } from './types.js';
import { windowsEvtx } from './windows-evtx.js';
import { createWindowsNxlog, estimateTimestampOffset, windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { zeekLog, zeekTsv } from './zeek.js';
import { readFixtureRecords as read } from './format.test-helpers.js';

const ALL: FormatDef[] = [suricataEve, zeekLog, zeekTsv, windowsNxlog, windowsSentinel, windowsEvtx];
const LSASS = 'windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson';
const PSH = 'windows/atomic/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json';
const SCHTASK = 'windows/atomic/schtask_create_2020-12-1907003032.json';


type Outcome = { line: number; event: NormalizedEvent; identity: string } | { line: number; error: string };

function run(format: FormatDef, records: RawRecord[]): Outcome[] {
  return records.map((r) => {
    assert.equal(r.error, undefined, `line ${r.line} framed`);
    try {
      const n = format.normalize(r.value!, { file: 'f.json', line: r.line });
      assert.equal(n.kind, 'event');
      return { line: r.line, ...(n as { event: NormalizedEvent; identity: string }) };
    } catch (err) {
      assert.ok(err instanceof RecordError, String(err));
      return { line: r.line, error: err.message };
    }
  });
}

const ok = (outcomes: Outcome[]) => outcomes.filter((o): o is Extract<Outcome, { event: unknown }> => 'event' in o);
const at = (outcomes: Outcome[], line: number) => {
  const o = outcomes.find((x) => x.line === line);
  assert.ok(o && 'event' in o, `line ${line} normalised`);
  return o.event;
};
const tally = (items: string[]) => items.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});

describe('windows-nxlog: LSASS campaign 03 (Sysmon + Security, PRD01)', async () => {
  const records = await read(LSASS);
  const out = run(windowsNxlog, records);
  const events = ok(out);

  test('all 1,394 records normalise, on host PRD01.pandalab.com', () => {
    assert.equal(records.length, 1394);
    assert.equal(events.length, 1394);
    assert.ok(events.every(({ event }) => event.event.kind === 'event' && event.quell.level === 'informational'));
    assert.deepEqual(
      tally(events.map(({ event }) => JSON.stringify(event.host))),
      { [JSON.stringify({ name: 'PRD01.pandalab.com', hostname: 'PRD01', domain: 'pandalab.com', os: { platform: 'windows' } })]: 1394 },
    );
  });

  test('time comes from UtcTime (1,231) and else from @timestamp (163), never TimeCreated', () => {
    assert.deepEqual(tally(events.map(({ event }) => event.quell.timeSource!)), { UtcTime: 1231, '@timestamp': 163 });
    // rundll32 comsvcs.dll MiniDump: UtcTime 16:00:03.919 is UTC; @timestamp 09:00:03.975 "Z" is local time 7 h behind.
    assert.equal(records[842]!.value!['@timestamp'], '2023-08-18T09:00:03.975Z');
    assert.equal(records[842]!.value!.TimeCreated, '2023-08-18T09:00:03.975Z');
    const dump = at(out, 843);
    assert.equal(dump['@timestamp'], '2023-08-18T16:00:03.919Z');
    assert.equal(dump.event.original_time, '2023-08-18 16:00:03.919');
  });

  test('the same process start, Sysmon 1 and Security 4688, lands 7 hours apart by default', () => {
    const sysmon = at(out, 542);
    const security = at(out, 49);
    assert.deepEqual([sysmon.process?.pid, security.process?.pid], [7196, 7196]);
    assert.deepEqual([sysmon['@timestamp'], security['@timestamp']], ['2023-08-18T15:56:49.752Z', '2023-08-18T08:56:49.752Z']);
  });

  test('the 04:2x clock-jump records are kept: 217 (EID 3 ×159, EID 22 ×58)', () => {
    const early = events.filter(({ event }) => event['@timestamp'].startsWith('2023-08-18T04:2'));
    assert.deepEqual(tally(early.map(({ event }) => event.event.code!)), { '3': 159, '22': 58 });
    assert.equal(events.filter(({ event }) => event.event.code === '3').length, 159, 'every EID 3 is among them');
  });

  test('users as written: pupy.godoy, pedro.gustavo, SYSTEM', () => {
    const users = tally(events.filter(({ event }) => event.user?.name).map(({ event }) => `${event.user!.domain}\\${event.user!.name}`));
    assert.ok(users['PANDALAB\\pupy.godoy']! > 300, 'PANDALAB\\pupy.godoy');
    assert.ok(users['NT AUTHORITY\\SYSTEM']! > 250, 'NT AUTHORITY\\SYSTEM');
    assert.ok(users['PANDALAB\\pedro.gustavo']! > 150, 'PANDALAB\\pedro.gustavo');
  });

  test('the C2: 5 Sysmon 3 connections to 10.0.5.13:5678', () => {
    const c2 = events.filter(({ event }) => event.destination?.ip === '10.0.5.13' && event.destination.port === 5678);
    assert.deepEqual(
      c2.map(({ event }) => [event.process?.name, event.source?.port, event['@timestamp']]),
      [
        ['winx64_payload.exe', 60352, '2023-08-18T04:23:00.750Z'],
        ['winx64_payload.exe', 60353, '2023-08-18T04:23:10.619Z'],
        ['winx64_payload.exe', 60354, '2023-08-18T04:23:11.148Z'],
        ['winx64_payload.exe', 60357, '2023-08-18T04:24:39.046Z'],
        ['svchost.exe', 60358, '2023-08-18T04:25:04.088Z'],
      ],
    );
  });

  test('rundll32 opening lsass (Sysmon 10), field by field', () => {
    assert.deepEqual(at(out, 845), {
      '@timestamp': '2023-08-18T16:00:05.543Z',
      message: 'Process accessed: C:\\Windows\\System32\\rundll32.exe -> C:\\Windows\\system32\\lsass.exe (0x1410)',
      event: {
        kind: 'event',
        category: ['process'],
        type: ['access'],
        code: '10',
        provider: 'Microsoft-Windows-Sysmon',
        module: 'sysmon',
        dataset: 'windows.sysmon_operational',
        original_time: '2023-08-18 16:00:05.543',
      },
      host: { name: 'PRD01.pandalab.com', hostname: 'PRD01', domain: 'pandalab.com', os: { platform: 'windows' } },
      user: { name: 'SYSTEM', domain: 'NT AUTHORITY', target: { name: 'SYSTEM', domain: 'NT AUTHORITY' } },
      process: { pid: 7580, executable: 'C:\\Windows\\System32\\rundll32.exe', name: 'rundll32.exe', entity_id: '{57be2c82-9583-64df-4509-000000000600}' },
      related: { user: ['NT AUTHORITY\\SYSTEM'], hosts: ['PRD01.pandalab.com'] },
      quell: {
        format: 'windows-nxlog',
        risk: 0,
        level: 'informational',
        uid: '{57be2c82-9583-64df-4509-000000000600}',
        timeSource: 'UtcTime',
      },
    });
  });

  test('Sysmon 1 carries the process tree and hashes; Security 4688 a hex pid and the target account', () => {
    const dump = at(out, 843);
    assert.deepEqual(dump.process, {
      pid: 7580,
      executable: 'C:\\Windows\\System32\\rundll32.exe',
      name: 'rundll32.exe',
      command_line: '"C:\\Windows\\System32\\rundll32.exe" C:\\windows\\System32\\comsvcs.dll MiniDump 628 C:\\Windows\\Temp\\lsass-comsvcs.dmp full',
      entity_id: '{57be2c82-9583-64df-4509-000000000600}',
      parent: {
        pid: 2924,
        executable: 'C:\\Windows\\System32\\svchost.exe',
        name: 'svchost.exe',
        command_line: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s WpnService',
        entity_id: '{57be2c82-2594-64de-4c00-000000000600}',
      },
    });
    assert.deepEqual(dump.file?.hash, {
      sha1: 'dd399ae46303343f9f0da189aee11c67bd868222',
      md5: 'ef3179d498793bf4234f708d3be28633',
      sha256: 'b53f3c0cd32d7f20849850768da6431e5f876b7bfa61db0aa0700b02873393fa',
    });
    const payload = at(out, 49);
    assert.deepEqual(payload.user, { name: 'PRD01$', domain: 'PANDALAB', id: 'S-1-5-18', target: { name: 'pedro.gustavo', domain: 'PANDALAB' } });
    assert.equal(payload.process?.command_line, '"C:\\Users\\pupy.godoy\\Downloads\\winx64_payload.exe" ', 'kept with its trailing space');
    assert.deepEqual(payload.process?.parent, { pid: 5024, executable: 'C:\\Windows\\explorer.exe', name: 'explorer.exe' });
  });

  test('identities: stable; 1,390 distinct because 4 lines repeat byte for byte', () => {
    const ids = events.map((e) => e.identity);
    assert.equal(new Set(ids).size, 1390);
    const byId = new Map<string, number[]>();
    events.forEach((e) => byId.set(e.identity, [...(byId.get(e.identity) ?? []), e.line]));
    const shared = [...byId.values()].filter((lines) => lines.length > 1);
    assert.deepEqual(shared, [[579, 581], [850, 852], [851, 853], [1119, 1120]]);
    for (const [a, b] of shared) assert.ok(records[a! - 1]!.bytes.equals(records[b! - 1]!.bytes), `lines ${a} and ${b} are identical`);
    assert.deepEqual(ok(run(windowsNxlog, records.slice(0, 300))).map((e) => e.identity), ids.slice(0, 300), 'stable');
  });

  test('the @timestamp offset is learnt: +420 minutes from 1,014 of 1,231 pairs', () => {
    assert.deepEqual(estimateTimestampOffset(records.map((r) => r.value!)), { minutes: 420, agreeing: 1014, pairs: 1231 });
  });

  test('with that offset, Security events and the clock-jump records line up with UtcTime', () => {
    const calibrated = ok(run(createWindowsNxlog({ timestampOffsetMinutes: 420 }), records));
    assert.deepEqual(tally(calibrated.map(({ event }) => event.quell.timeSource!)), {
      UtcTime: 1014,
      '@timestamp+420m': 163,
      '@timestamp+420m (UtcTime disagrees)': 217,
    });
    const get = (line: number) => calibrated.find((e) => e.line === line)!.event;
    assert.deepEqual([get(542)['@timestamp'], get(49)['@timestamp']], ['2023-08-18T15:56:49.752Z', '2023-08-18T15:56:49.752Z']);
    assert.equal(get(49).event.original_time, '2023-08-18T08:56:49.752Z');
    // The first C2 connection: Zeek saw it at 15:57:17; UtcTime says 04:23:00.750, @timestamp + 7 h says 15:56:50.739.
    assert.equal(get(545)['@timestamp'], '2023-08-18T15:56:50.739Z');
    assert.equal(get(843)['@timestamp'], '2023-08-18T16:00:03.919Z');
    assert.deepEqual(calibrated.map((e) => e.identity), events.map((e) => e.identity), 'identity does not depend on time');
  });
});

describe('windows-nxlog: OTRF atomic datasets', async () => {
  test('psh_lsass (CRLF): 148 records timed by UtcTime; 36 with only the 12-hour TimeCreated are refused', async () => {
    const records = await read(PSH);
    const out = run(windowsNxlog, records);
    assert.equal(records.length, 184);
    assert.equal(ok(out).length, 148);
    assert.ok(ok(out).every(({ event }) => event.quell.timeSource === 'UtcTime'));
    const refused = out.filter((o): o is { line: number; error: string } => 'error' in o);
    assert.equal(refused.length, 36);
    assert.equal(
      refused[0]!.error,
      'no usable timestamp: no UtcTime; no @timestamp; TimeCreated "2020-10-18 07:50:06.220" is host-local time and is not used',
    );
    // rundll32 comsvcs MiniDump: TimeCreated 07:50:05.917 (12-hour local), UtcTime 23:50:05.910.
    assert.equal(records[106]!.value!.TimeCreated, '2020-10-18 07:50:05.917');
    const dump = at(out, 107);
    assert.deepEqual(
      [dump['@timestamp'], dump.event.original_time, dump.host, dump.user],
      ['2020-10-18T23:50:05.910Z', '2020-10-18 23:50:05.910', { name: 'WORKSTATION5', hostname: 'WORKSTATION5', os: { platform: 'windows' } }, { name: 'wardog', domain: 'WORKSTATION5' }],
    );
    // The Security 4688 of the same command has no UtcTime and is among the refused.
    assert.ok(refused.some((o) => o.line === 17));
    assert.equal(new Set(ok(out).map((e) => e.identity)).size, 139, '9 lines repeat byte for byte');
    assert.equal(estimateTimestampOffset(records.map((r) => r.value!)), null, 'no @timestamp to learn from');
  });

  test('schtask_create (one blank line): 1,041 records, @timestamp 5 hours behind UtcTime', async () => {
    const records = await read(SCHTASK);
    assert.equal(records.length, 1041);
    assert.ok(records.some((r) => r.line === 548) && !records.some((r) => r.line === 547), 'line 547 is blank');
    const events = ok(run(windowsNxlog, records));
    assert.equal(events.length, 1041);
    assert.deepEqual(tally(events.map(({ event }) => event.quell.timeSource!)), { UtcTime: 906, '@timestamp': 135 });
    assert.equal(new Set(events.map((e) => e.identity)).size, 1029, '12 lines repeat byte for byte');
    assert.deepEqual(estimateTimestampOffset(records.map((r) => r.value!)), { minutes: 300, agreeing: 906, pairs: 906 });
    // The remote task (4698) has no UtcTime: by default it takes @timestamp, which here is local time (EST).
    const task = events.find(({ event }) => event.event.code === '4698')!.event;
    assert.deepEqual([task.host?.name, task.event.category, task['@timestamp']], ['WORKSTATION6.theshire.local', ['configuration'], '2020-12-19T07:00:22.264Z']);
    const taskRecord = records.find((r) => r.value!.EventID === 4698)!;
    const calibrated = ok(run(createWindowsNxlog({ timestampOffsetMinutes: 300 }), [taskRecord]));
    assert.equal(calibrated[0]!.event['@timestamp'], '2020-12-19T12:00:22.264Z');
  });
});

describe('windows-nxlog: refusals and detection', () => {
  const base = { Hostname: 'WS1', Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', EventID: 4624 };

  test('a missing EventID or time is refused with what was there', () => {
    assert.throws(
      () => windowsNxlog.normalize({ ...base, EventID: 'x', '@timestamp': '2020-01-01T00:00:00Z' }, { file: 'f', line: 1 }),
      new RecordError('EventID: expected an event number, found "x"'),
    );
    assert.throws(
      () => windowsNxlog.normalize({ ...base, EventTime: '2020-07-22 00:18:47' }, { file: 'f', line: 1 }),
      new RecordError('no usable timestamp: no UtcTime; no @timestamp; EventTime "2020-07-22 00:18:47" is host-local time and is not used'),
    );
    assert.throws(
      () => windowsNxlog.normalize({ ...base, UtcTime: 'soon', '@timestamp': '2020-07-22 04:18:47' }, { file: 'f', line: 1 }),
      new RecordError('no usable timestamp: UtcTime "soon" is not a time; @timestamp "2020-07-22 04:18:47" is not a time with a zone'),
    );
  });

  test('a RecordNumber, when shipped, is the identity', () => {
    const n = windowsNxlog.normalize({ ...base, RecordNumber: 4711, '@timestamp': '2020-07-22T04:18:47.980Z' }, { file: 'f', line: 1 });
    assert.equal(n.kind === 'event' && n.identity, 'record:WS1|Security|4711');
  });

  test('recognised among all formats; scores 0 on the others', async () => {
    for (const file of [LSASS, PSH, SCHTASK]) {
      const samples = (await read(file, 20)).map((r) => r.value!);
      assert.equal(sniffFormat(samples, ALL, 'json')?.format.name, 'windows-nxlog', file);
    }
    for (const file of [
      'suricata/eve-mixed-small.ndjson',
      'zeek/apt29-day1/combined_zeek.selection.ndjson',
      'windows/golden-saml/WindowsEvents.json',
      'windows/sigma-regression/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json',
    ]) {
      for (const r of await read(file, 20)) assert.equal(windowsNxlog.detect(r.value!), 0, file);
    }
  });
});
